import { blocks, booleanOf, unverifiable } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Instances get no public IP address. */
export const HR_EC2_6: ComplianceRule = {
  id: "HR-EC2-6",
  severity: "high",
  title: "EC2 instances get no public IP address (associate_public_ip_address, also on network_interface blocks)",
  rationale: "Everything runs in private subnets behind NAT; a public address makes every open port of the instance one security-group change from the internet.",
  fix: "Remove associate_public_ip_address (or set it to false) and launch the instance in a private subnet.",
  appliesTo: ["aws_instance"],
  upstream: { checkov: ["CKV_AWS_88"] },
  evaluate(instance) {
    const problems: string[] = [];
    const check = (where: string, value: unknown) => {
      const state = booleanOf(value);
      if (state === "unknown") problems.push(unverifiable(where, value));
      else if (state === true) problems.push(`${where} is true`);
    };
    check("associate_public_ip_address", instance.config["associate_public_ip_address"]);
    blocks(instance.config, "network_interface").forEach((nic, i) => check(`network_interface[${i}].associate_public_ip_address`, nic["associate_public_ip_address"]));
    return allOf(problems);
  },
};
