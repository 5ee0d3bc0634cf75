import { Port, SecurityGroup } from "../../lib/network/connections";
import { RedisCluster, RedisClusterProps } from "../../lib/data/redis-cluster";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { BASE, RecordingGrantee, stack, validationError } from "./fixtures";

function synth(overrides: Partial<RedisClusterProps> = {}) {
  const s = stack();
  const cache = new RedisCluster(s, "Cache", { ...BASE, nodeType: "cache.r7g.large", shards: 2, ...overrides });
  return { s, cache, json: synthJson(s) };
}

describe("RedisCluster", () => {
  const { json } = synth();
  const rg = onlyResource(json, "aws_elasticache_replication_group");

  test("cluster mode with shards and replicas from props, multi-AZ with automatic failover", () => {
    expect(rg.cluster_mode).toBe("enabled");
    expect(rg.num_node_groups).toBe(2);
    expect(rg.replicas_per_node_group).toBe(1);
    expect(rg.node_type).toBe("cache.r7g.large");
    expect(rg.multi_az_enabled).toBe(true);
    expect(rg.automatic_failover_enabled).toBe(true);
    expect(rg.replication_group_id).toBe("headroom-test-cache");
  });

  test("sizes follow the props", () => {
    const other = onlyResource(synth({ nodeType: "cache.m7g.xlarge", shards: 5, replicasPerShard: 2 }).json, "aws_elasticache_replication_group");
    expect(other.node_type).toBe("cache.m7g.xlarge");
    expect(other.num_node_groups).toBe(5);
    expect(other.replicas_per_node_group).toBe(2);
  });

  test("Valkey 8.1 by default; engine and version follow the props with a matching parameter family", () => {
    expect(rg.engine).toBe("valkey");
    expect(rg.engine_version).toBe("8.1");
    expect(onlyResource(json, "aws_elasticache_parameter_group").family).toBe("valkey8");
    const redis = synth({ engine: "redis" }).json;
    expect(onlyResource(redis, "aws_elasticache_replication_group").engine).toBe("redis");
    expect(onlyResource(redis, "aws_elasticache_replication_group").engine_version).toBe("7.1");
    expect(onlyResource(redis, "aws_elasticache_parameter_group").family).toBe("redis7");
    expect(onlyResource(synth({ engineVersion: "7.2" }).json, "aws_elasticache_parameter_group").family).toBe("valkey7");
  });

  test("encryption at rest with the customer key and TLS required in transit", () => {
    expect(rg.at_rest_encryption_enabled).toBe("true");
    expect(rg.kms_key_id).toBe(BASE.kmsKey.keyArn);
    expect(rg.transit_encryption_enabled).toBe(true);
    expect(rg.transit_encryption_mode).toBe("required");
  });

  test("parameter group: cluster mode, LRU eviction, 25% reserved memory", () => {
    const pg = onlyResource(json, "aws_elasticache_parameter_group");
    const params = Object.fromEntries(pg.parameter.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(params).toEqual({ "cluster-enabled": "yes", "maxmemory-policy": "allkeys-lru", "reserved-memory-percent": "25" });
    expect(rg.parameter_group_name).toContain("aws_elasticache_parameter_group");
  });

  test("RBAC: IAM users and a disabled replacement of the default user, no password anywhere", () => {
    const users = Object.values(resourcesOf(json, "aws_elasticache_user"));
    const byName = Object.fromEntries(users.map((u: any) => [u.user_name, u]));
    expect(byName.default.access_string).toBe("off ~* -@all");
    expect(byName.default.user_id).toBe("headroom-test-cache-default-off");
    expect(byName["headroom-test-app"].authentication_mode).toEqual({ type: "iam" });
    expect(byName["headroom-test-app"].user_id).toBe("headroom-test-app");
    for (const u of users) expect(u.passwords).toBeUndefined();
    const group = onlyResource(json, "aws_elasticache_user_group");
    expect(group.user_ids).toHaveLength(2);
    expect(rg.user_group_ids).toHaveLength(1);
    expect(rg.auth_token).toBeUndefined();
  });

  test("custom users get their own access strings", () => {
    const j = synth({ users: [{ userName: "gateway", accessString: "on ~ratelimit:* +@write +@read" }, { userName: "workers" }] }).json;
    const users = Object.values(resourcesOf(j, "aws_elasticache_user")) as any[];
    expect(users.map((u) => u.user_name).sort()).toEqual(["default", "gateway", "workers"]);
    expect(users.find((u) => u.user_name === "gateway").access_string).toBe("on ~ratelimit:* +@write +@read");
    expect(users.find((u) => u.user_name === "workers").access_string).toBe("on ~* +@all -@dangerous");
  });

  test("snapshots, windows and final snapshot", () => {
    expect(rg.snapshot_retention_limit).toBe(7);
    expect(rg.snapshot_window).toBe("03:00-04:00");
    expect(rg.maintenance_window).toBe("sun:05:00-sun:06:00");
    expect(rg.final_snapshot_identifier).toBe("headroom-test-cache-final");
    const other = onlyResource(synth({ snapshotRetentionDays: 14, snapshotWindow: "01:00-02:00" }).json, "aws_elasticache_replication_group");
    expect(other.snapshot_retention_limit).toBe(14);
    expect(other.snapshot_window).toBe("01:00-02:00");
  });

  test("slow and engine logs go to KMS-encrypted log groups with retention", () => {
    const logs = rg.log_delivery_configuration;
    expect(logs.map((l: any) => l.log_type).sort()).toEqual(["engine-log", "slow-log"]);
    for (const l of logs) expect(l.destination_type).toBe("cloudwatch-logs");
    const groups = Object.values(resourcesOf(json, "aws_cloudwatch_log_group")) as any[];
    expect(groups.map((g) => g.name).sort()).toEqual(["/aws/elasticache/headroom-test-cache/engine-log", "/aws/elasticache/headroom-test-cache/slow-log"]);
    for (const g of groups) {
      expect(g.kms_key_id).toBe(BASE.kmsKey.keyArn);
      expect(g.retention_in_days).toBe(90);
    }
  });

  test("private subnet group and its own security group", () => {
    expect(onlyResource(json, "aws_elasticache_subnet_group").subnet_ids).toEqual(BASE.subnetIds);
    expect(rg.security_group_ids).toHaveLength(1);
    expect(onlyResource(json, "aws_security_group").vpc_id).toBe(BASE.vpcId);
  });

  test("prevent_destroy by default, opt-out by prop", () => {
    expect(rg.lifecycle.prevent_destroy).toBe(true);
    expect(onlyResource(synth({ preventDestroy: false }).json, "aws_elasticache_replication_group").lifecycle.prevent_destroy).toBe(false);
  });

  test("connections open 6379 only to what the stack allows", () => {
    const s = stack();
    const cache = new RedisCluster(s, "Cache", { ...BASE, nodeType: "cache.r7g.large", shards: 1 });
    const nodes = new SecurityGroup(s, "Nodes", { vpcId: BASE.vpcId, description: "GPU nodes" });
    cache.connections.allowFrom(nodes, Port.tcp(cache.port), "inference pods use the response cache");
    const j = synthJson(s);
    const ingress = Object.values(resourcesOf(j, "aws_vpc_security_group_ingress_rule")) as any[];
    expect(ingress).toHaveLength(1);
    expect(ingress[0].from_port).toBe(6379);
    expect(ingress[0].to_port).toBe(6379);
    expect(ingress[0].referenced_security_group_id).toContain("Nodes");
    expect(cache.connections.defaultPort?.fromPort).toBe(6379);
  });

  test("grantConnect gives elasticache:Connect on the group and the user only", () => {
    const s = stack();
    const cache = new RedisCluster(s, "Cache", { ...BASE, nodeType: "cache.r7g.large", shards: 1, users: [{ userName: "a" }, { userName: "b" }] });
    const grantee = new RecordingGrantee();
    cache.grantConnect(grantee, "b");
    expect(grantee.statements).toHaveLength(1);
    expect(grantee.statements[0]?.actions).toEqual(["elasticache:Connect"]);
    expect(grantee.statements[0]?.resources).toHaveLength(2);
    expect(grantee.statements[0]?.resources[0]).toBe(cache.replicationGroupArn);
    expect(validationError(() => cache.grantConnect(grantee, "c")).codes).toEqual(["REDIS_GRANT_USER"]);
  });

  test("usable memory = shards x node memory x (1 - 25%)", () => {
    expect(synth({ nodeType: "cache.r7g.xlarge", shards: 3 }).cache.usableMemoryGiB).toBeCloseTo(26.32 * 0.75 * 3, 2);
  });

  describe("fails when", () => {
    test("the node type cannot hold the planned memory, naming the smallest type that fits", () => {
      const err = validationError(() => synth({ nodeType: "cache.m7g.large", shards: 2, memoryGiB: 30 }));
      expect(err.codes).toEqual(["REDIS_NODE_TOO_SMALL"]);
      // 30 GiB over 2 shards needs >= 20 GiB node memory: cache.m7g.2xlarge (26.04 GiB) is the smallest.
      expect(err.message).toContain("smallest that fits: cache.m7g.2xlarge");
      expect(err.message).toContain("cache.m7g.large gives 9.57 GiB");
    });

    test("no node type fits: add shards", () => {
      expect(validationError(() => synth({ shards: 1, memoryGiB: 1000 })).message).toContain("no catalogued type fits: add shards");
    });

    test("the node type fits exactly at the boundary", () => {
      expect(() => synth({ nodeType: "cache.r7g.large", shards: 2, memoryGiB: 13.07 * 0.75 * 2 })).not.toThrow();
    });

    test("props are out of range, all reported at once", () => {
      const err = validationError(() =>
        synth({
          nodeType: "cache.x9.huge",
          shards: 0,
          replicasPerShard: 0,
          engineVersion: "6.2",
          snapshotRetentionDays: 0,
          namePrefix: "Bad_Prefix",
          subnetIds: ["one"],
          users: [{ userName: "default" }],
        }),
      );
      expect([...err.codes].sort()).toEqual(
        [
          "DATA_NAME_PREFIX",
          "DATA_SUBNETS",
          "REDIS_ENGINE_VERSION",
          "REDIS_NODE_TYPE",
          "REDIS_REPLICAS",
          "REDIS_SHARDS",
          "REDIS_SNAPSHOT_RETENTION",
          "REDIS_USER_NAME",
        ].sort(),
      );
    });
  });
});
