import { Compliance } from "../../lib/compliance";
import { Database, KafkaCluster, ModelBucket, RedisCluster } from "../../lib/data";
import { KmsKey } from "../../lib/security/kms-key";
import { resourcesOf, synthJson } from "../helpers/synth";
import { BASE, stack } from "./fixtures";

/** Every data construct in one stack, with a real customer-managed key, as the foundation stack builds them. */
function dataTier(preventDestroy?: boolean, weaken?: (cache: RedisCluster) => void) {
  const s = stack();
  const kmsKey = new KmsKey(s, "DataKey", { alias: "headroom-test-data", description: "data tier", allowCloudWatchLogs: true });
  const common = { ...BASE, kmsKey, preventDestroy };
  const cache = new RedisCluster(s, "Cache", { ...common, nodeType: "cache.r7g.large", shards: 2, memoryGiB: 15 });
  weaken?.(cache);
  new KafkaCluster(s, "Kafka", { ...common, brokers: 3, brokerInstanceType: "kafka.m7g.large", storagePerBrokerGiB: 200 });
  new Database(s, "Database", { ...common, instanceClass: "db.r7g.large", allocatedStorageGiB: 100, readReplicas: 1 });
  new ModelBucket(s, "Models", { kmsKey, namePrefix: BASE.namePrefix, preventDestroy });
  // Tearing down is a deliberate, reasoned exception to the pack (lib/data/README.md).
  if (preventDestroy === false) Compliance.suppress(s, "HR-DATA-1", "tearing the test environment down on purpose");
  Compliance.of(s).apply({ allowLocalState: true, log: false });
  return synthJson(s);
}

/** Keys whose value would be a plaintext secret in Terraform JSON. */
const SECRET_KEYS = new Set(["password", "passwords", "auth_token", "master_password", "secret_string", "password_wo", "secret_binary"]);

function secretKeysIn(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretKeysIn(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [...(SECRET_KEYS.has(k) ? [`${path}.${k}`] : []), ...secretKeysIn(v, `${path}.${k}`)]);
  }
  return [];
}

describe("data tier in one stack", () => {
  const json = dataTier();

  test("synthesizes with the real key wired everywhere at rest", () => {
    const keyRef = "${aws_kms_key.headroom-test-data.";
    const rg = Object.values(resourcesOf(json, "aws_elasticache_replication_group"))[0];
    const msk = Object.values(resourcesOf(json, "aws_msk_cluster"))[0];
    const dbs = Object.values(resourcesOf(json, "aws_db_instance")) as any[];
    expect(rg.kms_key_id).toContain(keyRef);
    expect(msk.encryption_info.encryption_at_rest_kms_key_arn).toContain(keyRef);
    for (const d of dbs) expect(d.kms_key_id).toContain(keyRef);
    for (const g of Object.values(resourcesOf(json, "aws_cloudwatch_log_group")) as any[]) expect(g.kms_key_id).toContain(keyRef);
  });

  test("passes the compliance pack; the pack fails a weakened cache", () => {
    expect(() => dataTier(undefined, (c) => c.resource.addOverride("transit_encryption_enabled", false))).toThrow(/HR-REDIS/);
  });

  test("no literal password, auth token or secret value anywhere in the JSON", () => {
    expect(secretKeysIn(json)).toEqual([]);
  });

  test("the scan would catch a literal password", () => {
    expect(secretKeysIn({ resource: { x: { y: { auth_token: "hunter2" } } } })).toEqual([".resource.x.y.auth_token"]);
  });

  test("every stateful resource carries prevent_destroy by default and drops it when opted out", () => {
    const stateful = ["aws_elasticache_replication_group", "aws_msk_cluster", "aws_db_instance", "aws_s3_bucket"];
    const flags = (j: ReturnType<typeof synthJson>) => stateful.flatMap((t) => Object.values(resourcesOf(j, t)).map((r: any) => r.lifecycle?.prevent_destroy));
    expect(flags(json)).toEqual([true, true, true, true, true]);
    expect(flags(dataTier(false))).toEqual([false, false, false, false, false]);
  });

  test("no security group allows ingress from a CIDR: only rules the stack adds between groups", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[];
    for (const r of ingress) expect(r.cidr_ipv4).toBeUndefined();
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")) as any[];
    for (const r of egress) expect(r.cidr_ipv4).toBeUndefined();
  });
});
