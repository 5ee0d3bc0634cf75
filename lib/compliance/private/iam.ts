/** Runs a statement check over every identity policy an IAM resource holds. */
import { RuleContext, RuleResult, SynthResource } from "../rule";
import { allOf } from "../rule";
import { identityPolicies, parsePolicy, Statement } from "./policy";

/**
 * Applies `check` to every Allow statement of every identity policy of `resource`;
 * a policy the pack cannot read is itself a finding (it cannot be verified).
 */
export function checkAllowStatements(
  resource: SynthResource,
  context: RuleContext,
  check: (statement: Statement) => string | undefined,
): RuleResult {
  const problems: string[] = [];
  for (const { where, value } of identityPolicies(resource.config)) {
    const parsed = parsePolicy(value, context);
    if ("error" in parsed) {
      problems.push(`${where}: ${parsed.error} (write it with JSON.stringify or an aws_iam_policy_document)`);
      continue;
    }
    if (parsed.hidden.length > 0) problems.push(`${where}: interpolates ${parsed.hidden.join(", ")}, which the pack cannot evaluate (it could be "*")`);
    parsed.statements.forEach((s, i) => {
      if (s.effect !== "Allow") return;
      const hiddenActions = [...s.actions, ...s.notActions].filter((a) => a.includes("${"));
      if (hiddenActions.length > 0) problems.push(`${where} statement ${i}: an action is a Terraform expression the pack cannot evaluate`);
      const problem = check(s);
      if (problem) problems.push(`${where} statement ${i}: ${problem}`);
    });
  }
  return allOf(problems);
}
