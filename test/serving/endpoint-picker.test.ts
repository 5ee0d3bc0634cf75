import { ValidationError } from "../../lib/core/validation";
import { DEFAULT_EPP_IMAGE, EndpointPicker, EndpointPickerProps } from "../../lib/serving/endpoint-picker";
import { resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "./helpers";
import { synthTier } from "./tier-fixture";

const BASE: EndpointPickerProps = {
  namespace: "inference",
  poolName: "inference",
  modelServerSelector: { "app.kubernetes.io/name": "inference" },
  targetPort: 8000,
  resources: { cpuCores: 2, memoryGiB: 3 },
};

function synth(overrides: Partial<EndpointPickerProps> = {}) {
  const stack = workloadsTestStack();
  const picker = new EndpointPicker(stack, "Picker", { ...BASE, ...overrides });
  return { picker, json: synthJson(stack) };
}

function problemsOf(build: () => unknown): { code: string; path: string }[] {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => ({ code: p.code, path: p.path }));
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("EndpointPicker", () => {
  const { json } = synth();
  const deployment = Object.values(resourcesOf(json, "kubernetes_deployment_v1"))[0] as any;
  const container = deployment.spec.template.spec.container[0];
  const manifests = Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest);
  const pool = manifests.find((m) => m.kind === "InferencePool");

  test("the pool selects the model servers on their port and names the picker's ext-proc Service", () => {
    expect(pool.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "inference" });
    expect(pool.spec.targetPorts).toEqual([{ number: 8000 }]);
    expect(pool.spec.endpointPickerRef).toEqual({ group: "", kind: "Service", name: "inference-epp", port: { number: 9002 }, failureMode: "FailOpen" });
    const service = Object.values(resourcesOf(json, "kubernetes_service_v1"))[0] as any;
    expect(service.metadata.name).toBe("inference-epp");
    expect(service.spec.port.map((p: any) => [p.name, p.port, p.app_protocol])).toEqual([
      ["grpc-ext-proc", 9002, "grpc"],
      ["http-metrics", 9090, "http"],
    ]);
  });

  test("scores on queue depth, KV-cache utilization and prefix-cache affinity with upstream's weights", () => {
    const config = Object.values(resourcesOf(json, "kubernetes_config_map_v1"))[0] as any;
    const parsed = JSON.parse(config.data["plugins.yaml"]);
    expect(parsed.kind).toBe("EndpointPickerConfig");
    expect(parsed.schedulingProfiles[0].plugins).toEqual([
      { pluginRef: "queue-scorer", weight: 2 },
      { pluginRef: "kv-cache-utilization-scorer", weight: 2 },
      { pluginRef: "prefix-cache-scorer", weight: 3 },
    ]);
    const types = parsed.plugins.map((p: any) => p.type);
    // Every profile reference resolves to a declared plugin.
    for (const ref of parsed.schedulingProfiles[0].plugins) expect(types).toContain(ref.pluginRef);
    expect(container.args).toEqual(expect.arrayContaining(["--config-file", "/config/plugins.yaml"]));
  });

  test("HA: two replicas with leader election, Recreate rollouts, a PDB and per-node spread", () => {
    expect(deployment.spec.replicas).toBe("2");
    expect(deployment.spec.strategy.type).toBe("Recreate");
    expect(container.args).toContain("--ha-enable-leader-election");
    expect(container.readiness_probe.grpc).toEqual([{ port: 9003, service: "readiness" }]);
    expect(container.liveness_probe.grpc).toEqual([{ port: 9003, service: "liveness" }]);
    const pdb = Object.values(resourcesOf(json, "kubernetes_pod_disruption_budget_v1"))[0] as any;
    expect(pdb.spec.max_unavailable).toBe("1");
    expect(deployment.spec.template.spec.topology_spread_constraint[1]).toMatchObject({ topology_key: "kubernetes.io/hostname", when_unsatisfiable: "DoNotSchedule" });
    const roles = Object.values(resourcesOf(json, "kubernetes_role_v1")) as any[];
    expect(roles.find((r) => r.metadata.name === "inference-epp-leader-election").rule[0]).toMatchObject({ api_groups: ["coordination.k8s.io"], resources: ["leases"] });
  });

  test("one replica needs no leader election and probes the ext-proc service", () => {
    const single = synth({ replicas: 1 }).json;
    const d = Object.values(resourcesOf(single, "kubernetes_deployment_v1"))[0] as any;
    expect(d.spec.template.spec.container[0].args).not.toContain("--ha-enable-leader-election");
    expect(d.spec.template.spec.container[0].readiness_probe.grpc[0].service).toBe("inference-extension");
    expect((Object.values(resourcesOf(single, "kubernetes_role_v1")) as any[]).map((r) => r.metadata.name)).toEqual(["inference-epp"]);
  });

  test("least privilege: reads pods and pools of its namespace, reviews scraper tokens, nothing else", () => {
    const reader = (Object.values(resourcesOf(json, "kubernetes_role_v1")) as any[]).find((r) => r.metadata.name === "inference-epp");
    for (const rule of reader.rule) expect(rule.verbs).toEqual(["get", "list", "watch"]);
    expect(reader.rule.map((r: any) => r.resources).flat()).toEqual(["pods", "inferencepools", "inferenceobjectives", "inferencemodelrewrites"]);
    const cluster = Object.values(resourcesOf(json, "kubernetes_cluster_role_v1"))[0] as any;
    expect(cluster.rule.map((r: any) => [r.resources, r.verbs])).toEqual([
      [["tokenreviews"], ["create"]],
      [["subjectaccessreviews"], ["create"]],
    ]);
  });

  test("restricted pod: non-root distroless UID, no escalation, read-only root, pinned image", () => {
    expect(container.image).toBe(DEFAULT_EPP_IMAGE);
    expect(deployment.spec.template.spec.security_context.run_as_user).toBe("65532");
    expect(container.security_context).toMatchObject({ run_as_non_root: true, allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } });
    // In the mesh: Istio mTLS replaces the picker's self-signed TLS; metrics stay authenticated.
    expect(container.args).toEqual(expect.arrayContaining(["--secure-serving=false", "--metrics-endpoint-auth=true", "--enable-pprof=false"]));
    expect(deployment.spec.template.metadata.annotations["traffic.sidecar.istio.io/excludeInboundPorts"]).toBe("9090");
  });

  test("resources follow the props; memory limit is twice the request, no CPU limit", () => {
    expect(container.resources.requests).toEqual({ cpu: "2000m", memory: "3Gi" });
    expect(container.resources.limits).toEqual({ memory: "6Gi" });
  });

  test("its metrics are scraped by a ServiceMonitor with Prometheus's token", () => {
    const monitor = manifests.find((m) => m.kind === "ServiceMonitor");
    expect(monitor.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "inference-epp" });
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: "http-metrics", path: "/metrics", bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" });
  });

  test("fails with every problem at once", () => {
    expect(
      problemsOf(() =>
        new EndpointPicker(workloadsTestStack(), "Picker", {
          ...BASE,
          poolName: "Not_A_Label",
          modelServerSelector: {},
          image: "registry.k8s.io/gateway-api-inference-extension/epp:latest",
          replicas: 0,
          scorerWeights: { queue: 0, kvCacheUtilization: 0, prefixCache: 0 },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        { code: "EPP_POOL_NAME", path: "poolName" },
        { code: "EPP_SELECTOR_EMPTY", path: "modelServerSelector" },
        { code: "EPP_REPLICAS", path: "replicas" },
        { code: "EPP_SCORER_WEIGHT", path: "scorerWeights" },
        expect.objectContaining({ path: "image" }),
      ]),
    );
  });
});

describe("ServingTier in inference-extension mode", () => {
  const { json, tier } = synthTier();
  const manifests = Object.values(resourcesOf(json, "kubernetes_manifest")).map((m: any) => m.manifest);

  test("the edge is a Gateway API Gateway bound to the existing ingress pods, routing to the pool", () => {
    const gateway = manifests.find((m) => m.kind === "Gateway");
    expect(gateway.spec.gatewayClassName).toBe("istio");
    expect(gateway.spec.addresses).toEqual([{ type: "Hostname", value: "istio-ingressgateway.istio-ingress.svc.cluster.local" }]);
    expect(gateway.spec.listeners[0]).toMatchObject({ name: "https-0", hostname: "api.headroom.example", port: 443, protocol: "HTTPS", tls: { mode: "Terminate" } });
    const route = manifests.find((m) => m.kind === "HTTPRoute" && m.metadata.name === "inference");
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: "inference.networking.k8s.io", kind: "InferencePool", name: "inference" }]);
    expect(route.spec.rules[0].timeouts.request).toBe(`${tier.traffic.virtualServiceModel.spec!.http![0]!.timeout}`);
    // The in-mesh VirtualService no longer claims the public host (the Gateway API route does).
    expect(tier.traffic.virtualServiceModel.spec!.gateways).toEqual(["mesh"]);
    expect(tier.admission.gateway).toBeUndefined();
  });

  test("the picker may read the replicas' /metrics only, and only the gateway may call the picker", () => {
    const policies = manifests.filter((m) => m.kind === "AuthorizationPolicy");
    const inference = policies.find((p) => p.metadata.name === "inference-callers");
    expect(inference.spec.rules[1]).toEqual({
      from: [{ source: { principals: ["cluster.local/ns/inference/sa/inference-epp"] } }],
      to: [{ operation: { ports: ["8000"], methods: ["GET"], paths: ["/metrics"] } }],
    });
    const picker = policies.find((p) => p.metadata.name === "endpoint-picker-callers");
    expect(picker.spec.rules).toEqual([{ from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"] } }], to: [{ operation: { ports: ["9002"] } }] }]);
  });

  test("NetworkPolicy: gateway to ext-proc, Prometheus to metrics; picker to the replicas and the API server", () => {
    const np = (Object.values(resourcesOf(json, "kubernetes_network_policy_v1")) as any[]).find((p) => p.metadata.name === "endpoint-picker");
    expect(np.spec.ingress.map((i: any) => i.ports[0].port)).toEqual(["9002", "9090"]);
    expect(np.spec.egress[0].ports[0].port).toBe("8000");
    expect(np.spec.egress[1].ports[0].port).toBe("443");
    const server = (Object.values(resourcesOf(json, "kubernetes_network_policy_v1")) as any[]).find((p) => p.metadata.name === "inference-server");
    expect(server.spec.ingress[0].from).toContainEqual({ pod_selector: { match_labels: { "app.kubernetes.io/name": "inference-epp" } } });
  });

  test("fails without the picker's sizing or the API server CIDRs", () => {
    expect(problemsOf(() => synthTier(undefined, { endpointPicker: undefined, apiServerCidrs: [] }))).toEqual(
      expect.arrayContaining([
        { code: "SERVING_PICKER_SIZING", path: "endpointPicker" },
        { code: "SERVING_API_SERVER_CIDRS", path: "apiServerCidrs" },
      ]),
    );
  });
});
