/**
 * The first example of lib/data/README.md, copied verbatim (imports re-rooted to this folder)
 * so the type-check proves it compiles and the test proves it synthesizes and passes the pack.
 */
import { Testing } from "cdktf";
import { Compliance } from "../../lib/compliance";
import { resourcesOf, synthJson } from "../helpers/synth";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Database, KafkaCluster, ModelBucket, RedisCluster } from "../../lib/data";
import { Port, SecurityGroup } from "../../lib/network/connections";
import { KmsKey } from "../../lib/security/kms-key";

class DataTier extends TerraformStack {
  constructor(scope: Construct, id: string, vpcId: string, privateSubnetIds: string[]) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    // In the foundation stack this is the GPU node group (anything IConnectable).
    const nodes = new SecurityGroup(this, "Nodes", { vpcId, description: "GPU nodes", allowAllOutbound: true });
    // The key must admit CloudWatch Logs: every service logs to a log group encrypted with it.
    const kmsKey = new KmsKey(this, "DataKey", { alias: "headroom-prod-data", description: "data tier", allowCloudWatchLogs: true });
    const common = { vpcId, subnetIds: privateSubnetIds, kmsKey, namePrefix: "headroom-prod" };

    const cache = new RedisCluster(this, "Cache", { ...common, nodeType: "cache.r7g.large", shards: 2, memoryGiB: 16 });
    const kafka = new KafkaCluster(this, "Kafka", { ...common, brokers: 3, brokerInstanceType: "kafka.m7g.large", storagePerBrokerGiB: 500 });
    const db = new Database(this, "Database", { ...common, instanceClass: "db.r7g.xlarge", allocatedStorageGiB: 200, readReplicas: 2 });
    const models = new ModelBucket(this, "Models", { kmsKey, namePrefix: "headroom-prod" });

    cache.connections.allowFrom(nodes, Port.tcp(6379), "inference pods use the response cache");
    kafka.connections.allowFrom(nodes, Port.tcp(9098), "workers produce and consume requests");
    db.connections.allowFrom(nodes, Port.tcp(5432), "workers query PostgreSQL");
    void models;
  }
}

test("the README example synthesizes, opens only the three ports and passes the compliance pack", () => {
  const stack = new DataTier(Testing.app(), "data", "vpc-1", ["subnet-a", "subnet-b", "subnet-c"]);
  Compliance.of(stack).apply({ allowLocalState: true, log: false });
  const json = synthJson(stack);
  const ports = (Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[])
    .filter((r) => r.description !== "RDS Proxy pools connections to the primary")
    .map((r) => r.from_port)
    .sort();
  // 5432 twice: the proxy and the replicas.
  expect(ports).toEqual([5432, 5432, 6379, 9098]);
});
