/**
 * Reads IAM policy documents from synthesized JSON: a literal JSON string
 * (what `JSON.stringify` writes, with `${...}` ARNs inside), or a reference to
 * an `aws_iam_policy_document` data source in the same stack.
 */
import { RuleContext } from "../rule";
import { blocks, isExpression, isObject, JsonObject, strings } from "./json";

/** One statement, normalised from either source. */
export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  /** Principals as `type` -> identifiers; `*` alone (`"Principal": "*"`) is `{ "*": ["*"] }`. */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  /** True for an Allow with NotPrincipal: everyone except the listed principals. */
  readonly notPrincipal?: boolean;
  /** Conditions as test -> variable -> values. */
  readonly conditions: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/**
 * A parsed document, or why it could not be read. `hidden` lists interpolations of variables,
 * locals and iterators (`${var.principal}`): values chosen outside the stack that could be `*`.
 */
export type ParsedPolicy = { readonly statements: readonly Statement[]; readonly hidden: readonly string[] } | { readonly error: string };

const HIDDEN_INPUT = /\$\{[^}]*\b(var|local|each|count)\.[A-Za-z0-9_-]+/g;

function hiddenInputs(text: string): string[] {
  return [...new Set([...text.matchAll(HIDDEN_INPUT)].map((m) => `${m[0]}}`))];
}

/** Parses the value of a `policy`/`assume_role_policy` attribute. */
export function parsePolicy(value: unknown, context: RuleContext): ParsedPolicy {
  if (typeof value !== "string" || value.trim() === "") return { error: "the policy is empty" };
  const source = context.resolve(value);
  if (source && source.kind === "data" && source.type === "aws_iam_policy_document") {
    return { statements: blocks(source.config, "statement").map(fromDataStatement), hidden: hiddenInputs(JSON.stringify(source.config)) };
  }
  if (value.trim().startsWith("{")) {
    try {
      const doc: unknown = JSON.parse(maskExpressions(value));
      if (!isObject(doc)) return { error: "the policy is not a JSON object" };
      const raw = doc["Statement"];
      const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      return { statements: list.filter(isObject).map(fromJsonStatement), hidden: hiddenInputs(value) };
    } catch {
      return { error: "the policy is not valid JSON" };
    }
  }
  return {
    error: isExpression(value)
      ? `the policy is the expression ${value.slice(0, 80)}, which the pack cannot read`
      : "the policy is not a JSON document",
  };
}

/**
 * Replaces each Terraform interpolation (`${replace("arn", ":cluster/", ":topic/")}`) with a
 * quote-free stand-in: Terraform evaluates them before IAM sees the document, but their inner
 * quotes make the raw string invalid JSON. Stand-ins still read as expressions, never as `*`.
 */
export function maskExpressions(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === "$" && text[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      let quoted = false;
      for (; j < text.length && depth > 0; j++) {
        let ch = text[j];
        // A quote may appear raw or JSON-escaped, depending on how the token was embedded.
        if (ch === "\\" && text[j + 1] === '"') {
          ch = '"';
          j++;
        }
        if (ch === '"') quoted = !quoted;
        else if (!quoted && ch === "{") depth++;
        else if (!quoted && ch === "}") depth--;
      }
      out += "${expression}";
      i = j;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

function fromJsonStatement(s: JsonObject): Statement {
  const principals: Record<string, string[]> = {};
  const principal = s["Principal"];
  if (principal === "*") principals["*"] = ["*"];
  else if (isObject(principal)) for (const [type, ids] of Object.entries(principal)) principals[type] = [...strings(ids)];
  else if (typeof principal === "string") principals["?"] = [principal];
  const notPrincipal = s["NotPrincipal"] !== undefined;
  const conditions: { test: string; variable: string; values: string[] }[] = [];
  if (isObject(s["Condition"])) {
    for (const [test, entries] of Object.entries(s["Condition"])) {
      if (!isObject(entries)) continue;
      for (const [variable, values] of Object.entries(entries)) {
        conditions.push({ test, variable, values: typeof values === "boolean" ? [String(values)] : [...strings(values)] });
      }
    }
  }
  return {
    effect: s["Effect"] === "Deny" ? "Deny" : "Allow",
    actions: strings(s["Action"]),
    notActions: strings(s["NotAction"]),
    resources: strings(s["Resource"]),
    principals,
    ...(notPrincipal ? { notPrincipal } : {}),
    conditions,
  };
}

function fromDataStatement(s: JsonObject): Statement {
  const principals: Record<string, string[]> = {};
  for (const p of blocks(s, "principals")) {
    const type = typeof p["type"] === "string" ? p["type"] : "AWS";
    principals[type] = [...(principals[type] ?? []), ...strings(p["identifiers"])];
  }
  const notPrincipal = blocks(s, "not_principals").length > 0;
  return {
    effect: s["effect"] === "Deny" ? "Deny" : "Allow",
    actions: strings(s["actions"]),
    notActions: strings(s["not_actions"]),
    resources: strings(s["resources"]),
    principals,
    ...(notPrincipal ? { notPrincipal } : {}),
    conditions: blocks(s, "condition").map((c) => ({
      test: String(c["test"] ?? ""),
      variable: String(c["variable"] ?? ""),
      values: strings(c["values"]),
    })),
  };
}

/** True when the statement's principal is anyone (`*`, `AWS: "*"`, any account's root, or NotPrincipal). */
export function isOpenPrincipal(statement: Statement): boolean {
  if (statement.notPrincipal) return true;
  return Object.values(statement.principals).some((ids) => ids.some((id) => id === "*" || /^arn:[^:]*:iam::\*:/.test(id)));
}

/**
 * Condition keys that pin who (or from where) a request comes, so an open principal is scoped:
 * the caller's account, organization or ARN, the calling resource of a service, or the VPC.
 * `aws:SecureTransport`, `aws:SourceIp` and the like say how, not who, and scope nothing.
 */
export const SCOPING_CONDITION_KEYS: readonly string[] = [
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:userid",
  "kms:CallerAccount",
];

// Operators that hold only when the key is present and matches (negations and IfExists pass on absent keys).
const POSITIVE_TEST = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/** True when one of the statement's conditions pins a scoping key to a value that is not a bare wildcard. */
export function isScopedByCondition(statement: Statement, extraKeys: (variable: string) => boolean = () => false): boolean {
  return statement.conditions.some((c) => {
    const key = SCOPING_CONDITION_KEYS.find((k) => k.toLowerCase() === c.variable.toLowerCase());
    if (key === undefined && !extraKeys(c.variable)) return false;
    if (!POSITIVE_TEST.test(c.test)) return false;
    return c.values.length > 0 && c.values.every((v) => v.replace(/[*?]/g, "").length > 0 && !/^arn:[*:]*$/.test(v));
  });
}

/** True when an action pattern (with IAM `*`/`?` wildcards) matches `action`, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

/** Identity-policy documents held by an IAM resource: `policy`, or each `inline_policy.policy` of a role. */
export function identityPolicies(config: JsonObject): readonly { readonly where: string; readonly value: unknown }[] {
  const found: { where: string; value: unknown }[] = [];
  if (config["policy"] !== undefined) found.push({ where: "policy", value: config["policy"] });
  blocks(config, "inline_policy").forEach((p, i) => {
    if (p["policy"] !== undefined) found.push({ where: `inline_policy[${i}].policy`, value: p["policy"] });
  });
  return found;
}

/** Terraform types whose `policy` (or inline policies) is an identity policy. */
export const IDENTITY_POLICY_TYPES: readonly string[] = [
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_iam_role",
];
