import { TerraformStack } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ClusterAddons, ClusterAddonsProps, IAddon } from "../../lib/addons";
import { resourcesOf, synthJson, SynthesizedStack, testStack } from "../helpers/synth";

/** A stack with AWS, kubernetes and helm providers configured as the cluster stack does (exec token). */
export function clusterStack(): { stack: TerraformStack } {
  const { stack } = testStack("cluster");
  const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "dev"] };
  new KubernetesProvider(stack, "kubernetes", { host: "https://example.eks.amazonaws.com", clusterCaCertificate: "ca", exec: [exec] });
  new HelmProvider(stack, "helm", { kubernetes: { host: "https://example.eks.amazonaws.com", clusterCaCertificate: "ca", exec } });
  return { stack };
}

/** Synthesizes a cluster stack with the given add-ons. */
export function synthAddons(
  addons: readonly IAddon[],
  extra: Partial<ClusterAddonsProps> = {},
): { json: SynthesizedStack; construct: ClusterAddons } {
  const { stack } = clusterStack();
  const construct = new ClusterAddons(stack, "Addons", {
    clusterName: "dev",
    region: "us-east-1",
    vpcId: "vpc-0123456789abcdef0",
    gpu: {},
    addons,
    ...extra,
  });
  return { json: synthJson(stack), construct };
}

/** The helm_release of an add-on, found by its release name. */
export function release(json: SynthesizedStack, name: string): any {
  const found = Object.values(resourcesOf(json, "helm_release")).filter((r: any) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one helm_release named ${name}, found ${found.length}`);
  return found[0];
}

/** The first (plain JSON) values document of a release, parsed. */
export function valuesOf(json: SynthesizedStack, name: string): any {
  return JSON.parse(release(json, name).values[0]);
}

/** Runs `fn` and returns the ValidationError it throws (fails the test if it does not throw one). */
export function validationError(fn: () => unknown): { codes: readonly string[]; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error && e.name === "ValidationError") return e as unknown as { codes: readonly string[]; message: string };
    throw e;
  }
  throw new Error("expected a ValidationError");
}

/** The inline policy document of the Pod Identity role of a service account, parsed. */
export function identityPolicy(json: SynthesizedStack, serviceAccount: string): any {
  const assoc = Object.values(resourcesOf(json, "aws_eks_pod_identity_association")).find((a: any) => a.service_account === serviceAccount) as any;
  if (!assoc) throw new Error(`no pod identity association for ${serviceAccount}`);
  const roleRef = /\$\{aws_iam_role\.([^.]+)\.arn\}/.exec(assoc.role_arn)![1];
  const policy = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p: any) => p.role === `\${aws_iam_role.${roleRef}.name}`) as any;
  // Evaluate the literal replace() calls Terraform would (ARNs derived from a cluster ARN).
  const evaluated = (policy.policy as string).replace(/\$\{replace\("([^"]*)", "([^"]*)", "([^"]*)"\)\}/g, (_m, s: string, a: string, b: string) => s.split(a).join(b));
  return { association: assoc, document: JSON.parse(evaluated) };
}
