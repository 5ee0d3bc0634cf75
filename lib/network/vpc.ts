import { Fn } from "cdktf";
import { Construct } from "constructs";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Problems } from "../core/validation";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IKmsKey } from "../security/kms-key";
import { policyDocument } from "../security/policy";
import { awsContext } from "../security/private/aws-context";
import { Peer, Port, SecurityGroup } from "./connections";
import { parseIpv4Cidr, subnetLayout } from "./private/cidr";

/** Interface endpoints every Headroom VPC gets: nodes pull images and call AWS APIs without leaving the VPC. */
export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "sts", "logs", "ec2", "elasticloadbalancing"] as const;

/** How many NAT gateways to run. */
export enum NatGateways {
  /** One per AZ: losing an AZ does not cut the others off the internet (prod). */
  PER_AZ = "PER_AZ",
  /** One in the first AZ: cheaper, a single point of failure for egress (dev, staging). */
  SINGLE = "SINGLE",
}

/** Properties of {@link Vpc}. */
export interface VpcProps {
  /** Name prefix for tags and log groups, e.g. `headroom-prod`. */
  readonly name: string;
  /** VPC IPv4 range: RFC 1918, prefix /16 to /20. */
  readonly cidr: string;
  /**
   * Availability zones to spread over (2 or 3).
   * @default 3
   */
  readonly azCount?: number;
  /** @default NatGateways.PER_AZ */
  readonly natGateways?: NatGateways;
  /** Key for the flow-log group; its policy must admit CloudWatch Logs. */
  readonly logsKey: IKmsKey;
  /**
   * Flow-log retention in days.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Interface endpoints (AWS service short names such as `ecr.api`).
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * EKS cluster name, to tag subnets `kubernetes.io/cluster/<name>=shared` for load-balancer discovery.
   * @default no cluster tag (the role tags alone suffice for AWS Load Balancer Controller v2.2+)
   */
  readonly clusterName?: string;
}

/**
 * A VPC for an inference platform: private subnets for nodes and pods, small
 * public subnets for NAT and internet-facing load balancers (tagged for
 * discovery), NAT per AZ or single, an S3 gateway endpoint and interface
 * endpoints behind a security group that admits only the VPC, flow logs of all
 * traffic to a KMS-encrypted log group, the default security group stripped of
 * every rule, and no auto-assigned public IPs.
 *
 * @example
 * const vpc = new Vpc(this, "Vpc", { name: "headroom-prod", cidr: "10.40.0.0/16", azCount: 3, logsKey });
 * new EksCluster(this, "Cluster", { vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds, ... });
 */
export class Vpc extends Construct {
  /** The `aws_vpc` (escape hatch). */
  public readonly resource: AwsVpc;
  public readonly vpcId: string;
  public readonly cidrBlock: string;
  /** AZ names, as Terraform tokens, in subnet order. */
  public readonly availabilityZones: string[];
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateRouteTableIds: string[];
  /** Guards the interface endpoints: HTTPS from the VPC range only. */
  public readonly endpointSecurityGroup: SecurityGroup;
  public readonly flowLogGroup: EncryptedLogGroup;

  public constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const azCount = props.azCount ?? 3;
    const problems = new Problems(`Vpc '${this.node.path}' props`);
    problems.checkNumber("VPC_AZ_COUNT", "azCount", azCount, { min: 2, max: 3, integer: true });
    const parsed = parseIpv4Cidr(props.cidr);
    if (!parsed || parsed.prefixLength < 16 || parsed.prefixLength > 20) {
      problems.add("VPC_CIDR", "cidr", props.cidr, "an IPv4 CIDR block with prefix /16 to /20 and no host bits set");
    }
    problems.throwIfAny();
    const layout = subnetLayout(parsed!, azCount);
    const ctx = awsContext(this);
    const clusterTag: Record<string, string> = props.clusterName ? { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" } : {};

    this.resource = new AwsVpc(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.resource.id;
    this.cidrBlock = this.resource.cidrBlock;

    // Adopting the default group and giving it no rules strips what AWS puts there,
    // so nothing that falls back to it is reachable.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpcId,
      ingress: [],
      egress: [],
      tags: { Name: `${props.name}-default-unused` },
    });

    const zones = new DataAwsAvailabilityZones(this, "Zones", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    this.availabilityZones = [...Array(azCount).keys()].map((i) => Fn.element(zones.names, i));

    const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpcId, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, "PublicRoutes", { vpcId: this.vpcId, tags: { Name: `${props.name}-public` } });
    new Route(this, "PublicDefaultRoute", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    const publicSubnets = layout.public.map((cidr, i) => {
      const subnet = new Subnet(this, `Public${i}`, {
        vpcId: this.vpcId,
        cidrBlock: cidr,
        availabilityZone: this.availabilityZones[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${i}`, "kubernetes.io/role/elb": "1", ...clusterTag },
      });
      new RouteTableAssociation(this, `Public${i}Routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      return subnet;
    });
    this.publicSubnetIds = publicSubnets.map((s) => s.id);

    const natCount = (props.natGateways ?? NatGateways.PER_AZ) === NatGateways.PER_AZ ? azCount : 1;
    const nats = [...Array(natCount).keys()].map((i) => {
      const eip = new Eip(this, `NatIp${i}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${i}` } });
      return new NatGateway(this, `Nat${i}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        tags: { Name: `${props.name}-nat-${i}` },
        dependsOn: [igw],
      });
    });

    const privateRouteTables: RouteTable[] = [];
    this.privateSubnetIds = layout.private.map((cidr, i) => {
      const subnet = new Subnet(this, `Private${i}`, {
        vpcId: this.vpcId,
        cidrBlock: cidr,
        availabilityZone: this.availabilityZones[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${i}`, "kubernetes.io/role/internal-elb": "1", ...clusterTag },
      });
      const routes = new RouteTable(this, `Private${i}Routes`, { vpcId: this.vpcId, tags: { Name: `${props.name}-private-${i}` } });
      new Route(this, `Private${i}DefaultRoute`, {
        routeTableId: routes.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      });
      new RouteTableAssociation(this, `Private${i}RoutesAssociation`, { subnetId: subnet.id, routeTableId: routes.id });
      privateRouteTables.push(routes);
      return subnet.id;
    });
    this.privateRouteTableIds = privateRouteTables.map((r) => r.id);

    new VpcEndpoint(this, "S3Endpoint", {
      vpcId: this.vpcId,
      serviceName: `com.amazonaws.${ctx.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: this.privateRouteTableIds,
      tags: { Name: `${props.name}-s3` },
    });

    this.endpointSecurityGroup = new SecurityGroup(this, "EndpointSecurityGroup", {
      vpcId: this.vpcId,
      description: `${props.name} interface endpoints: HTTPS from the VPC only`,
    });
    this.endpointSecurityGroup.connections.allowFrom(Peer.ipv4(props.cidr, "vpc"), Port.tcp(443), "HTTPS to AWS APIs from inside the VPC");
    for (const service of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new VpcEndpoint(this, `Endpoint-${service.replace(/\./g, "-")}`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${ctx.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [this.endpointSecurityGroup.securityGroupId],
        tags: { Name: `${props.name}-${service}` },
      });
    }

    this.flowLogGroup = new EncryptedLogGroup(this, "FlowLogGroup", {
      name: `/headroom/${props.name}/vpc-flow-logs`,
      kmsKey: props.logsKey,
      retentionDays: props.flowLogRetentionDays ?? 365,
    });
    const flowLogRole = new IamRole(this, "FlowLogRole", {
      namePrefix: `${props.name}-flow-`.slice(0, 32),
      description: `Delivers ${props.name} VPC flow logs to CloudWatch Logs`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, "FlowLogRolePolicy", {
      role: flowLogRole.id,
      policy: policyDocument([
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [this.flowLogGroup.logGroupArn, `${this.flowLogGroup.logGroupArn}:*`],
        },
      ]),
    });
    new FlowLog(this, "FlowLog", {
      vpcId: this.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.logGroupArn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags: { Name: props.name },
    });
  }
}
