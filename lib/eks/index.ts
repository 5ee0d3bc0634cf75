export * from "./workload-identity";
