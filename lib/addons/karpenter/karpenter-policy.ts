import { PolicyStatement } from "../../security/policy";

/** What the controller's statements are scoped to. Tokens from `<env>-foundation` are fine. */
export interface KarpenterPolicyScope {
  readonly clusterName: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN of the node instance role Karpenter passes to EC2. */
  readonly nodeRoleArn: string;
  /** ARN of the interruption queue. */
  readonly interruptionQueueArn: string;
  /** Keys of the node volumes (EC2NodeClass `kmsKeyID`). @default none */
  readonly volumeKmsKeyArns?: readonly string[];
}

/**
 * The Karpenter v1.14 controller permissions, statement for statement from the upstream
 * getting-started CloudFormation (aws/karpenter-provider-aws, tag v1.14.1,
 * `website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`:
 * NodeLifecycle, IAMIntegration, EKSIntegration, Interruption and ResourceDiscovery policies),
 * scoped by the `kubernetes.io/cluster/<cluster>=owned` and `karpenter.sh/nodepool` tags Karpenter
 * puts on what it creates, plus two Headroom additions:
 * - the KMS grant EC2 needs to encrypt node volumes with a customer-managed key at launch
 *   (Karpenter is the launching principal; `kms:ViaService` and `kms:GrantIsForAWSResource` keep it to EC2);
 * - no `arc-zonal-shift:GetManagedResource` (ZonalShiftPolicy): zonal shift stays off in the chart settings.
 */
export function karpenterControllerStatements(s: KarpenterPolicyScope): PolicyStatement[] {
  const ec2 = (type: string, account = "*") => `arn:${s.partition}:ec2:${s.region}:${account}:${type}/*`;
  const owned = `kubernetes.io/cluster/${s.clusterName}`;
  const instanceProfiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
  const launched = [ec2("fleet"), ec2("instance"), ec2("volume"), ec2("network-interface"), ec2("launch-template"), ec2("spot-instances-request")];
  const statements: PolicyStatement[] = [
    {
      sid: "AllowScopedEC2InstanceAccessActions",
      actions: ["ec2:RunInstances", "ec2:CreateFleet"],
      resources: [ec2("image", ""), ec2("snapshot", ""), ec2("security-group"), ec2("subnet"), ec2("capacity-reservation"), ec2("placement-group")],
    },
    {
      sid: "AllowScopedEC2LaunchTemplateAccessActions",
      actions: ["ec2:RunInstances", "ec2:CreateFleet"],
      resources: [ec2("launch-template")],
      conditions: { StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    {
      sid: "AllowScopedEC2InstanceActionsWithTags",
      actions: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      resources: launched,
      conditions: {
        StringEquals: { [`aws:RequestTag/${owned}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      sid: "AllowScopedResourceCreationTagging",
      actions: ["ec2:CreateTags"],
      resources: launched,
      conditions: {
        StringEquals: {
          [`aws:RequestTag/${owned}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      sid: "AllowScopedResourceTagging",
      actions: ["ec2:CreateTags"],
      resources: [ec2("instance")],
      conditions: {
        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": s.clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      },
    },
    {
      sid: "AllowScopedDeletion",
      actions: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      resources: [ec2("instance"), ec2("launch-template")],
      conditions: { StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    {
      sid: "AllowPassingInstanceRole",
      actions: ["iam:PassRole"],
      resources: [s.nodeRoleArn],
      conditions: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    },
    {
      sid: "AllowScopedInstanceProfileCreationActions",
      actions: ["iam:CreateInstanceProfile"],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { [`aws:RequestTag/${owned}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": s.clusterName, "aws:RequestTag/topology.kubernetes.io/region": s.region },
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      sid: "AllowScopedInstanceProfileTagActions",
      actions: ["iam:TagInstanceProfile"],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: {
          [`aws:ResourceTag/${owned}`]: "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": s.region,
          [`aws:RequestTag/${owned}`]: "owned",
          "aws:RequestTag/eks:eks-cluster-name": s.clusterName,
          "aws:RequestTag/topology.kubernetes.io/region": s.region,
        },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      sid: "AllowScopedInstanceProfileActions",
      actions: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { [`aws:ResourceTag/${owned}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": s.region },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    { sid: "AllowInstanceProfileReadActions", actions: ["iam:GetInstanceProfile"], resources: [instanceProfiles] },
    { sid: "AllowUnscopedInstanceProfileListAction", actions: ["iam:ListInstanceProfiles"], resources: ["*"] },
    { sid: "AllowAPIServerEndpointDiscovery", actions: ["eks:DescribeCluster"], resources: [`arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`] },
    { sid: "AllowInterruptionQueueActions", actions: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], resources: [s.interruptionQueueArn] },
    {
      sid: "AllowRegionalReadActions",
      actions: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      resources: ["*"],
      conditions: { StringEquals: { "aws:RequestedRegion": s.region } },
    },
    { sid: "AllowSSMReadActions", actions: ["ssm:GetParameter"], resources: [`arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`] },
    { sid: "AllowPricingReadActions", actions: ["pricing:GetProducts"], resources: ["*"] },
  ];
  const keys = s.volumeKmsKeyArns ?? [];
  if (keys.length > 0) {
    statements.push(
      {
        sid: "AllowNodeVolumeKeyGrants",
        actions: ["kms:CreateGrant"],
        resources: [...keys],
        conditions: { Bool: { "kms:GrantIsForAWSResource": "true" }, StringEquals: { "kms:ViaService": `ec2.${s.region}.amazonaws.com` } },
      },
      {
        sid: "AllowNodeVolumeKeyUse",
        actions: ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*", "kms:DescribeKey"],
        resources: [...keys],
        conditions: { StringEquals: { "kms:ViaService": `ec2.${s.region}.amazonaws.com` } },
      },
    );
  }
  return statements;
}
