import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { FIS_KUBERNETES_USER, FIS_SERVICE_ACCOUNT } from "./chaos-drills";

/** Label FIS puts on its pod (the drill's `fisPodLabels`); the network policy selects it. */
export const FIS_POD_LABEL = { key: "headroom.dev/chaos", value: "fis" } as const;

/** Properties of {@link FisKubernetesAccess}. */
export interface FisKubernetesAccessProps {
  /** Namespace of the drilled pods. */
  readonly namespace: string;
  /** CIDRs of the Kubernetes API endpoint's ENIs (the VPC's private subnets). */
  readonly apiServerCidrs: readonly string[];
  /** What these objects wait for (the namespace). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * What `aws:eks:pod-delete` needs inside the cluster, and nothing more: the service account the
 * FIS pod runs as, a namespaced Role (pods and the config maps FIS keeps its state in; no
 * `pods/exec` or ephemeral containers, which only the network and stress actions use), a binding
 * of that Role to the service account and to the FIS experiment role's Kubernetes user, and a
 * NetworkPolicy that lets the FIS pod reach the API server (the namespace denies egress by default).
 */
export class FisKubernetesAccess extends Construct {
  public readonly serviceAccount: ServiceAccountV1;
  public readonly role: RoleV1;

  public constructor(scope: Construct, id: string, props: FisKubernetesAccessProps) {
    super(scope, id);
    const dependsOn = props.dependsOn ? [...props.dependsOn] : undefined;
    const labels = { "app.kubernetes.io/part-of": "headroom", "app.kubernetes.io/component": "chaos" };
    this.serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: { name: FIS_SERVICE_ACCOUNT, namespace: props.namespace, labels },
      automountServiceAccountToken: true,
      dependsOn,
    });
    this.role = new RoleV1(this, "Role", {
      metadata: { name: FIS_SERVICE_ACCOUNT, namespace: props.namespace, labels },
      rule: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "patch", "delete"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["create", "list", "get", "delete", "deletecollection"] },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
      ],
      dependsOn,
    });
    new RoleBindingV1(this, "Binding", {
      metadata: { name: FIS_SERVICE_ACCOUNT, namespace: props.namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: FIS_SERVICE_ACCOUNT },
      subject: [
        { kind: "ServiceAccount", name: FIS_SERVICE_ACCOUNT, namespace: props.namespace },
        { kind: "User", name: FIS_KUBERNETES_USER, apiGroup: "rbac.authorization.k8s.io" },
      ],
      dependsOn: [this.role, this.serviceAccount],
    });
    new NetworkPolicyV1(this, "ApiEgress", {
      metadata: { name: "fis-pod-api-egress", namespace: props.namespace, labels },
      spec: {
        podSelector: { matchLabels: { [FIS_POD_LABEL.key]: FIS_POD_LABEL.value } },
        policyTypes: ["Egress"],
        egress: [{ to: props.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: "443", protocol: "TCP" }] }],
      },
      dependsOn,
    });
  }
}
