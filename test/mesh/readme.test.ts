/** The minimal example of lib/mesh/README.md, compiled by the type-check and synthesized here. */
import { TerraformStack } from "cdktf";
import { IngressAdmission, InferenceTrafficPolicy, StrictMtls } from "../../lib/mesh";
import { resourcesOf, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "../serving/helpers";

function readmeExample(stack: TerraformStack): void {
  new StrictMtls(stack, "InferenceMtls", { namespace: "inference" });
  const admission = new IngressAdmission(stack, "Admission", {
    hosts: ["api.example.com"],
    credentialName: "api-example-com-tls",
    maxRequestsPerSecond: 48,
    burstRequests: 96,
    retryAfterSeconds: 5,
    gatewayReplicas: 3,
  });
  new InferenceTrafficPolicy(stack, "Traffic", {
    namespace: "inference",
    serviceName: "inference",
    port: 8000,
    hosts: ["api.example.com"],
    gateway: admission.gatewayRef,
    maxConcurrentRequestsPerReplica: 80,
    maxPendingRequestsPerReplica: 16,
    replicas: 10,
    clientProxies: 3,
    requestTimeoutSeconds: 90,
    longestRequestSeconds: 62,
    weights: { stable: 100, canary: 0 },
    production: true,
  });
}

test("the README example synthesizes", () => {
  const stack = workloadsTestStack();
  readmeExample(stack);
  const kinds = Object.values(resourcesOf(synthJson(stack), "kubernetes_manifest")).map((m: any) => m.manifest.kind);
  expect(kinds.sort()).toEqual(["DestinationRule", "EnvoyFilter", "Gateway", "PeerAuthentication", "VirtualService"]);
});
