import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Problems } from "../core/validation";
import {
  AddonContext,
  AddonIdentity,
  GpuPlacement,
  IAddon,
  NodePlacement,
  PodSecurityLevel,
  Toleration,
  WorkloadIdentityFactory,
} from "./addon";
import { GPU_FAMILY_LABEL, GPU_TOLERATION_TAINT, SYSTEM_NODE_LABEL } from "./constants";
import { WorkloadIdentity } from "../eks/workload-identity";

/**
 * The default identity factory: an EKS Pod Identity role and association ({@link WorkloadIdentity}).
 * The release waits for the association, because Pod Identity injects credentials when a pod is
 * created: a controller pod started before its association exists runs without AWS credentials.
 */
export const podIdentityFactory: WorkloadIdentityFactory = (scope, id, props) => {
  const identity = new WorkloadIdentity(scope, id, props);
  return { roleArn: identity.roleArn, fqn: (identity.association ?? identity.role).fqn };
};

/** Props of {@link ClusterAddons}. */
export interface ClusterAddonsProps {
  /** EKS cluster name (controllers and IAM conditions use it). */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** VPC of the cluster (the load balancer controller needs it without IMDS access). */
  readonly vpcId: string;
  /** The add-ons, in any order; they are installed in dependency order. */
  readonly addons: readonly IAddon[];
  /**
   * Creates the workload identity of each add-on that declares one.
   * @default podIdentityFactory (EKS Pod Identity through `WorkloadIdentity`)
   */
  readonly identities?: WorkloadIdentityFactory;
  /**
   * Node selector of the system node group.
   * @default SYSTEM_NODE_LABEL (`headroom.dev/node-role=system`)
   */
  readonly systemNodeSelector?: Readonly<Record<string, string>>;
  /**
   * Tolerations for the system node group.
   * @default none (the system group is not tainted)
   */
  readonly systemTolerations?: readonly Toleration[];
  /**
   * GPU node groups, for the NVIDIA device plugin and DCGM exporter.
   * @default none: the cluster has no GPU nodes and GPU add-ons fail validation
   */
  readonly gpu?: GpuPlacement;
  /**
   * Helm timeout per release, in seconds.
   * @default 900 (istiod and kube-prometheus-stack CRDs take minutes on a fresh cluster)
   */
  readonly releaseTimeoutSeconds?: number;
}

const STRICTNESS: Record<PodSecurityLevel, number> = { restricted: 0, baseline: 1, privileged: 2 };
/** Namespaces that exist in every cluster and are never created or labelled here. */
const BUILT_IN_NAMESPACES = new Set(["kube-system", "default"]);

/**
 * Installs a set of cluster add-ons as Helm releases, in dependency order.
 *
 * Every problem (unknown option, missing dependency, duplicate, cycle, incompatible combination,
 * missing GPU nodes) is collected and thrown as one `ValidationError` before
 * any resource is created. Then it creates, per add-on: its namespace (once, labelled with the
 * Pod Security Standard it can enforce), its workload identity, its supporting resources and a
 * `helm_release` whose `depends_on` lists the releases it depends on. Destroy runs in the reverse
 * order, so, for example, the ingress gateway's NLB is deleted while the load balancer controller
 * still runs.
 *
 * @example
 * new ClusterAddons(stack, "Addons", {
 *   clusterName: "prod", region: "us-east-1", vpcId: vpc.id,
 *   addons: standardAddons(settings),
 *   gpu: {},
 * });
 */
export class ClusterAddons extends Construct {
  /** Releases by add-on name. */
  public readonly releases: Readonly<Record<string, Release>>;
  /** Workload identities by add-on name. */
  public readonly identities: Readonly<Record<string, AddonIdentity>>;
  /** Namespaces created, by name. */
  public readonly namespaces: Readonly<Record<string, NamespaceV1>>;
  /** Add-on names in installation order. */
  public readonly order: readonly string[];

  public constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    const placement: NodePlacement = {
      systemNodeSelector: props.systemNodeSelector ?? SYSTEM_NODE_LABEL,
      systemTolerations: props.systemTolerations ?? [],
      gpu: props.gpu
        ? { labelKey: props.gpu.labelKey ?? GPU_FAMILY_LABEL, taint: props.gpu.taint ?? { ...GPU_TOLERATION_TAINT } }
        : undefined,
    };
    const byName = new Map<string, IAddon>();
    const problems = new Problems(`cluster add-ons of '${props.clusterName}'`);
    for (const addon of props.addons) {
      if (byName.has(addon.name)) {
        problems.add("ADDON_DUPLICATE", `addons.${addon.name}`, addon.name, "each add-on at most once");
      }
      byName.set(addon.name, addon);
    }
    const ctx: AddonContext = {
      clusterName: props.clusterName,
      region: props.region,
      vpcId: props.vpcId,
      placement,
      has: (name) => byName.has(name),
    };
    for (const addon of byName.values()) {
      for (const dep of addon.dependencies) {
        if (!byName.has(dep)) {
          problems.add("ADDON_DEPENDENCY_MISSING", `addons.${addon.name}`, addon.name, `${addon.name} requires add-on '${dep}'`);
        }
      }
      problems.addAll(addon.validate(ctx));
    }
    if (props.releaseTimeoutSeconds !== undefined) {
      problems.checkNumber("ADDON_TIMEOUT", "releaseTimeoutSeconds", props.releaseTimeoutSeconds, { min: 60, max: 3600, integer: true });
    }
    const order = dependencyOrder([...byName.values()]);
    if (order.cycle) {
      problems.add("ADDON_DEPENDENCY_CYCLE", "addons", order.cycle, "dependencies without a cycle");
    }
    problems.throwIfAny();
    this.order = order.names;

    const namespaces: Record<string, NamespaceV1> = {};
    const nsLevel = new Map<string, PodSecurityLevel>();
    for (const addon of byName.values()) {
      const current = nsLevel.get(addon.namespace);
      if (current === undefined || STRICTNESS[addon.podSecurity] > STRICTNESS[current]) nsLevel.set(addon.namespace, addon.podSecurity);
    }
    for (const [name, level] of [...nsLevel.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (BUILT_IN_NAMESPACES.has(name)) continue;
      namespaces[name] = new NamespaceV1(this, `Namespace-${name}`, {
        metadata: {
          name,
          labels: {
            "pod-security.kubernetes.io/enforce": level,
            // Warn and audit at "restricted" everywhere so any relaxation shows up in events and audit logs.
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
            "app.kubernetes.io/managed-by": "headroom",
          },
        },
      });
    }

    const identityFactory = props.identities ?? podIdentityFactory;
    const releases: Record<string, Release> = {};
    const identities: Record<string, AddonIdentity> = {};
    for (const name of order.names) {
      const addon = byName.get(name)!;
      const addonScope = new Construct(this, addon.name);
      const waitFor: ITerraformDependable[] = [];
      const ns = namespaces[addon.namespace];
      if (ns) waitFor.push(ns);
      const need = addon.identityRequirement(ctx);
      if (need) {
        const identity = identityFactory(addonScope, "Identity", {
          clusterName: props.clusterName,
          namespace: addon.namespace,
          serviceAccount: need.serviceAccount,
          statements: [...need.statements],
        });
        identities[name] = identity;
        waitFor.push(identity);
      }
      waitFor.push(...addon.preInstall(addonScope, ctx, ns));
      for (const dep of addon.dependencies) waitFor.push(releases[dep]);
      releases[name] = new Release(addonScope, "Resource", {
        name: addon.name,
        namespace: addon.namespace,
        chart: addon.chart.chart,
        repository: addon.chart.repository,
        version: addon.chart.version,
        createNamespace: false,
        values: [JSON.stringify(addon.values(ctx)), ...addon.tokenValues(ctx)],
        // Wait for readiness on install and for deletion on uninstall, so a dependent release
        // only starts once its controller/webhook serves, and a load balancer is gone before
        // the controller that deletes it.
        wait: true,
        atomic: true,
        cleanupOnFail: true,
        timeout: props.releaseTimeoutSeconds ?? 900,
        maxHistory: 5,
        dependsOn: waitFor,
      });
      addon.postInstall(addonScope, ctx, {
        release: releases[name],
        dependencies: Object.fromEntries(addon.dependencies.map((d) => [d, releases[d]])),
      });
    }
    this.releases = releases;
    this.identities = identities;
    this.namespaces = namespaces;
  }
}

/** Kahn's algorithm, stable by the given order; reports the add-ons left on a cycle. */
function dependencyOrder(addons: readonly IAddon[]): { names: string[]; cycle?: string[] } {
  const names = new Set(addons.map((a) => a.name));
  const remaining = new Map(addons.map((a) => [a.name, a.dependencies.filter((d) => names.has(d))] as const));
  const result: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()].filter(([, deps]) => deps.every((d) => result.includes(d))).map(([n]) => n);
    if (ready.length === 0) return { names: result, cycle: [...remaining.keys()] };
    for (const n of ready) {
      result.push(n);
      remaining.delete(n);
    }
  }
  return { names: result };
}
