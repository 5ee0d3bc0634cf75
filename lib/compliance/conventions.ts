/**
 * Conventions the rules rely on that a construct author sets on purpose.
 */

/**
 * Tag that documents a security group as a load balancer's: only such groups may
 * accept TCP 80/443 from the internet (HR-NET-1). Set it as
 * `tags: { [LOAD_BALANCER_TAG.key]: LOAD_BALANCER_TAG.value }`.
 */
export const LOAD_BALANCER_TAG = { key: "headroom:role", value: "load-balancer" } as const;
