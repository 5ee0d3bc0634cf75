export * from "./inference-traffic-policy";
export * from "./ingress-admission";
export * from "./strict-mtls";
export * from "./inference-authorization";
export * from "./inference-gateway-route";
