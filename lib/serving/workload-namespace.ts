import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { Problems } from "../core/validation";

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
import type { PodSecurityLevel } from "../addons/addon";

export type { PodSecurityLevel };

/** Props of {@link WorkloadNamespace}. */
export interface WorkloadNamespaceProps {
  /** Namespace name (a DNS label). */
  readonly name: string;
  /**
   * Istio revision to inject (`istio.io/rev=<revision>`), for revision-based canary upgrades of the mesh.
   * @default none: the `istio-injection=enabled` label (the default revision)
   */
  readonly istioRevision?: string;
  /**
   * Pod Security Admission level enforced on the namespace. `restricted` needs the Istio CNI
   * node agent (sidecar injection without it adds an init container with NET_ADMIN).
   * A weaker level is an explicit, documented opt-out.
   * @default "restricted"
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Namespace of istiod, which sidecars reach on 15012 (xDS and certificates).
   * @default "istio-system"
   */
  readonly istioNamespace?: string;
  /**
   * Allow egress to the EKS Pod Identity agent (169.254.170.23:80) so pods get AWS credentials.
   * @default true
   */
  readonly allowPodIdentityAgent?: boolean;
}

/** The EKS Pod Identity agent's link-local address (EKS user guide, "EKS Pod Identity agent"). */
export const POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

/**
 * A namespace for Headroom workloads: sidecar injection on, Pod Security Admission
 * enforced, and network traffic denied by default except DNS, istiod and the Pod
 * Identity agent. Each workload then opens exactly the paths it needs with its own
 * NetworkPolicies.
 *
 * @example
 * const ns = new WorkloadNamespace(stack, "InferenceNamespace", { name: "inference" });
 * new InferenceService(stack, "Inference", { namespace: ns.name, ... });
 */
export class WorkloadNamespace extends Construct {
  /** The namespace object (`kubernetes_namespace_v1`). */
  public readonly resource: NamespaceV1;
  /** Namespace name, as a reference that orders dependents after the namespace. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: WorkloadNamespaceProps) {
    super(scope, id);
    const problems = new Problems(`WorkloadNamespace '${id}'`);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.name)) {
      problems.add("NAMESPACE_NAME_INVALID", "name", props.name, "a DNS label: lowercase letters, digits and '-', at most 63 characters");
    }
    const level = props.podSecurity ?? "restricted";
    problems.checkOneOf("NAMESPACE_POD_SECURITY", "podSecurity", level, ["restricted", "baseline", "privileged"]);
    problems.throwIfAny();

    const injection: Record<string, string> = props.istioRevision ? { "istio.io/rev": props.istioRevision } : { "istio-injection": "enabled" };
    this.resource = new NamespaceV1(this, "Resource", {
      metadata: {
        name: props.name,
        labels: {
          ...injection,
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/enforce-version": "latest",
          // Warn and audit at restricted even when enforcement is relaxed, so the gap stays visible.
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "app.kubernetes.io/part-of": "headroom",
        },
      },
    });
    this.name = this.resource.metadata.name;

    new NetworkPolicyV1(this, "DefaultDeny", {
      metadata: { name: "default-deny", namespace: this.name },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });

    const istioNamespace = props.istioNamespace ?? "istio-system";
    const egress: NonNullable<ConstructorParameters<typeof NetworkPolicyV1>[2]["spec"]["egress"]> = [
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { port: "53", protocol: "UDP" },
          { port: "53", protocol: "TCP" },
        ],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": istioNamespace } }, podSelector: { matchLabels: { app: "istiod" } } }],
        ports: [{ port: "15012", protocol: "TCP" }],
      },
    ];
    if (props.allowPodIdentityAgent ?? true) {
      egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ port: "80", protocol: "TCP" }] });
    }
    new NetworkPolicyV1(this, "AllowPlatformEgress", {
      metadata: { name: "allow-dns-istiod-identity", namespace: this.name },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress },
    });
  }
}
