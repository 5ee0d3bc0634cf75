import { Construct } from "constructs";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { Connections, IConnectable, Port, SecurityGroup } from "../network/connections";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IGrantable } from "../security/policy";
import {
  CACHE_ENGINE_VERSIONS,
  CACHE_NODE_MEMORY_GIB,
  CACHE_RESERVED_MEMORY_PERCENT,
  CacheEngine,
  DEFAULT_CACHE_ENGINE_VERSION,
  smallestCacheNodeFor,
  usableCacheMemoryGiB,
} from "./private/catalog";
import { accessStringWeakness } from "./private/access-string";
import { checkCommonProps, DataServiceProps, tagsOf } from "./private/common";

/** One ElastiCache user that authenticates with IAM (no password exists anywhere). */
export interface RedisIamUser {
  /** User name = user id (IAM users require both equal): lowercase letters, digits, hyphens. */
  readonly userName: string;
  /**
   * ACL access string, e.g. `on ~cache:* +@read +@write`.
   * @default "on ~* +@all -@dangerous" (every key, no administrative commands)
   */
  readonly accessString?: string;
}

/**
 * One ElastiCache user that authenticates with a password, for a client that cannot sign IAM tokens
 * (LMCache's Redis connector takes a static user name and password). Its password is owned by a
 * Secrets Manager secret and its rotation function ({@link CacheUserPasswordRotation}); Terraform only
 * creates the user with a bootstrap password that the first rotation (at apply) replaces.
 */
export interface RedisPasswordUser {
  /** User name = user id: lowercase letters, digits, hyphens. */
  readonly userName: string;
  /**
   * ACL access string. Required: a password user gets no default, so every key pattern and command it
   * may use is written down (e.g. `on ~vllm@* resetchannels -@all +get +set ...`).
   */
  readonly accessString: string;
}

/** The identifiers of a password user, for its rotation function and its clients. */
export interface RedisPasswordUserRef {
  readonly userId: string;
  readonly userName: string;
  readonly arn: string;
}

/** Properties of {@link RedisCluster}. */
export interface RedisClusterProps extends DataServiceProps {
  /** Node type from the built-in catalogue (cache.m7g / cache.r7g), e.g. `cache.r7g.large`. */
  readonly nodeType: string;
  /** Shards (`num_node_groups`), 1-500; data and writes spread over them. */
  readonly shards: number;
  /**
   * Replicas per shard (0 is refused: Multi-AZ failover needs a replica), 1-5.
   * @default 1
   */
  readonly replicasPerShard?: number;
  /**
   * Data the cache must hold across all shards, GiB. When set, `shards x usable memory per node`
   * (node memory minus the 25% `reserved-memory-percent`) must reach it, or the construct fails
   * naming the smallest node type that fits.
   * @default no memory check
   */
  readonly memoryGiB?: number;
  /**
   * Engine: `valkey` or `redis` (Redis OSS).
   * @default "valkey"
   */
  readonly engine?: CacheEngine;
  /**
   * Engine version from the closed set: valkey 7.2, 8.0, 8.1, 8.2; redis 7.1.
   * @default "8.1" for valkey, "7.1" for redis
   */
  readonly engineVersion?: string;
  /**
   * IAM-authenticated users the workloads connect as; each gets `elasticache:Connect` through
   * {@link RedisCluster.grantConnect}.
   * @default one user, `<namePrefix>-app`, with the default access string
   */
  readonly users?: readonly RedisIamUser[];
  /**
   * Password-authenticated users (for clients that cannot use IAM auth), each with an explicit access
   * string that may not be `+@all` or match every key; rotate their passwords with {@link CacheUserPasswordRotation}.
   * @default none
   */
  readonly passwordUsers?: readonly RedisPasswordUser[];
  /**
   * Daily snapshots kept, 1-35 days.
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Daily snapshot window (UTC, `hh:mm-hh:mm`, at least 60 minutes).
   * @default "03:00-04:00"
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly maintenance window (UTC, `ddd:hh:mm-ddd:hh:mm`); must not overlap the snapshot window.
   * @default "sun:05:00-sun:06:00"
   */
  readonly maintenanceWindow?: string;
  /**
   * TCP port.
   * @default 6379
   */
  readonly port?: number;
}

const DEFAULT_ACCESS_STRING = "on ~* +@all -@dangerous";

/**
 * ElastiCache (Valkey or Redis OSS) replication group for the async workers' results and, when the plan
 * deploys it, LMCache's remote KV tier: cluster mode with shards and
 * replicas, Multi-AZ with automatic failover, encryption at rest with the customer key,
 * TLS required, IAM-authenticated RBAC users (the built-in `default` user is replaced by a
 * disabled one), optional password users with checked access strings, snapshots, and slow and
 * engine logs in encrypted log groups.
 *
 * @example
 * const cache = new RedisCluster(this, "Cache", {
 *   vpcId, subnetIds: privateSubnetIds, kmsKey, namePrefix: "headroom-prod",
 *   nodeType: "cache.r7g.large", shards: 2, replicasPerShard: 1, memoryGiB: 12,
 * });
 * cache.connections.allowFrom(gpuNodes, Port.tcp(cache.port), "inference pods use the response cache");
 * cache.grantConnect(inferenceIdentity);
 */
export class RedisCluster extends Construct implements IConnectable {
  /** The `aws_elasticache_replication_group` (escape hatch). */
  public readonly resource: ElasticacheReplicationGroup;
  /** Security group rules, with 6379 (or `port`) as the default port. */
  public readonly connections: Connections;
  /** The service's security group. */
  public readonly securityGroup: SecurityGroup;
  /** Cluster-mode configuration endpoint (clients discover shards from it). */
  public readonly configurationEndpointAddress: string;
  public readonly port: number;
  public readonly replicationGroupId: string;
  public readonly replicationGroupArn: string;
  public readonly userGroupId: string;
  /** IAM user names the workloads may connect as, in the order given. */
  public readonly userNames: readonly string[];
  /** Usable memory across all shards (primary nodes) after reserved memory, GiB. */
  public readonly usableMemoryGiB: number;
  private readonly userArns = new Map<string, string>();
  private readonly passwordUserRefs = new Map<string, RedisPasswordUserRef>();

  public constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const engine = props.engine ?? "valkey";
    const engineVersion = props.engineVersion ?? DEFAULT_CACHE_ENGINE_VERSION[engine] ?? "";
    const replicasPerShard = props.replicasPerShard ?? 1;
    const snapshotRetentionDays = props.snapshotRetentionDays ?? 7;
    const snapshotWindow = props.snapshotWindow ?? "03:00-04:00";
    const maintenanceWindow = props.maintenanceWindow ?? "sun:05:00-sun:06:00";
    this.port = props.port ?? 6379;
    const users = props.users ?? [{ userName: `${props.namePrefix}-app` }];

    const problems = new Problems(`RedisCluster '${this.node.path}' props`);
    // The replication group id is `<prefix>-cache` and may have at most 40 characters.
    checkCommonProps(problems, props, 34);
    problems.checkOneOf("REDIS_ENGINE", "engine", engine, ["valkey", "redis"]);
    const versions = CACHE_ENGINE_VERSIONS[engine] ?? {};
    const family = versions[engineVersion];
    if (family === undefined) problems.add("REDIS_ENGINE_VERSION", "engineVersion", engineVersion, `for ${engine}: one of ${Object.keys(versions).join(", ")}`);
    const shardsOk = problems.checkNumber("REDIS_SHARDS", "shards", props.shards, { min: 1, max: 500, integer: true });
    problems.checkNumber("REDIS_REPLICAS", "replicasPerShard", replicasPerShard, { min: 1, max: 5, integer: true });
    problems.checkNumber("REDIS_SNAPSHOT_RETENTION", "snapshotRetentionDays", snapshotRetentionDays, { min: 1, max: 35, integer: true });
    problems.checkNumber("REDIS_PORT", "port", this.port, { min: 1024, max: 65535, integer: true });
    if (!/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(snapshotWindow)) {
      problems.add("REDIS_SNAPSHOT_WINDOW", "snapshotWindow", snapshotWindow, "hh:mm-hh:mm in UTC");
    }
    if (!/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/.test(maintenanceWindow)) {
      problems.add("REDIS_MAINTENANCE_WINDOW", "maintenanceWindow", maintenanceWindow, "ddd:hh:mm-ddd:hh:mm in UTC, e.g. sun:05:00-sun:06:00");
    }
    const usablePerNode = usableCacheMemoryGiB(props.nodeType);
    if (usablePerNode === undefined) {
      problems.add("REDIS_NODE_TYPE", "nodeType", props.nodeType, `one of ${Object.keys(CACHE_NODE_MEMORY_GIB).join(", ")}`);
    } else if (props.memoryGiB !== undefined && shardsOk) {
      if (problems.checkNumber("REDIS_MEMORY", "memoryGiB", props.memoryGiB, { min: 0, exclusiveMin: true })) {
        const usable = usablePerNode * props.shards;
        if (usable < props.memoryGiB) {
          const fits = smallestCacheNodeFor(props.memoryGiB, props.shards);
          problems.add(
            "REDIS_NODE_TOO_SMALL",
            "nodeType",
            props.nodeType,
            `a node type holding ${props.memoryGiB} GiB over ${props.shards} shard(s) after ${CACHE_RESERVED_MEMORY_PERCENT}% reserved memory ` +
              `(${props.nodeType} gives ${round2(usable)} GiB); ` +
              (fits ? `smallest that fits: ${fits}` : "no catalogued type fits: add shards"),
          );
        }
      }
    }
    const seen = new Set<string>();
    users.forEach((u, i) => {
      if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(u.userName) || u.userName.length > 40 || u.userName === "default") {
        problems.add("REDIS_USER_NAME", `users[${i}].userName`, u.userName, "1-40 lowercase letters, digits and single hyphens, not 'default' (IAM users need user id = user name)");
      }
      if (seen.has(u.userName)) problems.add("REDIS_USER_DUPLICATE", `users[${i}].userName`, u.userName, "each user name once");
      seen.add(u.userName);
    });
    if (users.length === 0) problems.add("REDIS_USERS", "users", users, "at least one IAM user");
    (props.passwordUsers ?? []).forEach((u, i) => {
      if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(u.userName) || u.userName.length > 40 || u.userName === "default") {
        problems.add("REDIS_USER_NAME", `passwordUsers[${i}].userName`, u.userName, "1-40 lowercase letters, digits and single hyphens, not 'default'");
      }
      if (seen.has(u.userName)) problems.add("REDIS_USER_DUPLICATE", `passwordUsers[${i}].userName`, u.userName, "each user name once (IAM and password users together)");
      seen.add(u.userName);
      const weak = accessStringWeakness(u.accessString);
      if (weak) problems.add("REDIS_PASSWORD_USER_ACCESS", `passwordUsers[${i}].accessString`, u.accessString, `an access string that starts with "on", names its key patterns and commands, and ${weak}`);
    });
    problems.throwIfAny();

    const name = `${props.namePrefix}-cache`;
    const preventDestroy = props.preventDestroy ?? true;
    const tags = tagsOf(props);
    this.usableMemoryGiB = round2((usablePerNode as number) * props.shards);

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      description: `${engine} response cache ${name}`,
      name: `${name}-sg`,
      tags: props.tags,
    });
    this.connections = new Connections([this.securityGroup], Port.tcp(this.port));

    const subnetGroup = new ElasticacheSubnetGroup(this, "SubnetGroup", {
      name,
      description: `Private subnets of ${name}`,
      subnetIds: [...props.subnetIds],
      tags,
    });
    const parameterGroup = new ElasticacheParameterGroup(this, "ParameterGroup", {
      name: `${name}-${family}`,
      family: family as string,
      description: `Cluster mode, LRU eviction and 25% reserved memory for ${name}`,
      parameter: [
        { name: "cluster-enabled", value: "yes" },
        // A response cache evicts the least recently used key instead of refusing writes.
        { name: "maxmemory-policy", value: "allkeys-lru" },
        // Memory for the fork of snapshots and replica syncs (capacity-data.md).
        { name: "reserved-memory-percent", value: String(CACHE_RESERVED_MEMORY_PERCENT) },
      ],
      tags,
    });

    const logRetentionDays = props.logRetentionDays ?? 90;
    const slowLog = new EncryptedLogGroup(this, "SlowLog", {
      name: `/aws/elasticache/${name}/slow-log`,
      kmsKey: props.kmsKey,
      retentionDays: logRetentionDays,
      tags: props.tags,
    });
    const engineLog = new EncryptedLogGroup(this, "EngineLog", {
      name: `/aws/elasticache/${name}/engine-log`,
      kmsKey: props.kmsKey,
      retentionDays: logRetentionDays,
      tags: props.tags,
    });

    // The built-in `default` user has full access without a password. A user group must hold a
    // user named `default`, so it holds a replacement that is switched off and may run nothing.
    const disabledDefault = new ElasticacheUser(this, "DisabledDefaultUser", {
      userId: `${name}-default-off`,
      userName: "default",
      engine: "redis",
      accessString: "off ~* -@all",
      authenticationMode: { type: "no-password-required" },
      tags,
    });
    const userIds = [disabledDefault.userId];
    this.userNames = users.map((u) => u.userName);
    for (const u of users) {
      const user = new ElasticacheUser(this, `IamUser-${u.userName}`, {
        userId: u.userName,
        userName: u.userName,
        // Users of engine "redis" fit both Valkey and Redis OSS groups (ElastiCache RBAC rules).
        engine: "redis",
        accessString: u.accessString ?? DEFAULT_ACCESS_STRING,
        authenticationMode: { type: "iam" },
        tags,
      });
      userIds.push(user.userId);
      this.userArns.set(u.userName, user.arn);
    }
    for (const u of props.passwordUsers ?? []) {
      // A bootstrap password so the user can exist; the rotation function's first run (at apply) replaces
      // it and owns the password from then on, so Terraform ignores later changes.
      const bootstrap = new DataAwsSecretsmanagerRandomPassword(this, `BootstrapPassword-${u.userName}`, {
        passwordLength: 64,
        excludePunctuation: true,
        requireEachIncludedType: true,
      });
      const user = new ElasticacheUser(this, `PasswordUser-${u.userName}`, {
        userId: u.userName,
        userName: u.userName,
        engine: "redis",
        accessString: u.accessString,
        authenticationMode: { type: "password", passwords: [bootstrap.randomPassword] },
        tags,
        lifecycle: { ignoreChanges: ["authentication_mode", "passwords"] },
      });
      userIds.push(user.userId);
      this.passwordUserRefs.set(u.userName, { userId: user.userId, userName: u.userName, arn: user.arn });
    }
    const userGroup = new ElasticacheUserGroup(this, "UserGroup", {
      userGroupId: name,
      engine: "redis",
      userIds,
      tags,
    });
    this.userGroupId = userGroup.userGroupId;

    this.resource = new ElasticacheReplicationGroup(this, "Resource", {
      replicationGroupId: name,
      description: `Async results and the remote KV tier (${name})`,
      engine,
      engineVersion,
      nodeType: props.nodeType,
      port: this.port,
      clusterMode: "enabled",
      numNodeGroups: props.shards,
      replicasPerNodeGroup: replicasPerShard,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKey.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [userGroup.userGroupId],
      parameterGroupName: parameterGroup.name,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: this.connections.securityGroupIds,
      snapshotRetentionLimit: snapshotRetentionDays,
      snapshotWindow,
      maintenanceWindow,
      autoMinorVersionUpgrade: "true",
      finalSnapshotIdentifier: `${name}-final`,
      logDeliveryConfiguration: [
        { destination: slowLog.logGroupName, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        { destination: engineLog.logGroupName, destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
      ],
      tags,
      lifecycle: { preventDestroy },
    });
    pinAddress(this.resource, props.addressName ?? "cache");
    this.replicationGroupId = this.resource.id;
    this.replicationGroupArn = this.resource.arn;
    this.configurationEndpointAddress = this.resource.configurationEndpointAddress;
  }

  /** The password user `userName` (one of `passwordUsers`), for its rotation and its clients. */
  public passwordUser(userName: string): RedisPasswordUserRef {
    const ref = this.passwordUserRefs.get(userName);
    const problems = new Problems(`RedisCluster '${this.node.path}' passwordUser`);
    if (ref === undefined) problems.add("REDIS_PASSWORD_USER", "userName", userName, `one of ${[...this.passwordUserRefs.keys()].join(", ") || "(no passwordUsers)"}`);
    problems.throwIfAny();
    return ref as RedisPasswordUserRef;
  }

  /**
   * Lets `grantee` open IAM-authenticated connections as `userName`
   * (`elasticache:Connect` on the replication group and on that user).
   * @param userName one of {@link userNames}; @default the first user
   */
  public grantConnect(grantee: IGrantable, userName?: string): void {
    const name = userName ?? this.userNames[0];
    const arn = name === undefined ? undefined : this.userArns.get(name);
    const problems = new Problems(`RedisCluster '${this.node.path}' grantConnect`);
    if (arn === undefined) problems.add("REDIS_GRANT_USER", "userName", userName, `one of ${this.userNames.join(", ")}`);
    problems.throwIfAny();
    grantee.addToPrincipalPolicy({ actions: ["elasticache:Connect"], resources: [this.replicationGroupArn, arn as string] });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
