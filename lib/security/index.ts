export * from "./encrypted-log-group";
export * from "./kms-key";
export * from "./policy";
