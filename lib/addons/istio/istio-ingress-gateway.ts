import { Construct } from "constructs";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { AddonContext, HelmAddon, HelmChart, InstalledRelease, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { ISTIO_INGRESS_GATEWAY_NAME, ISTIO_INGRESS_GATEWAY_SELECTOR, ISTIO_INGRESS_LOAD_BALANCER_SERVICE, ISTIO_INGRESS_NAMESPACE } from "../constants";
import { AWS_LOAD_BALANCER_CONTROLLER } from "../aws-load-balancer-controller/aws-load-balancer-controller";
import { checkInt, resources, systemPlacement } from "../private/values";
import { ISTIOD } from "./istiod";
import { ISTIO_REPOSITORY, ISTIO_VERSION } from "./version";

/** Add-on name of {@link IstioIngressGateway}. */
export const ISTIO_INGRESS_GATEWAY = ISTIO_INGRESS_GATEWAY_NAME;
/** Chart pin: Istio `gateway`. */
export const ISTIO_GATEWAY_CHART: HelmChart = { chart: "gateway", repository: ISTIO_REPOSITORY, version: ISTIO_VERSION };

const GATEWAY_PORTS = [
  { name: "status-port", port: 15021, targetPort: 15021 },
  { name: "http2", port: 80, targetPort: 80 },
  { name: "https", port: 443, targetPort: 443 },
] as const;

/** Whether the NLB faces the internet or only the VPC. */
export type LoadBalancerScheme = "internet-facing" | "internal";

/** Options of {@link IstioIngressGateway}. */
export interface IstioIngressGatewayOptions {
  /**
   * Minimum gateway replicas (HPA minimum; with 2 or more a PDB keeps one up during node drains).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Maximum gateway replicas (HPA maximum).
   * @default 3 x minReplicas
   */
  readonly maxReplicas?: number;
  /**
   * NLB scheme.
   * @default "internal": an internet-facing entry point is an explicit choice
   */
  readonly scheme?: LoadBalancerScheme;
  /**
   * Client CIDRs allowed through the NLB (`loadBalancerSourceRanges`).
   * @default none: all sources the scheme reaches
   */
  readonly sourceRanges?: readonly string[];
  /**
   * HPA CPU target, percent.
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;
}

/**
 * The Istio ingress gateway behind an NLB from the AWS Load Balancer Controller.
 *
 * The NLB's Service ({@link ISTIO_INGRESS_LOAD_BALANCER_SERVICE}) is a Terraform
 * `kubernetes_service_v1`, not part of the chart (whose own Service is ClusterIP), because destroy
 * must wait for the NLB to be gone: `helm uninstall` returns as soon as it has asked for deletion
 * (hashicorp/terraform-provider-helm#593), while the kubernetes provider waits until the Service
 * object disappears (terraform-provider-kubernetes#976), which happens only after the controller has
 * deleted the NLB and removed its finalizer. The Service depends on the controller's release, so on
 * `cdktf destroy` it is deleted first, then the gateway, then the controller; the NLB and its ENIs are
 * gone before the foundation stack (destroyed after the cluster stack) deletes the subnets and VPC.
 * Explicit annotations and `loadBalancerClass: service.k8s.aws/nlb` make the controller, never the
 * in-tree cloud provider, own it.
 *
 * @example
 * new IstioIngressGateway({ minReplicas: 3, scheme: "internet-facing" })
 */
export class IstioIngressGateway extends HelmAddon {
  public readonly name = ISTIO_INGRESS_GATEWAY;
  public readonly chart = ISTIO_GATEWAY_CHART;
  public readonly namespace = ISTIO_INGRESS_NAMESPACE;
  // The gateway sets the safe sysctl net.ipv4.ip_unprivileged_port_start, allowed by "baseline".
  public readonly podSecurity: PodSecurityLevel = "baseline";
  public override readonly dependencies = [ISTIOD, AWS_LOAD_BALANCER_CONTROLLER];

  /** The LoadBalancer Service of the NLB, once {@link ClusterAddons} has installed the add-on. */
  public loadBalancerService?: ServiceV1;

  public constructor(private readonly opts: IstioIngressGatewayOptions = {}) {
    super(opts, ["minReplicas", "maxReplicas", "scheme", "sourceRanges", "targetCpuUtilizationPercent"]);
  }

  private get minReplicas(): number {
    return this.opts.minReplicas ?? 2;
  }

  private get maxReplicas(): number {
    return this.opts.maxReplicas ?? this.minReplicas * 3;
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    const base = `addons.${this.name}`;
    if (checkInt(problems, "ADDON_REPLICAS", `${base}.minReplicas`, this.minReplicas, 1, 100)) {
      checkInt(problems, "ADDON_REPLICAS", `${base}.maxReplicas`, this.maxReplicas, this.minReplicas, 200);
    }
    checkInt(problems, "ADDON_HPA_TARGET", `${base}.targetCpuUtilizationPercent`, this.opts.targetCpuUtilizationPercent ?? 70, 10, 95);
    const scheme = this.opts.scheme ?? "internal";
    if (scheme !== "internal" && scheme !== "internet-facing") {
      problems.push({ code: "ADDON_LB_SCHEME", path: `${base}.scheme`, value: scheme, allowed: 'one of "internet-facing", "internal"' });
    }
    for (const [i, cidr] of (this.opts.sourceRanges ?? []).entries()) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
        problems.push({ code: "ADDON_SOURCE_RANGE", path: `${base}.sourceRanges[${i}]`, value: cidr, allowed: "an IPv4 CIDR, e.g. 10.0.0.0/8" });
      }
    }
    return problems;
  }

  /** The NLB annotations on the gateway Service. */
  public serviceAnnotations(): Record<string, string> {
    return {
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": this.opts.scheme ?? "internal",
      "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
      // Health-check the Envoy readiness endpoint rather than a traffic port.
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
    };
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    return {
      labels: { istio: "ingressgateway" },
      replicaCount: this.minReplicas,
      autoscaling: {
        enabled: true,
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        targetCPUUtilizationPercentage: this.opts.targetCpuUtilizationPercent ?? 70,
      },
      podDisruptionBudget: { minAvailable: 1 },
      // In-cluster only; the NLB Service is created by postInstall (see the class comment).
      service: { type: "ClusterIP", ports: GATEWAY_PORTS.map((p) => ({ ...p, protocol: "TCP" })) },
      // Explicit CPU limit: the chart's default (2 CPUs) would otherwise survive Helm's map merge.
      resources: resources("500m", "512Mi", { cpu: "2", memory: "1Gi" }),
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { istio: "ingressgateway" } },
        },
      ],
      ...systemPlacement(ctx),
    };
  }

  public override postInstall(scope: Construct, _ctx: AddonContext, installed: InstalledRelease): void {
    this.loadBalancerService = new ServiceV1(scope, "LoadBalancer", {
      metadata: { name: ISTIO_INGRESS_LOAD_BALANCER_SERVICE, namespace: this.namespace, annotations: this.serviceAnnotations() },
      spec: {
        type: "LoadBalancer",
        loadBalancerClass: "service.k8s.aws/nlb",
        selector: { ...ISTIO_INGRESS_GATEWAY_SELECTOR },
        port: GATEWAY_PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: String(p.targetPort), protocol: "TCP" })),
        ...(this.opts.sourceRanges ? { loadBalancerSourceRanges: [...this.opts.sourceRanges] } : {}),
      },
      waitForLoadBalancer: true,
      dependsOn: [installed.release, ...Object.values(installed.dependencies)],
    });
  }
}
