import { AddonContext, HelmAddon, HelmChart, IdentityRequirement, PodSecurityLevel } from "../addon";
import { Problem } from "../../core/validation";
import { checkInt, resources, restrictedContainer, systemPlacement } from "../private/values";
import { loadBalancerControllerStatements } from "./iam-policy";

/** Chart pin: eks-charts `aws-load-balancer-controller` 1.14.0 (controller v2.14.0). */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART: HelmChart = {
  chart: "aws-load-balancer-controller",
  repository: "https://aws.github.io/eks-charts",
  version: "1.14.0",
};

/** Add-on name of {@link AwsLoadBalancerController}. */
export const AWS_LOAD_BALANCER_CONTROLLER = "aws-load-balancer-controller";
/** Service account the controller runs as (its Pod Identity association). */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** Options of {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerOptions {
  /**
   * Controller replicas (leader election; the second one takes over within seconds).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Grant and enable WAF and Shield integration (ALB annotations `wafv2-acl-arn`, `shield-advanced-protection`).
   * @default false: the IAM policy has no WAF/Shield actions
   */
  readonly enableWafAndShield?: boolean;
}

/**
 * AWS Load Balancer Controller: provisions the NLB of the Istio ingress gateway's Service.
 *
 * Why a controller rather than the in-tree cloud provider: the in-tree provider creates classic or
 * instance-target NLBs and leaves nothing to clean up on destroy; this controller creates IP-target
 * NLBs and, because it owns them through a finalizer on the Service, deletes them when the gateway
 * release is uninstalled. Its release is installed before the gateway and therefore destroyed after
 * it, so the NLB (and its ENIs in the VPC subnets) is gone before the foundation stack deletes the VPC.
 * The service mutator webhook is off: only Services that carry the annotations get an NLB from it.
 *
 * @example
 * new AwsLoadBalancerController({ replicas: 2 })
 */
export class AwsLoadBalancerController extends HelmAddon {
  public readonly name = AWS_LOAD_BALANCER_CONTROLLER;
  public readonly chart = AWS_LOAD_BALANCER_CONTROLLER_CHART;
  public readonly namespace = "kube-system";
  public readonly podSecurity: PodSecurityLevel = "restricted";

  public constructor(private readonly opts: AwsLoadBalancerControllerOptions = {}) {
    super(opts, ["replicas", "enableWafAndShield"]);
  }

  protected override validateOptions(): Problem[] {
    const problems: Problem[] = [];
    checkInt(problems, "ADDON_REPLICAS", `addons.${this.name}.replicas`, this.opts.replicas ?? 2, 1, 5);
    return problems;
  }

  public override identityRequirement(ctx: AddonContext): IdentityRequirement {
    return {
      serviceAccount: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      statements: loadBalancerControllerStatements({
        clusterName: ctx.clusterName,
        region: ctx.region,
        wafAndShield: this.opts.enableWafAndShield ?? false,
      }),
    };
  }

  public values(ctx: AddonContext): Record<string, unknown> {
    const waf = this.opts.enableWafAndShield ?? false;
    return {
      clusterName: ctx.clusterName,
      region: ctx.region,
      vpcId: ctx.vpcId,
      replicaCount: this.opts.replicas ?? 2,
      serviceAccount: { create: true, name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
      enableShield: waf,
      enableWaf: waf,
      enableWafv2: waf,
      enableServiceMutatorWebhook: false,
      podDisruptionBudget: { maxUnavailable: 1 },
      resources: resources("100m", "256Mi"),
      podSecurityContext: { fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: restrictedContainer(),
      ...systemPlacement(ctx),
    };
  }
}
