/**
 * Headroom: capacity-planned, hardened AWS infrastructure for LLM inference, as CDK for Terraform constructs.
 *
 * Each area is also importable on its own (`lib/<area>/index.ts`); this entry re-exports them all.
 */
export * from "./core/validation";
export * from "./capacity";
export * from "./capacity/simulate";
export * from "./security";
export * from "./network";
export * from "./eks";
export * from "./data";
export * from "./addons";
export * from "./serving";
export * from "./mesh";
export * from "./observability";
export * from "./compliance";
