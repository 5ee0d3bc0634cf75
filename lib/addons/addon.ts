/**
 * The add-on contract: what one Helm-installed cluster add-on declares.
 *
 * An add-on is plain data plus three pure functions (validate, values, extra
 * values) and one optional hook that creates supporting resources (a secret, a
 * StorageClass) before its release. {@link ClusterAddons} composes a list of
 * add-ons: it validates every add-on and every combination first, then creates
 * namespaces, workload identities and one `helm_release` per add-on with
 * `depends_on` in dependency order.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Problem } from "../core/validation";
import { PolicyStatement } from "../security/policy";

/** A pinned Helm chart. */
export interface HelmChart {
  /** Chart name in the repository, e.g. `istiod`. */
  readonly chart: string;
  /** `https://` repository URL or `oci://` registry path. */
  readonly repository: string;
  /** Exact chart version (never a range). */
  readonly version: string;
}

/** Pod Security Standard a namespace enforces (`pod-security.kubernetes.io/enforce`). */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** A Kubernetes toleration, as Helm values take it. */
export interface Toleration {
  /** Taint key. @default none: with `Exists`, tolerates every taint */
  readonly key?: string;
  readonly operator: "Exists" | "Equal";
  /** Taint value (with `Equal`). @default none */
  readonly value?: string;
  /** Taint effect. @default none: every effect */
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** CPU and memory requests and limits, in Kubernetes quantity strings. */
export interface ResourceRequirements {
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** Memory limit always; CPU limit only where asked (@default no CPU limit: throttling hurts tail latency). */
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** Where GPU nodes are and how they are tainted (EKS AL2023 NVIDIA node groups). */
export interface GpuPlacement {
  /** Label present on every GPU node, used for node affinity. @default "headroom.dev/gpu-family" */
  readonly labelKey?: string;
  /** Taint on GPU nodes that GPU daemonsets tolerate. @default nvidia.com/gpu=true:NoSchedule */
  readonly taint?: { readonly key: string; readonly value: string; readonly effect: "NoSchedule" | "NoExecute" };
}

/** Node placement of add-on pods. */
export interface NodePlacement {
  /** Node selector of the system node group; every non-GPU add-on pod gets it. */
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /** Tolerations for system nodes (none when the system group is untainted). */
  readonly systemTolerations: readonly Toleration[];
  /** GPU nodes; undefined when the cluster has none. */
  readonly gpu?: { readonly labelKey: string; readonly taint: { readonly key: string; readonly value: string; readonly effect: "NoSchedule" | "NoExecute" } };
}

/** A workload identity an add-on needs (EKS Pod Identity: namespace + service account -> IAM role). */
export interface IdentityRequirement {
  /** Service account the chart creates and the pods run as. */
  readonly serviceAccount: string;
  /** Least-privilege permissions of the role. */
  readonly statements: readonly PolicyStatement[];
}

/** What a created workload identity exposes to the add-on. */
export interface AddonIdentity extends ITerraformDependable {
  /** ARN of the IAM role bound to the service account. */
  readonly roleArn: string;
}

/** Props the identity factory receives; the shape of `WorkloadIdentityProps` in `lib/eks/workload-identity.ts`. */
export interface WorkloadIdentityRequest {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly statements: PolicyStatement[];
}

/**
 * Creates one workload identity. The default (`podIdentityFactory`) builds an EKS Pod Identity
 * role and association with `WorkloadIdentity` from the EKS area; pass another one to use IRSA.
 */
export type WorkloadIdentityFactory = (scope: Construct, id: string, props: WorkloadIdentityRequest) => AddonIdentity;

/** Everything an add-on may read while validating. */
export interface AddonValidationContext {
  /** Whether an add-on of that name is part of the same set. */
  has(name: string): boolean;
  /** Node placement of the cluster. */
  readonly placement: NodePlacement;
}

/** Everything an add-on may read while rendering values. */
export interface AddonContext extends AddonValidationContext {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
}

/** One Helm-installed cluster add-on. Implementations extend {@link HelmAddon}. */
export interface IAddon {
  /** Unique add-on name, also the release name and the construct id, e.g. `istiod`. */
  readonly name: string;
  readonly chart: HelmChart;
  /** Namespace the release installs into. */
  readonly namespace: string;
  /** Pod Security Standard its pods satisfy; the namespace enforces the least strict level of its add-ons. */
  readonly podSecurity: PodSecurityLevel;
  /** Names of add-ons that must be installed first (their CRDs, webhooks or controllers are needed). */
  readonly dependencies: readonly string[];
  /** Workload identity the add-on needs, if any (service account and least-privilege statements). */
  identityRequirement(ctx: AddonContext): IdentityRequirement | undefined;
  /** Problems in the add-on's own options and in its combination with the others. */
  validate(ctx: AddonValidationContext): Problem[];
  /** Helm values (plain data, rendered as JSON, which is valid YAML). */
  values(ctx: AddonContext): Record<string, unknown>;
  /**
   * Further values documents that must be Terraform expressions (they hold tokens such as lists from
   * another stack); Helm merges them after {@link values}.
   */
  tokenValues(ctx: AddonContext): string[];
  /**
   * Creates supporting resources the release needs (secrets, storage classes); returns what the release waits for.
   * @param namespace the add-on's namespace resource, when this set creates it (resources in it must wait for it)
   */
  preInstall(scope: Construct, ctx: AddonContext, namespace?: ITerraformDependable): ITerraformDependable[];
  /**
   * Creates resources that need the release (and its dependencies) installed first; on destroy they
   * are deleted before the release and its dependencies are uninstalled.
   */
  postInstall(scope: Construct, ctx: AddonContext, installed: InstalledRelease): void;
}

/** What {@link IAddon.postInstall} may depend on. */
export interface InstalledRelease {
  /** The add-on's own release. */
  readonly release: ITerraformDependable;
  /** Releases of the add-ons it depends on, by name. */
  readonly dependencies: Readonly<Record<string, ITerraformDependable>>;
}

/** Base class: option checking and empty hooks. */
export abstract class HelmAddon implements IAddon {
  public abstract readonly name: string;
  public abstract readonly chart: HelmChart;
  public abstract readonly namespace: string;
  public abstract readonly podSecurity: PodSecurityLevel;
  public readonly dependencies: readonly string[] = [];

  /**
   * @param options the options object given to the add-on (checked against `knownOptions` so a
   *   misspelt option from JSON configuration fails instead of being ignored)
   * @param knownOptions every option name the add-on accepts
   */
  protected constructor(
    private readonly options: object,
    private readonly knownOptions: readonly string[],
  ) {}

  public validate(ctx: AddonValidationContext): Problem[] {
    const problems: Problem[] = [];
    for (const key of Object.keys(this.options ?? {})) {
      if (!this.knownOptions.includes(key)) {
        problems.push({
          code: "ADDON_OPTION_UNKNOWN",
          path: `addons.${this.name}.${key}`,
          value: key,
          allowed: `one of ${this.knownOptions.map((k) => JSON.stringify(k)).join(", ")}`,
        });
      }
    }
    problems.push(...this.validateOptions(ctx));
    return problems;
  }

  /** Add-on specific checks; the default finds nothing. */
  protected validateOptions(_ctx: AddonValidationContext): Problem[] {
    return [];
  }

  public abstract values(ctx: AddonContext): Record<string, unknown>;

  public identityRequirement(_ctx: AddonContext): IdentityRequirement | undefined {
    return undefined;
  }

  public tokenValues(_ctx: AddonContext): string[] {
    return [];
  }

  public preInstall(_scope: Construct, _ctx: AddonContext, _namespace?: ITerraformDependable): ITerraformDependable[] {
    return [];
  }

  public postInstall(_scope: Construct, _ctx: AddonContext, _installed: InstalledRelease): void {}
}
