import { ValidationError } from "../../lib/core/validation";
import { WorkloadIdentity } from "../../lib/eks/workload-identity";
import { onlyResource, resourcesOf, synthJson, testStack } from "../helpers/synth";

function build() {
  const { stack } = testStack();
  const identity = new WorkloadIdentity(stack, "Inference", {
    clusterName: "headroom-test",
    namespace: "inference",
    serviceAccount: "vllm",
    statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::models/*"] }],
    managedPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
  });
  // Granted after construction: must still be rendered.
  identity.addToPrincipalPolicy({ sid: "Later", actions: ["kafka-cluster:Connect"], resources: ["arn:aws:kafka:us-east-1:1:cluster/x/y"] });
  const bare = new WorkloadIdentity(stack, "Bare", { clusterName: "headroom-test", namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", associate: false });
  return { identity, bare, json: synthJson(stack) };
}

describe("WorkloadIdentity", () => {
  const { identity, json } = build();
  const roles = resourcesOf(json, "aws_iam_role");
  const role = Object.entries(roles).find(([k]) => k.startsWith("Inference"))![1];

  test("role trusts only EKS Pod Identity, from this account, for this cluster/namespace/service account", () => {
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    const s = trust.Statement[0];
    expect(s.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(s.Action).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(s.Condition.StringEquals["aws:SourceAccount"]).toMatch(/data\.aws_caller_identity\..*\.account_id/);
    expect(s.Condition.StringEquals["aws:RequestTag/eks-cluster-name"]).toBe("headroom-test");
    expect(s.Condition.StringEquals["aws:RequestTag/kubernetes-namespace"]).toBe("inference");
    expect(s.Condition.StringEquals["aws:RequestTag/kubernetes-service-account"]).toBe("vllm");
  });

  test("pod identity association binds the role to the service account", () => {
    const assoc = onlyResource(json, "aws_eks_pod_identity_association");
    expect(assoc.cluster_name).toBe("headroom-test");
    expect(assoc.namespace).toBe("inference");
    expect(assoc.service_account).toBe("vllm");
    expect(assoc.role_arn).toMatch(/aws_iam_role\.Inference.*\.arn/);
  });

  test("inline policy holds construction-time and later statements", () => {
    const policies = Object.values(resourcesOf(json, "aws_iam_role_policy"));
    expect(policies).toHaveLength(1);
    const doc = JSON.parse((policies[0] as any).policy);
    expect(doc.Statement).toEqual([
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*" },
      { Sid: "Later", Effect: "Allow", Action: "kafka-cluster:Connect", Resource: "arn:aws:kafka:us-east-1:1:cluster/x/y" },
    ]);
    expect((policies[0] as any).role).toMatch(/aws_iam_role\.Inference.*\.name/);
    expect(identity.policyStatements).toHaveLength(2);
  });

  test("managed policies are attached; no inline policy and no association when not asked", () => {
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")) as any[];
    expect(attachments.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
    expect(Object.keys(roles)).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, "aws_eks_pod_identity_association"))).toHaveLength(1);
  });

  test("exposes role ARN and name as tokens", () => {
    expect(identity.roleArn).toContain("${");
    expect(identity.roleName).toContain("${");
    expect(identity.role).toBeDefined();
  });
});

describe("WorkloadIdentity fails when", () => {
  test("namespace, service account and managed policy ARN are malformed (all reported)", () => {
    const { stack } = testStack();
    let error: ValidationError | undefined;
    try {
      new WorkloadIdentity(stack, "Bad", {
        clusterName: "c",
        namespace: "Inference_NS",
        serviceAccount: "-sa",
        managedPolicyArns: ["AmazonS3ReadOnlyAccess"],
        roleName: "x".repeat(65),
      });
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.codes).toEqual(["WORKLOAD_IDENTITY_NAMESPACE", "WORKLOAD_IDENTITY_SERVICE_ACCOUNT", "WORKLOAD_IDENTITY_MANAGED_POLICY", "WORKLOAD_IDENTITY_ROLE_NAME"]);
    expect(error!.message).toContain("managedPolicyArns[0]");
  });
});
