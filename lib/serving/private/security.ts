/**
 * The Pod Security Standards "restricted" profile, as container and pod settings.
 * Kept in one place so every Headroom container gets the same hardening.
 */
export function restrictedContainerSecurityContext(readOnlyRootFilesystem = true) {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Pod-level part of the restricted profile. */
export function restrictedPodSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: String(uid),
    runAsGroup: String(uid),
    fsGroup: String(uid),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Converts GiB to a Kubernetes quantity string. */
export function gibibytes(value: number): string {
  return Number.isInteger(value) ? `${value}Gi` : `${Math.ceil(value * 1024)}Mi`;
}

/** Converts a fraction to a Kubernetes quantity with milli precision (0.8 -> "800m"). */
export function milliQuantity(value: number): string {
  return `${Math.round(value * 1000)}m`;
}
