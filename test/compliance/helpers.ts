import { ALL_RULES } from "../../lib/compliance/all-rules";
import { evaluate } from "../../lib/compliance/private/engine";
import { ComplianceRule, RuleResult, SynthResource } from "../../lib/compliance/rule";

/**
 * Terraform JSON with `resource` (and optionally `data`/`terraform`) sections, as cdktf writes it.
 * Fixtures share one customer-managed key, `aws_kms_key.k`: it is added when a fixture refers
 * to it without defining it (the KMS rules accept a key reference only when the key is in the stack).
 */
export function tf(
  resource: Record<string, Record<string, unknown>>,
  extra: { data?: Record<string, Record<string, unknown>>; terraform?: Record<string, unknown>; provider?: Record<string, unknown[]> } = {},
): Record<string, unknown> {
  const needsKey = JSON.stringify(resource).includes("${aws_kms_key.k.") && !resource["aws_kms_key"]?.["k"];
  const withKey = needsKey ? { ...resource, aws_kms_key: { ...(resource["aws_kms_key"] ?? {}), k: { enable_key_rotation: true, lifecycle: { prevent_destroy: true } } } } : resource;
  return { resource: withKey, ...extra };
}

/** The rule with `id`; fails the test if it does not exist. */
export function ruleById(id: string): ComplianceRule {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** What rule `id` says about the item at `address` of `json`. */
export function verdict(id: string, json: Record<string, unknown>, address: string, allowLocalState = false, external: readonly SynthResource[] = []): RuleResult {
  const findings = evaluate(json, [ruleById(id)], { allowLocalState }, undefined, external).filter((f) => f.address === address);
  if (findings.length !== 1) throw new Error(`expected one finding of ${id} for ${address}, got ${findings.length}`);
  return findings[0]!.result;
}

/** One fixture case: a rule, the item it judges, and the expected status (and reason fragment). */
export interface RuleCase {
  readonly rule: string;
  readonly name: string;
  readonly address: string;
  readonly json: Record<string, unknown>;
  readonly expect: "compliant" | "non-compliant" | "not-applicable";
  /** A fragment the non-compliant reason must contain. */
  readonly reason?: string;
  readonly allowLocalState?: boolean;
  /** Items written outside the stack JSON (what the pack derives from `addCustomSynthesis`). */
  readonly external?: readonly SynthResource[];
}

/** A reference string as cdktf writes it. */
export const ref = (address: string, attribute = "id"): string => `\${${address}.${attribute}}`;
