import { GPU_FAMILY_LABEL } from "../../addons/constants";

/** Label keys shared by every Headroom workload (Kubernetes recommended labels). */
export const LABEL_NAME = "app.kubernetes.io/name";
export const LABEL_COMPONENT = "app.kubernetes.io/component";
export const LABEL_PART_OF = "app.kubernetes.io/part-of";
export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
/** Istio's canonical version label; DestinationRule subsets select on it. */
export const LABEL_VERSION = "version";
/** Node label the GPU node groups carry with their instance family (the shared constant of lib/addons). */
export const LABEL_GPU_FAMILY = GPU_FAMILY_LABEL;
/** Well-known node labels. */
export const LABEL_INSTANCE_TYPE = "node.kubernetes.io/instance-type";
export const LABEL_ZONE = "topology.kubernetes.io/zone";
export const LABEL_HOSTNAME = "kubernetes.io/hostname";

/** The labels every object of a component carries. */
export function standardLabels(name: string, component: string): Record<string, string> {
  return {
    [LABEL_NAME]: name,
    [LABEL_COMPONENT]: component,
    [LABEL_PART_OF]: "headroom",
    [LABEL_MANAGED_BY]: "terraform",
  };
}
