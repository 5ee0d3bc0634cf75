import { allOf, ComplianceRule, notApplicable } from "../rule";

/** A password user's password is rotated by a function of this stack. */
export const HR_REDIS_8: ComplianceRule = {
  id: "HR-REDIS-8",
  severity: "high",
  title: "Password-authenticated ElastiCache users are rotated: an aws_secretsmanager_secret_rotation in the stack runs a Lambda function that names the user",
  rationale:
    "A cache password that nothing rotates lives as long as the user: copied into pods' config files, it stays valid after they are gone. ElastiCache users hold two passwords, so a rotation function can roll them without downtime.",
  fix: "Rotate the user's secret with CacheUserPasswordRotation (a rotation function whose environment names the user id), or use IAM authentication.",
  appliesTo: ["aws_elasticache_user"],
  evaluate(user, context) {
    const mode = (user.config["authentication_mode"] ?? {}) as Record<string, unknown>;
    if (String(mode["type"] ?? (user.config["passwords"] ? "password" : "")) !== "password") return notApplicable("the user does not authenticate with a password");
    if (String(user.config["access_string"] ?? "").trim().startsWith("off")) return notApplicable("the user is off: it cannot log in");
    const mention = `\${${user.address}.`;
    const rotated = context.resources("aws_secretsmanager_secret_rotation").some((r) => {
      const fn = context.resolve(r.config["rotation_lambda_arn"]);
      return fn !== undefined && fn.type === "aws_lambda_function" && JSON.stringify(fn.config).includes(mention);
    });
    return allOf(rotated ? [] : [`no secret rotation in the stack runs a function that names ${user.address} (its password is never rotated)`]);
  },
};
