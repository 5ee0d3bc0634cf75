import { blocks, booleanOf, unverifiable } from "../private/json";
import { allOf, ComplianceRule } from "../rule";

/** Instances launched from the template get no public IP address. */
export const HR_EC2_4: ComplianceRule = {
  id: "HR-EC2-4",
  severity: "high",
  title: "Launch templates assign no public IP address",
  rationale: "Worker nodes live in private subnets behind NAT; a public address makes every node port reachable if a security group is loosened.",
  fix: "Remove network_interfaces.associate_public_ip_address or set it to false.",
  appliesTo: ["aws_launch_template"],
  upstream: { checkov: ["CKV_AWS_88"] },
  evaluate(template) {
    const problems = blocks(template.config, "network_interfaces")
      .map((nic, i) => {
        const value = booleanOf(nic["associate_public_ip_address"]);
        if (value === "unknown") return unverifiable(`network_interfaces[${i}].associate_public_ip_address`, nic["associate_public_ip_address"]);
        return value === true ? `network_interfaces[${i}].associate_public_ip_address is true` : "";
      })
      .filter((p) => p !== "");
    return allOf(problems);
  },
};
