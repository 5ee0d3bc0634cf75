import { Compliance } from "../../lib/compliance";
import { ADDON_VERSIONS, DEFAULT_KUBERNETES_VERSION } from "../../lib/eks";
import { resourcesOf } from "../helpers/synth";
import { addressByPrefix, platform, resourceByPrefix } from "./fixtures";

describe("EksAddons", () => {
  // The hardening pack runs as a validation of this synth: any violation would throw here.
  const { json, stack } = platform({ before: ({ stack }) => void Compliance.of(stack).apply({ allowLocalState: true, log: false }) });
  const pinned = ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION];
  const coreDns = resourceByPrefix(json, "aws_eks_addon", "Addons_CoreDns");
  const ebs = resourceByPrefix(json, "aws_eks_addon", "Addons_EbsCsiDriver");
  const systemNodes = addressByPrefix(json, "aws_eks_node_group", "SystemNodes_");

  test("CoreDNS and EBS CSI are pinned and wait for the system node group", () => {
    expect(coreDns.addon_version).toBe(pinned.coreDns);
    expect(ebs.addon_version).toBe(pinned.ebsCsiDriver);
    expect(coreDns.depends_on).toContain(systemNodes);
    expect(ebs.depends_on).toContain(systemNodes);
  });

  test("conflict resolution: CoreDNS keeps in-cluster Corefile changes on update, EBS CSI is owned here", () => {
    expect([coreDns.resolve_conflicts_on_create, coreDns.resolve_conflicts_on_update]).toEqual(["OVERWRITE", "PRESERVE"]);
    expect([ebs.resolve_conflicts_on_create, ebs.resolve_conflicts_on_update]).toEqual(["OVERWRITE", "OVERWRITE"]);
  });

  test("the EBS CSI controller has its own Pod Identity role with the AWS managed policy", () => {
    expect(ebs.pod_identity_association).toEqual([{ role_arn: `\${${addressByPrefix(json, "aws_iam_role", "Addons_EbsCsiIdentity")}.arn}`, service_account: "ebs-csi-controller-sa" }]);
    const attachment = resourceByPrefix(json, "aws_iam_role_policy_attachment", "Addons_EbsCsiIdentity_ManagedPolicy0");
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/service-role\/AmazonEBSCSIDriverPolicy$/);
    const trust = JSON.parse(resourceByPrefix(json, "aws_iam_role", "Addons_EbsCsiIdentity").assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"]).toBe("ebs-csi-controller-sa");
    expect(ebs.depends_on).toEqual(expect.arrayContaining([addressByPrefix(json, "aws_iam_role_policy", "Addons_EbsCsiIdentity_Policy")]));
  });

  test("the EBS CSI role may use the customer-managed key for volumes, grants only for AWS resources", () => {
    const doc = JSON.parse(resourceByPrefix(json, "aws_iam_role_policy", "Addons_EbsCsiIdentity_Policy").policy);
    expect(doc.Statement).toEqual([
      {
        Sid: "EbsVolumeKeyGrants",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "${aws_kms_key.eks.arn}",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "EbsVolumeKeyUse",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "${aws_kms_key.eks.arn}",
      },
    ]);
  });

  test("cluster, node groups and add-ons pass the compliance pack with no suppression", () => {
    const report = Compliance.of(stack).report!;
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([]);
    expect(report.counts.compliant).toBeGreaterThan(50);
  });

  test("five managed add-ons in all, each once", () => {
    const names = (Object.values(resourcesOf(json, "aws_eks_addon")) as any[]).map((a) => a.addon_name).sort();
    expect(names).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
  });
});
