/**
 * A consumer of Headroom: a team's own stack that imports the constructs from the
 * package entry ("headroom", resolved through package.json `exports` to the compiled
 * library) and sizes its cache from a capacity plan of its own workload.
 *
 * Run: npm run build && npm run example
 */
import * as os from "os";
import * as path from "path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DEV_WORKLOAD, KmsKey, ModelBucket, NatGateways, Port, RedisCluster, SecurityGroup, Vpc, applyCompliance, planCapacity } from "headroom";

class ChatCacheStack extends TerraformStack {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });

    // Our own workload: the dev preset at twice the traffic.
    const plan = planCapacity({ ...DEV_WORKLOAD, workload: { ...DEV_WORKLOAD.workload, peakRequestsPerSecond: 4 }, availabilityZones: 2 });

    const logsKey = new KmsKey(this, "LogsKey", { alias: "chat-logs", description: "chat: logs", allowCloudWatchLogs: true });
    const dataKey = new KmsKey(this, "DataKey", { alias: "chat-data", description: "chat: cache and models", allowCloudWatchLogs: true });
    const vpc = new Vpc(this, "Vpc", { name: "chat", cidr: "10.60.0.0/16", azCount: 2, natGateways: NatGateways.SINGLE, logsKey });
    const apps = new SecurityGroup(this, "Apps", { vpcId: vpc.vpcId, description: "chat API pods", allowAllOutbound: true });

    const cache = new RedisCluster(this, "Cache", {
      vpcId: vpc.vpcId,
      subnetIds: vpc.privateSubnetIds,
      kmsKey: dataKey,
      namePrefix: "chat",
      nodeType: plan.redis.nodeType,
      shards: plan.redis.shards,
      replicasPerShard: plan.redis.replicasPerShard,
      memoryGiB: plan.redis.memoryGiB,
    });
    cache.connections.allowFrom(apps, Port.tcp(cache.port), "chat API reads the response cache");
    new ModelBucket(this, "Models", { kmsKey: dataKey, namePrefix: "chat" });
  }
}

const outdir = process.env.CDKTF_OUTDIR ?? path.join(os.tmpdir(), "headroom-example-out");
const app = new App({ outdir });
const stack = new ChatCacheStack(app, "chat-cache");
// Local state is this example's explicit choice; the pack allows it only when told.
applyCompliance(stack, { allowLocalState: true });
app.synth();
console.log(`example: synthesized ${stack.node.id} with the compliance pack into ${outdir}`);
