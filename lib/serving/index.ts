export * from "./workload-namespace";
export * from "./inference-service";
export * from "./inference-autoscaler";
export * from "./kafka-topics";
export * from "./async-worker";
export * from "./serving-network-policies";
export { isPinnedImage } from "./private/image";
export type { OtelProps } from "./private/otel";
export * from "./serving-tier";
