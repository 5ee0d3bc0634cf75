import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { InferenceAuthorization } from "../../lib/mesh/inference-authorization";
import { StrictMtls } from "../../lib/mesh/strict-mtls";
import { onlyResource, synthJson } from "../helpers/synth";
import { workloadsTestStack } from "../serving/helpers";
import { validationErrorOf } from "./helpers";

describe("StrictMtls", () => {
  test("namespace-wide STRICT PeerAuthentication", () => {
    const stack = workloadsTestStack();
    new StrictMtls(stack, "Mtls", { namespace: "workers" });
    const m = onlyResource(synthJson(stack), "kubernetes_manifest").manifest;
    expect(m).toMatchObject({ apiVersion: "security.istio.io/v1beta1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "workers" }, spec: { mtls: { mode: "STRICT" } } });
    expect(m.spec.selector).toBeUndefined();
    expect(() => new PeerAuthentication(m).validate()).not.toThrow();
  });
});

describe("InferenceAuthorization", () => {
  test("only the gateway and the named callers, by mTLS identity, on the API port", () => {
    const stack = workloadsTestStack();
    new InferenceAuthorization(stack, "Authz", {
      namespace: "inference",
      podLabels: { "app.kubernetes.io/name": "inference" },
      port: 8000,
      callers: [{ namespace: "workers", serviceAccountName: "inference-worker" }],
    });
    const m = onlyResource(synthJson(stack), "kubernetes_manifest").manifest;
    expect(m.spec).toEqual({
      selector: { matchLabels: { "app.kubernetes.io/name": "inference" } },
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway", "cluster.local/ns/workers/sa/inference-worker"] } }],
          to: [{ operation: { ports: ["8000"] } }],
        },
      ],
    });
    expect(() => new AuthorizationPolicy(m).validate()).not.toThrow();
  });

  test("fails on an empty selector (it would cover the whole namespace)", () => {
    const err = validationErrorOf(() => new InferenceAuthorization(workloadsTestStack(), "A", { namespace: "i", podLabels: {}, port: 8000, callers: [] }));
    expect(err.codes).toEqual(["AUTHZ_SELECTOR_EMPTY"]);
  });
});
