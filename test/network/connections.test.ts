import { Connections, Peer, Port, SecurityGroup } from "../../lib/network/connections";
import { resourcesOf, synthJson, testStack } from "../helpers/synth";

describe("connections", () => {
  test("allowFrom adds a described ingress rule and the matching egress rule on a closed client", () => {
    const { stack } = testStack();
    const db = new SecurityGroup(stack, "Db", { vpcId: "vpc-1", description: "database" });
    const app = new SecurityGroup(stack, "App", { vpcId: "vpc-1", description: "app" });
    db.connections.allowFrom(app, Port.tcp(5432), "app queries PostgreSQL");
    db.connections.allowFrom(app, Port.tcp(5432), "app queries PostgreSQL");
    const json = synthJson(stack);
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(ingress).toEqual([
      expect.objectContaining({ from_port: 5432, to_port: 5432, ip_protocol: "tcp", description: "app queries PostgreSQL" }),
    ]);
    expect(ingress[0].referenced_security_group_id).toContain("aws_security_group.App_");
    expect(egress).toHaveLength(1);
    expect(egress[0].security_group_id).toContain("aws_security_group.App_");
  });

  test("a client that allows all outbound gets no extra egress rule", () => {
    const { stack } = testStack();
    const cache = new SecurityGroup(stack, "Cache", { vpcId: "vpc-1", description: "cache" });
    const nodes = new SecurityGroup(stack, "Nodes", { vpcId: "vpc-1", description: "nodes", allowAllOutbound: true });
    nodes.connections.allowTo(cache, Port.tcp(6379), "nodes read the cache");
    const json = synthJson(stack);
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(egress).toEqual([expect.objectContaining({ ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" })]);
    expect(Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toEqual([expect.stringContaining("Ingress-Nodes-tcp-6379")]);
  });

  test("uses the default port and refuses undescribed rules and bad ports", () => {
    const { stack } = testStack();
    const sg = new SecurityGroup(stack, "Sg", { vpcId: "vpc-1", description: "x" });
    const conns = new Connections([sg], Port.tcp(9098));
    conns.allowDefaultPortFrom(Peer.ipv4("10.0.0.0/16"), "clients in the VPC");
    expect(Object.values(resourcesOf(synthJson(stack), "aws_vpc_security_group_ingress_rule"))[0].from_port).toBe(9098);
    expect(() => sg.connections.allowFrom(Peer.ipv4("10.0.0.0/8"), Port.tcp(1), "")).toThrow(/SG_RULE_DESCRIPTION/);
    expect(() => Port.tcpRange(10, 5)).toThrow(/PORT_ORDER/);
    expect(() => Port.tcp(70000)).toThrow(/PORT_RANGE/);
    expect(() => sg.connections.allowDefaultPortFrom(Peer.ipv4("10.0.0.0/8"), "clients")).toThrow(/CONNECTIONS_NO_DEFAULT_PORT/);
  });
});
