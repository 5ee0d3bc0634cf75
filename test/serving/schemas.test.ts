/**
 * Every object the tier synthesizes, validated against its upstream schema:
 * kubernetes_manifest objects (Istio, KEDA) with their CRD models, and the built-in kinds
 * (typed provider resources) converted back to Kubernetes field names and validated with
 * kubernetes-models.
 */
import { EnvoyFilter } from "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import Ajv from "ajv";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Gateway as GatewayApiGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { parse as load } from "yaml";
import { crdModel } from "../../lib/private/typed-manifest";
import { INFERENCE_POOL_CRD } from "../../lib/serving/crds";
import { InferenceAutoscaler } from "../../lib/serving/inference-autoscaler";
import { resourcesOf, synthJson } from "../helpers/synth";
import { camelKeys, workloadsTestStack } from "./helpers";
import { synthTier } from "./tier-fixture";

const CRD_MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "networking.istio.io/v1beta1/DestinationRule": DestinationRule,
  "networking.istio.io/v1beta1/VirtualService": VirtualService,
  "networking.istio.io/v1beta1/Gateway": Gateway,
  "networking.istio.io/v1alpha3/EnvoyFilter": EnvoyFilter,
  "security.istio.io/v1beta1/PeerAuthentication": PeerAuthentication,
  "security.istio.io/v1beta1/AuthorizationPolicy": AuthorizationPolicy,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "gateway.networking.k8s.io/v1/Gateway": GatewayApiGateway,
  "gateway.networking.k8s.io/v1/HTTPRoute": HTTPRoute,
};

/** Custom resources without a typed package: validated against the vendored upstream CRDs. */
const VENDORED_CRDS = {
  "inference.networking.k8s.io/v1/InferencePool": INFERENCE_POOL_CRD,
} as const;

/** Provider block names that are lists in Terraform and plural fields in Kubernetes. */
const PLURAL: Record<string, string> = {
  container: "containers",
  initContainer: "initContainers",
  volume: "volumes",
  volumeMount: "volumeMounts",
  port: "ports",
  toleration: "tolerations",
  topologySpreadConstraint: "topologySpreadConstraints",
  nodeSelectorTerm: "nodeSelectorTerms",
  metric: "metrics",
  policy: "policies",
  rule: "rules",
  subject: "subjects",
};
/** Provider blocks that are one-element lists in Terraform and single objects in Kubernetes. */
const SINGLE = new Set(["preStop", "labelSelector", "scaleUp", "scaleDown", "grpc", "roleRef"]);
/** Fields the provider renders as strings but Kubernetes types as integers. */
const INTEGER_STRINGS = new Set(["replicas", "runAsUser", "runAsGroup", "fsGroup"]);
/** Terraform-only arguments. */
const TERRAFORM_ONLY = new Set(["lifecycle", "waitForRollout", "waitForCompletion", "timeouts", "dependsOn", "waitForDefaultServiceAccount", "waitForLoadBalancer"]);

function toKubernetes(value: any, top = true): any {
  if (Array.isArray(value)) return value.map((v) => toKubernetes(v, false));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (top && TERRAFORM_ONLY.has(key)) continue;
    if (Array.isArray(v) && PLURAL[key]) out[PLURAL[key]] = toKubernetes(v, false);
    else if (Array.isArray(v) && SINGLE.has(key) && v.length === 1) out[key] = toKubernetes(v[0], false);
    else if (INTEGER_STRINGS.has(key) && typeof v === "string") out[key] = Number(v);
    else out[key] = toKubernetes(v, false);
  }
  return out;
}

/** A provider resource's arguments as a Kubernetes object. */
function asKubernetes(resource: any): any {
  return toKubernetes(camelKeys(resource));
}

const BUILT_IN: [string, new (data: any) => { validate(): void }][] = [
  ["kubernetes_deployment_v1", Deployment],
  ["kubernetes_job_v1", Job],
  ["kubernetes_network_policy_v1", NetworkPolicy],
  ["kubernetes_pod_disruption_budget_v1", PodDisruptionBudget],
  ["kubernetes_namespace_v1", Namespace],
  ["kubernetes_service_v1", Service],
  ["kubernetes_service_account_v1", ServiceAccount],
  ["kubernetes_config_map_v1", ConfigMap],
  ["kubernetes_role_v1", Role],
  ["kubernetes_role_binding_v1", RoleBinding],
  ["kubernetes_cluster_role_v1", ClusterRole],
  ["kubernetes_cluster_role_binding_v1", ClusterRoleBinding],
];

describe("schemas of everything the serving tier synthesizes", () => {
  const { json } = synthTier();
  const manifests = Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest);

  test("the tier creates every expected custom resource", () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      [
        "AuthorizationPolicy",
        "AuthorizationPolicy",
        "DestinationRule",
        "DestinationRule",
        "EnvoyFilter",
        "Gateway",
        "HTTPRoute",
        "HTTPRoute",
        "InferencePool",
        "PeerAuthentication",
        "PeerAuthentication",
        "ScaledObject",
        "ScaledObject",
        "ServiceMonitor",
        "TriggerAuthentication",
        "VirtualService",
      ].sort(),
    );
    // The edge Gateway is the Gateway API one; the Istio Gateway exists only in least-request mode.
    expect(manifests.filter((m) => m.kind === "Gateway").map((m) => m.apiVersion)).toEqual(["gateway.networking.k8s.io/v1"]);
  });

  test.each(Object.keys(VENDORED_CRDS))("%s validates against the vendored upstream CRD schema", (key) => {
    const found = manifests.filter((m) => `${m.apiVersion}/${m.kind}` === key);
    expect(found.length).toBeGreaterThan(0);
    for (const m of found) expect(() => crdModel(VENDORED_CRDS[key as keyof typeof VENDORED_CRDS], m).validate()).not.toThrow();
  });

  test("the InferencePool validates against the pinned upstream YAML itself (not only the vendored copy)", () => {
    // CI lays shared/ next to the clone (a helper worktree sits one level deeper); the pinned
    // v1.6.0 CRD file is read as published.
    const file = "crds/gateway-api-inference-extension-v1.6.0/inference.networking.k8s.io_inferencepools.yaml";
    const roots = [process.env.HEADROOM_SHARED_DIR, join(__dirname, "../../../shared"), join(__dirname, "../../../../shared")].filter((r): r is string => !!r);
    const path = roots.map((r) => join(r, file)).find((p) => existsSync(p));
    if (!path) throw new Error(`pinned CRD not found under ${roots.join(", ")} (set HEADROOM_SHARED_DIR)`);
    const crd = load(readFileSync(path, "utf8")) as any;
    const schema = crd.spec.versions.find((v: any) => v.name === "v1").schema.openAPIV3Schema;
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
    const pool = manifests.find((m) => m.kind === "InferencePool");
    expect(validate(pool)).toBe(true);
    expect(validate({ ...pool, spec: { ...pool.spec, targetPorts: [] } })).toBe(false);
  });

  test("both ScaledObjects validate against the KEDA 2.18.0 chart's own CRD (the release the cluster runs)", () => {
    const file = "charts/keda-2.18.0/templates/crds/crd-scaledobjects.yaml";
    const roots = [process.env.HEADROOM_SHARED_DIR, join(__dirname, "../../../shared"), join(__dirname, "../../../../shared")].filter((r): r is string => !!r);
    const path = roots.map((r) => join(r, file)).find((p) => existsSync(p));
    if (!path) throw new Error(`pinned chart not found under ${roots.join(", ")} (set HEADROOM_SHARED_DIR)`);
    // The chart template wraps the CRD in Helm conditionals and labels; its schema has none.
    const crd = load(readFileSync(path, "utf8").split("\n").filter((line) => !line.includes("{{")).join("\n")) as any;
    const schema = crd.spec.versions.find((v: any) => v.name === "v1alpha1").schema.openAPIV3Schema;
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
    const scaled = manifests.filter((m) => m.kind === "ScaledObject");
    expect(scaled.map((m) => m.metadata.name).sort()).toEqual(["inference", "inference-worker"]);
    for (const m of scaled) expect(validate(m)).toBe(true);
    const inference = scaled.find((m) => m.metadata.name === "inference");
    expect(validate({ ...inference, spec: { ...inference.spec, minReplicaCount: "3" } })).toBe(false);
  });

  test("a typo in a vendored-CRD object is an error, not a silent prune", () => {
    const pool = manifests.find((m) => m.kind === "InferencePool");
    const broken = JSON.parse(JSON.stringify(pool));
    broken.spec.targetPort = broken.spec.targetPorts;
    expect(() => crdModel(INFERENCE_POOL_CRD, broken).validate()).toThrow(/must NOT have additional properties \(targetPort\)/);
  });

  test("a wrong field in the Gateway API route fails its schema", () => {
    const route = manifests.find((m) => m.kind === "HTTPRoute" && m.spec.rules[0].backendRefs);
    const broken = JSON.parse(JSON.stringify(route));
    broken.spec.rules[0].timeouts = { request: 90 };
    expect(() => new HTTPRoute(broken).validate()).toThrow();
  });

  test("least-request mode keeps the Istio Gateway and VirtualService at the edge and has no pool", () => {
    const fallback = synthTier(undefined, { servingMode: "least-request" });
    const kinds = Object.values(resourcesOf(fallback.json, "kubernetes_manifest")).map((m: any) => `${m.manifest.apiVersion}/${m.manifest.kind}`);
    expect(kinds).toContain("networking.istio.io/v1beta1/Gateway");
    expect(kinds).not.toContain("inference.networking.k8s.io/v1/InferencePool");
    expect(kinds).not.toContain("gateway.networking.k8s.io/v1/HTTPRoute");
    const vs = Object.values(resourcesOf(fallback.json, "kubernetes_manifest")).map((m: any) => m.manifest).find((m: any) => m.kind === "VirtualService");
    expect(vs.spec.gateways).toEqual(["istio-ingress/inference", "mesh"]);
    for (const m of Object.values(resourcesOf(fallback.json, "kubernetes_manifest")).map((r: any) => r.manifest)) {
      const key = `${m.apiVersion}/${m.kind}`;
      if (CRD_MODELS[key]) expect(() => new CRD_MODELS[key](m).validate()).not.toThrow();
    }
  });

  // The Istio Gateway exists only in least-request mode (validated in its own test below).
  test.each(Object.keys(CRD_MODELS).filter((k) => k !== "networking.istio.io/v1beta1/Gateway"))("%s validates against its CRD schema", (key) => {
    const found = manifests.filter((m) => `${m.apiVersion}/${m.kind}` === key);
    expect(found.length).toBeGreaterThan(0);
    for (const m of found) expect(() => new CRD_MODELS[key](m).validate()).not.toThrow();
  });

  test("a schema violation is caught by the same validation", () => {
    const vs = manifests.find((m) => m.kind === "VirtualService");
    const broken = JSON.parse(JSON.stringify(vs));
    broken.spec.http[0].timeout = 90;
    expect(() => new VirtualService(broken).validate()).toThrow(/timeout must be string/);
  });

  test.each(BUILT_IN)("%s has the shape of its Kubernetes kind", (type, Model) => {
    const all = Object.values(resourcesOf(json, type));
    expect(all.length).toBeGreaterThan(0);
    for (const resource of all) {
      const object = asKubernetes(resource);
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  test("the autoscaler's plain-HPA engine has the shape of an autoscaling/v2 HorizontalPodAutoscaler", () => {
    const stack = workloadsTestStack();
    new InferenceAutoscaler(stack, "Autoscaler", {
      engine: "hpa", namespace: "inference", deploymentName: "inference", minReplicas: 2, maxReplicas: 6, targetQueueDepthPerReplica: 4, targetKvCacheUtilization: 0.3,
      scaleUp: { stabilizationWindowSeconds: 0, periodSeconds: 15, maxPodsPerPeriod: 4, maxPercentPerPeriod: 100 },
      scaleDown: { stabilizationWindowSeconds: 300, periodSeconds: 60, maxPodsPerPeriod: 1 },
    });
    const hpa = Object.values(resourcesOf(synthJson(stack), "kubernetes_horizontal_pod_autoscaler_v2"));
    expect(hpa).toHaveLength(1);
    expect(() => new HorizontalPodAutoscaler(asKubernetes(hpa[0])).validate()).not.toThrow();
  });

  test("the conversion keeps the fields that matter (a converted Deployment is the real pod spec)", () => {
    const deployment = Object.values(resourcesOf(json, "kubernetes_deployment_v1")).find((d: any) => d.metadata.name === "inference");
    const k = asKubernetes(deployment);
    expect(k.spec.replicas).toBe(6);
    expect(k.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]).toBe("4");
    expect(k.spec.template.spec.containers[0].lifecycle.preStop.exec.command).toEqual(["sleep", "15"]);
    expect(k.spec.template.spec.securityContext.runAsUser).toBe(1000);
    const broken = JSON.parse(JSON.stringify(k));
    broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort/);
  });
});
