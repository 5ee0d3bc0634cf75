import { AWS_LOAD_BALANCER_CONTROLLER_CHART, AwsLoadBalancerController, loadBalancerControllerStatements, nodeSecurityGroupTagKey } from "../../lib/addons";
import { policyDocument } from "../../lib/security/policy";
import { identityPolicy, release, synthAddons, validationError } from "./helpers";

describe("AwsLoadBalancerController", () => {
  const { json } = synthAddons([new AwsLoadBalancerController()], { clusterName: "prod-east", region: "eu-west-1", vpcId: "vpc-0abc" });
  const r = release(json, "aws-load-balancer-controller");
  const values = JSON.parse(r.values[0]);

  test("pinned eks-charts chart in kube-system", () => {
    expect(AWS_LOAD_BALANCER_CONTROLLER_CHART).toEqual({ chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version: "1.14.0" });
    expect([r.chart, r.repository, r.version, r.namespace]).toEqual(["aws-load-balancer-controller", "https://aws.github.io/eks-charts", "1.14.0", "kube-system"]);
  });

  test("values carry the cluster, region and VPC, and the mutating webhook is off", () => {
    expect(values).toMatchObject({ clusterName: "prod-east", region: "eu-west-1", vpcId: "vpc-0abc", replicaCount: 2, enableServiceMutatorWebhook: false });
    expect(values.serviceAccount).toEqual({ create: true, name: "aws-load-balancer-controller" });
    expect([values.enableWaf, values.enableWafv2, values.enableShield]).toEqual([false, false, false]);
  });

  test("restricted security context, resources, system nodes", () => {
    expect(values.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(values.resources.requests).toEqual({ cpu: "100m", memory: "256Mi" });
    expect(values.resources.limits.memory).toBe("256Mi");
    expect(values.nodeSelector).toEqual({ "headroom.dev/node-role": "system" });
  });

  test("Pod Identity role for its service account; the release waits for the association", () => {
    const { association, document } = identityPolicy(json, "aws-load-balancer-controller");
    expect(association.namespace).toBe("kube-system");
    expect(association.cluster_name).toBe("prod-east");
    expect(r.depends_on).toContain(`aws_eks_pod_identity_association.${Object.keys(json.resource!.aws_eks_pod_identity_association)[0]}`);
    const sids = document.Statement.map((s: any) => s.Sid);
    expect(sids).toContain("ManageOwnedLoadBalancer");
    expect(sids).not.toContain("WafAndShield");
  });

  test("tag conditions name this cluster, not any cluster", () => {
    const statements = loadBalancerControllerStatements({ clusterName: "prod-east", region: "eu-west-1", wafAndShield: false });
    const owned = statements.find((s) => s.sid === "ManageOwnedLoadBalancer")!;
    expect(owned.conditions).toEqual({ StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "prod-east" } });
    const create = statements.find((s) => s.sid === "CreateOwnedLoadBalancer")!;
    expect(create.conditions).toEqual({ StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "prod-east" } });
    const other = loadBalancerControllerStatements({ clusterName: "dev", region: "us-east-1", wafAndShield: false });
    expect(other.find((s) => s.sid === "ManageOwnedSecurityGroup")!.conditions).toEqual({ StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "dev" } });
    expect(other.find((s) => s.sid === "RegisterTargets")!.resources).toEqual(["arn:aws:elasticloadbalancing:us-east-1:*:targetgroup/*/*"]);
    // Deleting or modifying load balancers is only ever allowed on owned ones.
    for (const s of statements) {
      if (s.actions.some((a) => /DeleteLoadBalancer|DeleteSecurityGroup|DeleteTargetGroup/.test(a))) expect(s.conditions).toBeDefined();
    }
  });

  test("security-group ingress changes need a tag of this cluster: the controller's own or the node group's", () => {
    const statements = loadBalancerControllerStatements({ clusterName: "prod-east", region: "eu-west-1", wafAndShield: false });
    const ingress = statements.filter((s) => s.actions.some((a) => /^ec2:(Authorize|Revoke)SecurityGroup(Ingress|Egress)$/.test(a)));
    expect(ingress.map((s) => s.sid)).toEqual(["ManageNodeSecurityGroupRules", "ManageOwnedSecurityGroup"]);
    expect(ingress.map((s) => s.conditions)).toEqual([
      { Null: { [`aws:ResourceTag/${nodeSecurityGroupTagKey("prod-east")}`]: "false" } },
      { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "prod-east" } },
    ]);
    expect(nodeSecurityGroupTagKey("prod-east")).toBe("kubernetes.io/cluster/prod-east");
    // No EC2 mutation anywhere is left unconditioned (only the create call, whose tags are then required).
    for (const s of statements) {
      const mutating = s.actions.filter((a) => a.startsWith("ec2:") && !/^ec2:(Describe|Get)/.test(a));
      if (mutating.length > 0 && !mutating.every((a) => a === "ec2:CreateSecurityGroup")) expect({ sid: s.sid, conditions: s.conditions }).toEqual({ sid: s.sid, conditions: expect.anything() });
    }
  });

  test("the policy fits IAM's 10,240-character inline policy limit", () => {
    expect(policyDocument(loadBalancerControllerStatements({ clusterName: "a-long-cluster-name-prod", region: "ap-southeast-2", wafAndShield: true })).length).toBeLessThan(10_240);
  });

  test("WAF and Shield are granted and enabled only when asked", () => {
    const waf = synthAddons([new AwsLoadBalancerController({ enableWafAndShield: true })]).json;
    expect(JSON.parse(release(waf, "aws-load-balancer-controller").values[0]).enableWafv2).toBe(true);
    expect(identityPolicy(waf, "aws-load-balancer-controller").document.Statement.map((s: any) => s.Sid)).toContain("WafAndShield");
  });

  test("replicas are validated", () => {
    expect(validationError(() => synthAddons([new AwsLoadBalancerController({ replicas: 0 })])).codes).toEqual(["ADDON_REPLICAS"]);
  });
});
