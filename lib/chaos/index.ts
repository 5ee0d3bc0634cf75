export * from "./chaos-drills";
export * from "./fis-kubernetes-access";
