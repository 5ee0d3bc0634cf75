import { Pod } from "kubernetes-models/v1/Pod";
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { ClusterAddons, HelmAddon, IAddon, PodSecurityLevel, StandardAddonSettings, standardAddons } from "../../lib/addons";
import { resourcesOf } from "../helpers/synth";
import { clusterStack, release, synthAddons, validationError } from "./helpers";

const settings: StandardAddonSettings = {
  system: { prometheusRetentionDays: 30, prometheusVolumeGiB: 300, prometheusActiveSeries: 800_000 },
  tracingSamplingPercent: 5,
  gatewayReplicas: { min: 3, max: 12 },
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/prod",
  gatewayScheme: "internet-facing",
  mskBrokerHosts: ["b-1.prod.kafka.us-east-1.amazonaws.com", "b-2.prod.kafka.us-east-1.amazonaws.com"],
  kafka: { clusterArn: "arn:aws:kafka:us-east-1:123456789012:cluster/prod/uuid", topics: ["requests"], consumerGroups: ["workers"] },
  highAvailability: true,
};

/** Every string in a JSON tree with the key path that leads to it. */
function strings(node: unknown, path: string[] = []): { path: string[]; value: string }[] {
  if (typeof node === "string") {
    // Helm values are JSON documents inside strings: descend into them too.
    if (node.startsWith("{")) {
      try {
        return strings(JSON.parse(node), path);
      } catch {
        return [{ path, value: node }];
      }
    }
    return [{ path, value: node }];
  }
  if (Array.isArray(node)) return node.flatMap((n, i) => strings(n, [...path, String(i)]));
  if (node && typeof node === "object") return Object.entries(node).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

const CONTAINER_SC = new Set(["allowPrivilegeEscalation", "capabilities", "readOnlyRootFilesystem", "runAsNonRoot", "runAsUser", "runAsGroup", "seccompProfile", "privileged"]);
const POD_SC = new Set(["runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile"]);

/** Pod-spec fragments found in values (security contexts, resources, tolerations, affinity). */
function podFragments(node: unknown, key = ""): { key: string; value: any }[] {
  if (!node || typeof node !== "object") return [];
  const found: { key: string; value: any }[] = [];
  const keys = Array.isArray(node) ? [] : Object.keys(node);
  if (/securityContext$/i.test(key) && keys.length > 0 && keys.every((k) => CONTAINER_SC.has(k) || POD_SC.has(k))) found.push({ key, value: node });
  else if (key === "resources" && keys.length > 0 && keys.every((k) => k === "requests" || k === "limits")) found.push({ key, value: node });
  else if (key === "tolerations" || key === "affinity") found.push({ key, value: node });
  for (const [k, v] of Array.isArray(node) ? [] : Object.entries(node)) found.push(...podFragments(v, k));
  return found;
}

describe("standardAddons", () => {
  // With the custom metrics API, so every release of the set is synthesized and checked below.
  const { json, construct } = synthAddons(standardAddons({ ...settings, customMetricsApi: true }));
  const releases = Object.values(resourcesOf(json, "helm_release")) as any[];

  test("installs the whole set in dependency order", () => {
    expect(construct.order).toEqual([
      "aws-load-balancer-controller",
      "metrics-server",
      "cluster-autoscaler",
      "kube-prometheus-stack",
      "jaeger",
      "istio-base",
      "istio-cni",
      "keda",
      "nvidia-device-plugin",
      "prometheus-adapter",
      "istiod",
      "dcgm-exporter",
      "istio-ingressgateway",
    ]);
    expect(releases).toHaveLength(13);
  });

  test("settings reach the add-ons", () => {
    const kps = JSON.parse(release(json, "kube-prometheus-stack").values[0]);
    expect(kps.prometheus.prometheusSpec).toMatchObject({ retention: "30d", replicas: 2 });
    expect(kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe("300Gi");
    expect(JSON.parse(release(json, "istiod").values[0]).traceSampling).toBe(5);
    const gw = JSON.parse(release(json, "istio-ingressgateway").values[0]);
    expect([gw.autoscaling.minReplicas, gw.autoscaling.maxReplicas]).toEqual([3, 12]);
    const nlb = Object.values(resourcesOf(json, "kubernetes_service_v1"))[0] as any;
    expect(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internet-facing");
    expect(release(json, "kube-prometheus-stack").values).toHaveLength(2);
  });

  test("prometheus-adapter only with customMetricsApi: the default KEDA autoscaler does not read custom.metrics.k8s.io", () => {
    expect(standardAddons(settings).map((a) => a.name)).not.toContain("prometheus-adapter");
    expect(standardAddons({ ...settings, customMetricsApi: false }).map((a) => a.name)).not.toContain("prometheus-adapter");
    expect(standardAddons({ ...settings, customMetricsApi: true }).map((a) => a.name)).toContain("prometheus-adapter");
  });

  test("without GPU nodes the NVIDIA add-ons are left out", () => {
    const names = standardAddons({ ...settings, gpuNodes: false }).map((a) => a.name);
    expect(names).not.toContain("nvidia-device-plugin");
    expect(names).not.toContain("dcgm-exporter");
    expect(validationError(() => synthAddons(standardAddons(settings), { gpu: undefined })).codes).toEqual(["ADDON_REQUIRES_GPU_NODES", "ADDON_REQUIRES_GPU_NODES"]);
  });

  test("no rendered value anywhere holds a default or literal password", () => {
    const all = strings(json);
    const text = JSON.stringify(json);
    for (const known of ["prom-operator", "admin123", "changeme", "password123"]) expect(text).not.toContain(known);
    const secretish = all.filter((s) => /pass(word)?|secret_string|admin-password/i.test(s.path[s.path.length - 1] ?? ""));
    expect(secretish.length).toBeGreaterThan(0);
    for (const s of secretish) {
      // Only references (Terraform expressions) or key names may sit under a password-like key.
      const ok = /^\$\{[^}]+\}$/.test(s.value) || ["admin-password", "grafana-admin"].includes(s.value);
      if (!ok) throw new Error(`literal under ${s.path.join(".")}: ${s.value}`);
    }
    for (const r of releases) {
      expect(r.set_sensitive).toBeUndefined();
      for (const doc of r.values as string[]) expect(doc).not.toMatch(/adminPassword/);
    }
  });

  test("every security context, resource block, toleration and affinity is a valid Kubernetes object", () => {
    let checked = 0;
    for (const r of releases) {
      // Helm deletes keys whose value is null (a chart default removed), so the object Kubernetes
      // sees is the fragment without them.
      const values = JSON.parse(r.values[0], (_k, v) => (v === null ? undefined : v));
      for (const f of podFragments(values)) {
        const container: any = { name: "c", image: "i" };
        const spec: any = { containers: [container] };
        if (f.key === "resources") container.resources = f.value;
        else if (f.key === "tolerations") spec.tolerations = f.value;
        else if (f.key === "affinity") spec.affinity = f.value;
        else if (Object.keys(f.value).some((k) => !POD_SC.has(k))) container.securityContext = f.value;
        else spec.securityContext = f.value;
        expect(() => new Pod({ metadata: { name: "x" }, spec }).validate()).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  test("every non-GPU add-on runs on system nodes; GPU daemonsets run only on GPU nodes", () => {
    for (const r of releases) {
      const v = JSON.stringify(JSON.parse(r.values[0]));
      if (["nvidia-device-plugin", "dcgm-exporter"].includes(r.name)) {
        expect(v).not.toContain("headroom.dev/node-role");
        expect(v).toContain("headroom.dev/gpu-family");
      } else if (r.name === "istio-cni") {
        // The CNI node agent must run on every node, GPU nodes included.
        expect(v).not.toContain("headroom.dev/node-role");
        expect(JSON.parse(r.values[0]).tolerations).toEqual([{ operator: "Exists" }]);
      } else if (r.name !== "istio-base") {
        expect(v).toContain('"nodeSelector":{"headroom.dev/node-role":"system"}');
      }
    }
  });
});

/** A user-defined add-on: the contract is open to charts Headroom does not ship. */
class CustomAddon extends HelmAddon {
  public readonly chart = { chart: "demo", repository: "oci://registry.example.com/charts", version: "1.0.0" };
  public readonly namespace = "demo";
  public readonly podSecurity: PodSecurityLevel = "restricted";
  public constructor(public readonly name: string, public override readonly dependencies: readonly string[]) {
    super({}, []);
  }
  public values(): Record<string, unknown> {
    return { replicas: 1 };
  }
  public override preInstall(): ITerraformDependable[] {
    return [];
  }
}

describe("custom add-ons", () => {
  test("an OCI chart installs like the built-in ones", () => {
    const { json } = synthAddons([new CustomAddon("demo", [])]);
    expect(release(json, "demo")).toMatchObject({ repository: "oci://registry.example.com/charts", chart: "demo", version: "1.0.0" });
  });

  test("a dependency cycle is reported", () => {
    const { stack } = clusterStack();
    const addons: IAddon[] = [new CustomAddon("a", ["b"]), new CustomAddon("b", ["a"])];
    const err = validationError(() => new ClusterAddons(stack as unknown as Construct, "Addons", { clusterName: "d", region: "r", vpcId: "v", addons }));
    expect(err.codes).toEqual(["ADDON_DEPENDENCY_CYCLE"]);
    expect(err.message).toContain('["a","b"]');
  });
});
