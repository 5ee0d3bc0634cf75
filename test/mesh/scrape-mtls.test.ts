import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { ScrapeMonitors } from "../../lib/observability";
import { manifestsByKind, synthTier } from "../serving/tier-fixture";
import { synthJson } from "../helpers/synth";

// Prometheus reads the inference pods through Istio's merged metrics endpoint (15020) instead of
// the API port, so mutual TLS needs no exception for it.
describe("metrics scraping leaves mutual TLS STRICT", () => {
  const { stack } = synthTier();
  new ScrapeMonitors(stack, "Monitors", { sources: { inferenceNamespace: "inference", inferenceService: "inference" } });
  const json = synthJson(stack);
  const peers = manifestsByKind(json).PeerAuthentication;

  test("every PeerAuthentication is namespace-wide STRICT, with no port-level or workload exception", () => {
    // Namespaces are references to the namespace resources (Terraform ordering).
    expect(peers.map((p) => [p.metadata.namespace, p.spec])).toEqual([
      [expect.stringContaining("Serving_InferenceNamespace"), { mtls: { mode: "STRICT" } }],
      [expect.stringContaining("Serving_WorkerNamespace"), { mtls: { mode: "STRICT" } }],
    ]);
    for (const p of peers) {
      expect(p.spec.portLevelMtls).toBeUndefined();
      expect(p.spec.selector).toBeUndefined();
      expect(() => new PeerAuthentication(p).validate()).not.toThrow();
    }
  });

  test("nothing in the synthesized stack relaxes mTLS", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/PERMISSIVE|"mode":\s*"DISABLE"|portLevelMtls|port_level_mtls/);
  });
});
