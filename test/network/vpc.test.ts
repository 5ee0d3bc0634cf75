import { ValidationError } from "../../lib/core/validation";
import { NatGateways, Vpc } from "../../lib/network/vpc";
import { KmsKey } from "../../lib/security/kms-key";
import { resourcesOf, synthJson, testStack } from "../helpers/synth";

function synthVpc(props: Partial<ConstructorParameters<typeof Vpc>[2]> = {}) {
  const { stack } = testStack();
  const logsKey = new KmsKey(stack, "Logs", { alias: "test-logs", description: "logs", allowCloudWatchLogs: true });
  new Vpc(stack, "Vpc", { name: "hr-test", cidr: "10.20.0.0/16", logsKey, ...props });
  return synthJson(stack);
}

describe("Vpc", () => {
  const json = synthVpc();

  test("spreads private and public subnets over three AZs without public IPs", () => {
    const subnets = Object.values(resourcesOf(json, "aws_subnet"));
    expect(subnets).toHaveLength(6);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    const cidrs = subnets.map((s) => s.cidr_block).sort();
    expect(cidrs).toEqual(["10.20.0.0/18", "10.20.128.0/18", "10.20.192.0/21", "10.20.200.0/21", "10.20.208.0/21", "10.20.64.0/18"]);
  });

  test("tags subnets for load-balancer discovery", () => {
    const subnets = Object.values(resourcesOf(json, "aws_subnet"));
    expect(subnets.filter((s) => s.tags["kubernetes.io/role/elb"] === "1")).toHaveLength(3);
    expect(subnets.filter((s) => s.tags["kubernetes.io/role/internal-elb"] === "1")).toHaveLength(3);
  });

  test("runs a NAT gateway per AZ by default and one when asked", () => {
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(3);
    const single = synthVpc({ natGateways: NatGateways.SINGLE, azCount: 2 });
    expect(Object.keys(resourcesOf(single, "aws_nat_gateway"))).toHaveLength(1);
    const routes = Object.values(resourcesOf(single, "aws_route")).filter((r) => r.nat_gateway_id);
    expect(new Set(routes.map((r) => r.nat_gateway_id)).size).toBe(1);
    expect(routes).toHaveLength(2);
  });

  test("strips the default security group", () => {
    const sg = Object.values(resourcesOf(json, "aws_default_security_group"))[0];
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
  });

  test("has an S3 gateway endpoint and interface endpoints reachable only from the VPC", () => {
    const endpoints = Object.values(resourcesOf(json, "aws_vpc_endpoint"));
    expect(endpoints.filter((e) => e.vpc_endpoint_type === "Gateway").map((e) => e.service_name)).toEqual([
      expect.stringMatching(/\.s3$/),
    ]);
    const iface = endpoints.filter((e) => e.vpc_endpoint_type === "Interface");
    expect(iface.map((e) => e.service_name.split("}.")[1]).sort()).toEqual(
      ["ec2", "ecr.api", "ecr.dkr", "elasticloadbalancing", "logs", "sts"],
    );
    expect(iface.every((e) => e.private_dns_enabled === true)).toBe(true);
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toEqual([expect.objectContaining({ cidr_ipv4: "10.20.0.0/16", from_port: 443, to_port: 443, ip_protocol: "tcp" })]);
  });

  test("logs all traffic to a KMS-encrypted log group with retention", () => {
    const flow = Object.values(resourcesOf(json, "aws_flow_log"))[0];
    expect(flow.traffic_type).toBe("ALL");
    const group = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"))[0];
    expect(group.kms_key_id).toMatch(/aws_kms_key\.test-logs\.arn/);
    expect(group.retention_in_days).toBe(365);
    expect(flow.log_destination).toContain("aws_cloudwatch_log_group");
  });

  test("fails with every problem when the CIDR is malformed and the AZ count is out of range", () => {
    const { stack } = testStack();
    const logsKey = new KmsKey(stack, "Logs", { alias: "test-logs", description: "logs" });
    let error: unknown;
    try {
      new Vpc(stack, "Vpc", { name: "x", cidr: "10.0.0.1/24", azCount: 4, logsKey });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).codes).toEqual(["VPC_AZ_COUNT", "VPC_CIDR"]);
    expect((error as ValidationError).message).toContain('cidr [VPC_CIDR]: got "10.0.0.1/24"');
  });
});
