import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

/** Account, partition and region of the stack's AWS provider, as Terraform tokens. */
export interface AwsContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  readonly dnsSuffix: string;
}

const CONTEXT_ID = "HeadroomAwsContext";

/**
 * Returns the stack-wide AWS context, creating its three data sources once per
 * stack (not once per construct), so ARNs can be built without hard-coding
 * `aws` or an account id.
 */
export function awsContext(scope: Construct): AwsContext {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CONTEXT_ID) as AwsContextConstruct | undefined;
  return (existing ?? new AwsContextConstruct(stack, CONTEXT_ID)).context;
}

class AwsContextConstruct extends Construct {
  public readonly context: AwsContext;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const identity = new DataAwsCallerIdentity(this, "Identity");
    const partition = new DataAwsPartition(this, "Partition");
    const region = new DataAwsRegion(this, "Region");
    this.context = {
      accountId: identity.accountId,
      partition: partition.partition,
      region: region.region,
      dnsSuffix: partition.dnsSuffix,
    };
  }
}
