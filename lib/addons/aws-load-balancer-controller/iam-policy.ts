/**
 * The AWS Load Balancer Controller's IAM policy as statements.
 *
 * Follows the controller's published `docs/install/iam_policy.json` (v2.1x), statement by
 * statement, with three tightenings: where upstream only requires that the
 * `elbv2.k8s.aws/cluster` tag EXISTS (`Null: false`), this policy requires it to EQUAL this
 * cluster's name, so one cluster's controller cannot modify another cluster's load balancers or
 * security groups; ingress-rule changes on groups the controller does not own are limited to groups
 * tagged {@link nodeSecurityGroupTagKey} (upstream allows them on every group); and WAF/Shield actions
 * are left out unless asked for (the chart's `enableWaf*`/`enableShield` are off by default here).
 */
import { PolicyStatement } from "../../security/policy";

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * Tag key the controller looks for on the node security group it adds rules to (any value,
 * conventionally `owned`). The node security group of the cluster must carry it: the controller needs
 * it to choose among an ENI's groups, and the IAM policy allows rule changes only on groups that carry
 * it or the controller's own `elbv2.k8s.aws/cluster` tag.
 */
export function nodeSecurityGroupTagKey(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}

/** Options of {@link loadBalancerControllerStatements}. */
export interface LoadBalancerControllerPolicyOptions {
  readonly clusterName: string;
  /** Region that resource ARNs are scoped to. */
  readonly region: string;
  /** Include WAF (regional, v2) and Shield actions. */
  readonly wafAndShield: boolean;
}

/** Least-privilege statements for the controller of one cluster. */
export function loadBalancerControllerStatements(o: LoadBalancerControllerPolicyOptions): PolicyStatement[] {
  const elb = (suffix: string): string => `arn:aws:elasticloadbalancing:${o.region}:*:${suffix}`;
  const sgArn = `arn:aws:ec2:${o.region}:*:security-group/*`;
  const ownedResource = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: o.clusterName } };
  const ownedRequest = { StringEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: o.clusterName } };
  const statements: PolicyStatement[] = [
    {
      sid: "CreateElbServiceLinkedRole",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: ["*"],
      conditions: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      // Describe/Get calls do not support resource-level permissions.
      sid: "Describe",
      actions: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:GetCoipPoolUsage",
        "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc",
        "ec2:DescribeIpamPools",
        "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      resources: ["*"],
    },
    {
      sid: "CertificatesAndCognito",
      actions: [
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
      ],
      resources: ["*"],
    },
    {
      // The controller adds its backend rule to the targets' (node ENI) security group, which it does
      // not own. It picks that group by the tag KEY `kubernetes.io/cluster/<cluster>` whenever an ENI
      // has more than one group (networking_manager.go, "expected exactly one securityGroup tagged
      // with ..."), so requiring the key leaves it every group it can pick and no other group in the
      // account. Upstream's iam_policy.json still grants these two actions on "*" unconditioned.
      sid: "ManageNodeSecurityGroupRules",
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      resources: [sgArn],
      conditions: { Null: { [`aws:ResourceTag/${nodeSecurityGroupTagKey(o.clusterName)}`]: "false" } },
    },
    {
      sid: "CreateSecurityGroup",
      actions: ["ec2:CreateSecurityGroup"],
      resources: ["*"],
    },
    {
      sid: "TagNewSecurityGroup",
      actions: ["ec2:CreateTags"],
      resources: [sgArn],
      conditions: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", [`aws:RequestTag/${CLUSTER_TAG}`]: o.clusterName } },
    },
    {
      sid: "RetagOwnedSecurityGroup",
      actions: ["ec2:CreateTags", "ec2:DeleteTags"],
      resources: [sgArn],
      conditions: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true" }, ...ownedResource },
    },
    {
      sid: "ManageOwnedSecurityGroup",
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      resources: [sgArn],
      conditions: ownedResource,
    },
    {
      sid: "CreateOwnedLoadBalancer",
      actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      resources: ["*"],
      conditions: ownedRequest,
    },
    {
      sid: "ManageListenersAndRules",
      actions: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
      ],
      resources: ["*"],
    },
    {
      sid: "RetagOwnedLoadBalancer",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")],
      conditions: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true" }, ...ownedResource },
    },
    {
      sid: "TagListenersAndRules",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [
        elb("listener/net/*/*/*"),
        elb("listener/app/*/*/*"),
        elb("listener-rule/net/*/*/*"),
        elb("listener-rule/app/*/*/*"),
      ],
    },
    {
      sid: "ManageOwnedLoadBalancer",
      actions: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ],
      resources: ["*"],
      conditions: ownedResource,
    },
    {
      sid: "TagOnCreate",
      actions: ["elasticloadbalancing:AddTags"],
      resources: [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")],
      conditions: {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"],
          [`aws:RequestTag/${CLUSTER_TAG}`]: o.clusterName,
        },
      },
    },
    {
      sid: "RegisterTargets",
      actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      resources: [elb("targetgroup/*/*")],
    },
    {
      sid: "ModifyListeners",
      actions: [
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:SetRulePriorities",
      ],
      resources: ["*"],
    },
  ];
  if (o.wafAndShield) {
    statements.push({
      sid: "WafAndShield",
      actions: [
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
        "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      resources: ["*"],
    });
  }
  return statements;
}
