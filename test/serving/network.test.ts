import { ValidationError } from "../../lib/core/validation";
import { ServingNetworkPolicies, ServingNetworkPoliciesProps } from "../../lib/serving/serving-network-policies";
import { WorkloadNamespace } from "../../lib/serving/workload-namespace";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "./helpers";

describe("WorkloadNamespace", () => {
  const stack = workloadsTestStack();
  new WorkloadNamespace(stack, "Ns", { name: "inference" });
  const json = synthJson(stack);
  const policies = Object.values(resourcesOf(json, "kubernetes_network_policy_v1")) as any[];

  test("sidecar injection and Pod Security Admission labels", () => {
    expect(onlyResource(json, "kubernetes_namespace_v1").metadata.labels).toMatchObject({
      "istio-injection": "enabled",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    const s = workloadsTestStack();
    new WorkloadNamespace(s, "Ns", { name: "inference", istioRevision: "1-27-3", podSecurity: "baseline" });
    const labels = onlyResource(synthJson(s), "kubernetes_namespace_v1").metadata.labels;
    expect(labels["istio.io/rev"]).toBe("1-27-3");
    expect(labels["istio-injection"]).toBeUndefined();
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });

  test("default deny, then DNS, istiod and the Pod Identity agent", () => {
    const deny = policies.find((p) => p.metadata.name === "default-deny");
    expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    const allow = policies.find((p) => p.metadata.name === "allow-dns-istiod-identity");
    expect(allow.spec.egress[0].ports).toEqual([
      { port: "53", protocol: "UDP" },
      { port: "53", protocol: "TCP" },
    ]);
    expect(allow.spec.egress[1].to[0].namespace_selector.match_labels).toEqual({ "kubernetes.io/metadata.name": "istio-system" });
    expect(allow.spec.egress[1].ports).toEqual([{ port: "15012", protocol: "TCP" }]);
    expect(allow.spec.egress[2]).toEqual({ to: [{ ip_block: { cidr: "169.254.170.23/32" } }], ports: [{ port: "80", protocol: "TCP" }] });
  });

  test("fails on an invalid name", () => {
    expect(() => new WorkloadNamespace(workloadsTestStack(), "Ns", { name: "Inference_NS" })).toThrow(ValidationError);
    try {
      new WorkloadNamespace(workloadsTestStack(), "Ns", { name: "Inference_NS" });
    } catch (e) {
      expect((e as ValidationError).codes).toEqual(["NAMESPACE_NAME_INVALID"]);
    }
  });
});

const PROPS: ServingNetworkPoliciesProps = {
  inference: { namespace: "inference", podLabels: { "app.kubernetes.io/name": "inference" }, port: 8000 },
  workers: { namespace: "workers", podLabels: { "app.kubernetes.io/name": "inference-worker" }, healthPort: 8080 },
  kafka: { cidrs: ["10.0.64.0/20"], port: 9098 },
  redis: { cidrs: ["10.0.80.0/20"], port: 6379 },
  database: { cidrs: ["10.0.96.0/20"], port: 5432 },
};

describe("ServingNetworkPolicies", () => {
  const stack = workloadsTestStack();
  new ServingNetworkPolicies(stack, "Net", PROPS);
  const byName = Object.fromEntries((Object.values(resourcesOf(synthJson(stack), "kubernetes_network_policy_v1")) as any[]).map((p) => [p.metadata.name, p]));

  test("only the ingress gateway and the workers reach the inference server", () => {
    const inf = byName["inference-server"];
    const [callers, monitoring] = inf.spec.ingress;
    expect(callers.ports).toEqual([{ port: "8000", protocol: "TCP" }]);
    expect(callers.from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "istio-ingress" } }, pod_selector: { match_labels: { istio: "ingressgateway" } } },
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "workers" } }, pod_selector: { match_labels: { "app.kubernetes.io/name": "inference-worker" } } },
    ]);
    expect(monitoring.from).toEqual([{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } }]);
    expect(inf.spec.egress[0]).toEqual({ to: [{ ip_block: { cidr: "0.0.0.0/0" } }], ports: [{ port: "443", protocol: "TCP" }] });
  });

  test("only the workers reach Kafka, Redis and the database; the topic Job reaches Kafka only", () => {
    const egress = byName["inference-worker"].spec.egress;
    const cidrOf = (rule: any) => rule.to.map((t: any) => t.ip_block?.cidr).filter(Boolean);
    expect(egress.map((r: any) => [cidrOf(r), r.ports.map((p: any) => p.port)])).toEqual([
      [[], ["8000"]],
      [["10.0.64.0/20"], ["9098"]],
      [["10.0.80.0/20"], ["6379"]],
      [["10.0.96.0/20"], ["5432"]],
      [[], ["4317", "4318"]],
    ]);
    expect(byName["kafka-topics"].spec.egress).toEqual([{ to: [{ ip_block: { cidr: "10.0.64.0/20" } }], ports: [{ port: "9098", protocol: "TCP" }] }]);
    expect(byName["inference-server"].spec.egress.some((r: any) => r.ports.some((p: any) => ["9098", "6379", "5432"].includes(p.port)))).toBe(false);
  });

  test("without a database, no database egress", () => {
    const s = workloadsTestStack();
    new ServingNetworkPolicies(s, "Net", { ...PROPS, database: undefined, modelStoreCidrs: ["52.216.0.0/15"] });
    const p = Object.fromEntries((Object.values(resourcesOf(synthJson(s), "kubernetes_network_policy_v1")) as any[]).map((x) => [x.metadata.name, x]));
    expect(p["inference-worker"].spec.egress).toHaveLength(4);
    expect(p["inference-server"].spec.egress[0].to).toEqual([{ ip_block: { cidr: "52.216.0.0/15" } }]);
  });

  test("fails on empty CIDRs and selectors", () => {
    try {
      new ServingNetworkPolicies(workloadsTestStack(), "Net", { ...PROPS, redis: { cidrs: [], port: 6379 }, workers: { ...PROPS.workers, podLabels: {} } });
      throw new Error("expected a ValidationError");
    } catch (e) {
      expect((e as ValidationError).codes).toEqual(["NETPOL_CIDRS_EMPTY", "NETPOL_SELECTOR_EMPTY"]);
    }
  });
});
