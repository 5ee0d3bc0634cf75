/**
 * Conventions the rules rely on that a construct author sets on purpose.
 */

/**
 * Tag that documents a security group as a load balancer's: only such groups may
 * accept TCP 80/443 from the internet (HR-NET-1). Set it as
 * `tags: { [LOAD_BALANCER_TAG.key]: LOAD_BALANCER_TAG.value }`.
 */
export const LOAD_BALANCER_TAG = { key: "headroom:role", value: "load-balancer" } as const;

/**
 * Namespaces that may enforce the `privileged` Pod Security level (HR-K8S-6), each with the
 * reason. Everything else must enforce `baseline` or `restricted`. Extend it for a cluster
 * with `applyCompliance(stack, { privilegedNamespaces: { ...PRIVILEGED_NAMESPACES, "my-ns": "why" } })`.
 */
export const PRIVILEGED_NAMESPACES: Readonly<Record<string, string>> = {
  "kube-system": "EKS add-ons (vpc-cni, kube-proxy, EBS CSI node) and istio-cni run privileged node agents there; EKS leaves it unlabelled",
  "gpu-system": "the NVIDIA device plugin and DCGM exporter mount the kubelet device-plugin socket and host GPU devices",
  monitoring: "node-exporter needs the host network, the host PID namespace and host /proc and /sys mounts",
};

/**
 * How the pack recognises a production stack (HR-EKS-6): the AWS provider's default tags,
 * or the resource's own tags, carry `environment` = `prod` or `production` (the tag every
 * Headroom environment sets). A value the pack cannot read counts as production.
 * Override per stack with `applyCompliance(stack, { production: true | false })`.
 */
export const ENVIRONMENT_TAG = { key: "environment", productionValues: ["prod", "production"] } as const;
