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
import { resourcesOf } from "../helpers/synth";
import { camelKeys } from "./helpers";
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
};

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
};
/** Provider blocks that are one-element lists in Terraform and single objects in Kubernetes. */
const SINGLE = new Set(["preStop", "labelSelector", "scaleUp", "scaleDown"]);
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
  ["kubernetes_horizontal_pod_autoscaler_v2", HorizontalPodAutoscaler],
  ["kubernetes_job_v1", Job],
  ["kubernetes_network_policy_v1", NetworkPolicy],
  ["kubernetes_pod_disruption_budget_v1", PodDisruptionBudget],
  ["kubernetes_namespace_v1", Namespace],
  ["kubernetes_service_v1", Service],
  ["kubernetes_service_account_v1", ServiceAccount],
];

describe("schemas of everything the serving tier synthesizes", () => {
  const { json } = synthTier();
  const manifests = Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest);

  test("the tier creates every expected custom resource", () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      ["AuthorizationPolicy", "DestinationRule", "EnvoyFilter", "Gateway", "PeerAuthentication", "PeerAuthentication", "ScaledObject", "TriggerAuthentication", "VirtualService"].sort(),
    );
  });

  test.each(Object.keys(CRD_MODELS))("%s validates against its CRD schema", (key) => {
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
