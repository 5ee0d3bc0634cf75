import { accessStringWeakness } from "../../data/private/access-string";
import { compliant, ComplianceRule, nonCompliant, notApplicable } from "../rule";

/** Cache users that are switched on need a credential, and a password user a narrow ACL. */
export const HR_REDIS_7: ComplianceRule = {
  id: "HR-REDIS-7",
  severity: "critical",
  title: "ElastiCache users that are on authenticate (no nopass, no no-password-required), and password users have a narrow ACL: named key patterns (not ~*), no +@all, no dangerous or admin commands",
  rationale:
    "A user that is on without a password lets anything that reaches the port in; a password user with `~* +@all` turns a leaked password (it sits in pods' config files) into full control of every key, including other consumers' data.",
  fix: 'Give the user IAM authentication, or a password (rotated, HR-REDIS-8) with an access string such as "on ~<prefix>* -@all +get +set ..." that lists its key patterns and commands.',
  appliesTo: ["aws_elasticache_user"],
  evaluate(user) {
    const access = String(user.config["access_string"] ?? "").trim();
    if (access.split(/\s+/)[0] !== "on") return notApplicable("the user is off: it cannot log in");
    const mode = (user.config["authentication_mode"] ?? {}) as Record<string, unknown>;
    const type = String(mode["type"] ?? (user.config["no_password_required"] === true ? "no-password-required" : user.config["passwords"] ? "password" : "unset"));
    if (type === "no-password-required" || user.config["no_password_required"] === true || /(^|\s)nopass(\s|$)/.test(access)) {
      return nonCompliant(`access string "${access}" is on without a credential (no-password-required / nopass)`);
    }
    if (type !== "password") return compliant();
    const weak = accessStringWeakness(access);
    return weak ? nonCompliant(`password user's access string "${access}" is too broad: use one that ${weak}`, { value: access }) : compliant();
  },
};
