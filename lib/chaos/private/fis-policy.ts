/** Least-privilege statements of the FIS experiment role, one group per action Headroom's drills use. */
import { PolicyStatement } from "../../security/policy";

/** ARN pieces the statements are scoped with (tokens are fine). */
export interface FisScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
}

/**
 * Vended log delivery to the experiment's CloudWatch log group (FIS user guide, "Experiment
 * logging": the experiment role creates the delivery; these calls take no resource ARN).
 */
export function fisLoggingStatements(): PolicyStatement[] {
  return [{ sid: "ExperimentLogDelivery", actions: ["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], resources: ["*"] }];
}

/**
 * FIS resolves tag- and parameter-based targets (EC2 instances by tag, EKS pods, node groups)
 * through the Resource Groups Tagging API (FIS actions reference: `tag:GetResources` in every EKS
 * action's permissions); the call takes no resource ARN.
 */
export function fisTargetResolutionStatements(): PolicyStatement[] {
  return [{ sid: "ResolveTargets", actions: ["tag:GetResources"], resources: ["*"] }];
}

/**
 * `aws:ec2:terminate-instances` / `aws:ec2:stop-instances` on this cluster's nodes only: the
 * instances must carry `<clusterTagKey>=<cluster>` (Karpenter tags `eks:eks-cluster-name`, EKS
 * managed node groups `eks:cluster-name`).
 */
export function fisInstanceStatements(s: FisScope, clusterTagKey: string): PolicyStatement[] {
  return [
    { sid: "DescribeInstances", actions: ["ec2:DescribeInstances"], resources: ["*"] },
    {
      sid: "DisruptClusterNodes",
      actions: ["ec2:TerminateInstances", "ec2:StopInstances", "ec2:StartInstances"],
      resources: [`arn:${s.partition}:ec2:${s.region}:${s.accountId}:instance/*`],
      conditions: { StringEquals: { [`aws:ResourceTag/${clusterTagKey}`]: s.clusterName } },
    },
  ];
}

/** `aws:eks:terminate-nodegroup-instances` on this cluster's node groups (Cluster Autoscaler mode). */
export function fisNodegroupStatements(s: FisScope): PolicyStatement[] {
  return [
    { sid: "DescribeNodegroups", actions: ["eks:DescribeNodegroup"], resources: [`arn:${s.partition}:eks:${s.region}:${s.accountId}:nodegroup/${s.clusterName}/*`] },
    { sid: "DescribeNodegroupInstances", actions: ["ec2:DescribeInstances"], resources: ["*"] },
    {
      sid: "TerminateNodegroupInstances",
      actions: ["ec2:TerminateInstances"],
      resources: [`arn:${s.partition}:ec2:${s.region}:${s.accountId}:instance/*`],
      conditions: { StringEquals: { "aws:ResourceTag/eks:cluster-name": s.clusterName } },
    },
  ];
}

/**
 * `aws:network:disrupt-connectivity`: FIS clones the subnet's network ACL with deny entries, swaps
 * the association and restores it (FIS user guide, action reference; AWS managed policy
 * AWSFaultInjectionSimulatorNetworkAccess). ACLs it creates carry `managedByFIS=true`, and only
 * those can be changed or deleted.
 */
export function fisNetworkStatements(s: FisScope): PolicyStatement[] {
  const ec2 = (type: string) => `arn:${s.partition}:ec2:${s.region}:${s.accountId}:${type}/*`;
  return [
    {
      sid: "DescribeNetwork",
      actions: ["ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeVpcEndpoints"],
      resources: ["*"],
    },
    { sid: "CreateFisAcl", actions: ["ec2:CreateNetworkAcl"], resources: [ec2("network-acl")], conditions: { StringEquals: { "aws:RequestTag/managedByFIS": "true" } } },
    { sid: "CreateFisAclInVpc", actions: ["ec2:CreateNetworkAcl"], resources: [ec2("vpc")] },
    { sid: "TagFisAcl", actions: ["ec2:CreateTags"], resources: [ec2("network-acl")], conditions: { StringEquals: { "ec2:CreateAction": "CreateNetworkAcl", "aws:RequestTag/managedByFIS": "true" } } },
    {
      sid: "ChangeFisAcl",
      actions: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
      resources: [ec2("network-acl")],
      conditions: { StringEquals: { "ec2:ResourceTag/managedByFIS": "true" } },
    },
    { sid: "SwapSubnetAcl", actions: ["ec2:ReplaceNetworkAclAssociation"], resources: [ec2("subnet"), ec2("network-acl")] },
  ];
}

/** `aws:rds:reboot-db-instances` with `forceFailover` on the given instances. */
export function fisRdsStatements(dbInstanceArns: readonly string[]): PolicyStatement[] {
  return [
    { sid: "DescribeDbInstances", actions: ["rds:DescribeDBInstances"], resources: ["*"] },
    { sid: "FailOverDbInstances", actions: ["rds:RebootDBInstance"], resources: [...dbInstanceArns] },
  ];
}

/** `aws:ssm:start-automation-execution` of one document, passing its automation role. */
export function fisAutomationStatements(s: FisScope, documentName: string, automationRoleArn: string): PolicyStatement[] {
  return [
    { sid: "StartDrillAutomation", actions: ["ssm:StartAutomationExecution"], resources: [`arn:${s.partition}:ssm:${s.region}:${s.accountId}:automation-definition/${documentName}:*`] },
    { sid: "WatchDrillAutomation", actions: ["ssm:GetAutomationExecution", "ssm:StopAutomationExecution"], resources: [`arn:${s.partition}:ssm:${s.region}:${s.accountId}:automation-execution/*`] },
    { sid: "PassAutomationRole", actions: ["iam:PassRole"], resources: [automationRoleArn], conditions: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } } },
  ];
}

/**
 * `aws:eks:pod-*`: FIS reads the cluster to reach its API and the subnets its pod runs in (FIS
 * actions reference: `eks:DescribeCluster`, `ec2:DescribeSubnets`, `tag:GetResources`); RBAC then
 * limits what it may do inside.
 */
export function fisEksPodStatements(s: FisScope): PolicyStatement[] {
  return [
    { sid: "DescribeCluster", actions: ["eks:DescribeCluster"], resources: [`arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`] },
    { sid: "DescribePodSubnets", actions: ["ec2:DescribeSubnets"], resources: ["*"] },
  ];
}

/**
 * Trust policy of a role a service assumes on behalf of this account only (confused-deputy
 * protection: `aws:SourceAccount`, and `aws:SourceArn` when given).
 */
export function sourceAccountTrust(service: string, accountId: string, sourceArnLike?: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ...(sourceArnLike ? { ArnLike: { "aws:SourceArn": sourceArnLike } } : {}) },
      },
    ],
  });
}
