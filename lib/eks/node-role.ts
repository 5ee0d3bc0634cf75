import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { serviceTrustPolicy } from "../security/policy";
import { awsContext } from "../security/private/aws-context";

/**
 * AWS managed policies of a node's instance role, and nothing else (EKS user guide,
 * "Amazon EKS node IAM role"): the kubelet's EC2 describe calls and the Pod Identity
 * agent's `eks-auth:AssumeRoleForPodIdentity` (AmazonEKSWorkerNodePolicy), and image
 * pulls from ECR (AmazonEC2ContainerRegistryPullOnly, pull-only rather than ReadOnly).
 * AmazonEKS_CNI_Policy is deliberately absent: the vpc-cni add-on gets it through its
 * own Pod Identity role, so no pod on the node inherits ENI permissions.
 */
export const NODE_MANAGED_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"] as const;

/** The instance role of a node group; pods never get its permissions through Pod Identity. */
export class NodeRole extends Construct {
  public readonly role: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;
  /** The managed-policy attachments; node groups wait for them so nodes can join. */
  public readonly attachments: readonly IamRolePolicyAttachment[];

  public constructor(scope: Construct, id: string, props: { readonly description: string; readonly tags?: Readonly<Record<string, string>> }) {
    super(scope, id);
    const ctx = awsContext(this);
    this.role = new IamRole(this, "Resource", {
      description: props.description,
      assumeRolePolicy: serviceTrustPolicy([`ec2.${ctx.dnsSuffix}`]),
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.attachments = NODE_MANAGED_POLICIES.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: `arn:${ctx.partition}:iam::aws:policy/${policy}` }),
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
