/**
 * Readers for cdktf's Terraform JSON.
 *
 * cdktf writes a single nested block as an object (`vpc_config: {...}`) and a
 * repeated block as an array (`ingress: [{...}]`), and users may override
 * either form; these helpers read both the same way, so rules never depend on
 * which one a provider binding chose.
 */

/** A JSON object, or undefined. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** True for a plain (non-array) object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one block under `key`: the object itself, or the first element of a one-element array. */
export function block(parent: unknown, key: string): JsonObject | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

/** Every block under `key`, as an array (an object counts as one block). */
export function blocks(parent: unknown, key: string): readonly JsonObject[] {
  if (!isObject(parent)) return [];
  const value = parent[key];
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Follows a path of keys through nested blocks, e.g. `path(cfg, "encryption_info", "encryption_in_transit")`. */
export function path(parent: unknown, ...keys: readonly string[]): JsonObject | undefined {
  let current: unknown = parent;
  for (const key of keys) {
    current = block(current, key);
    if (current === undefined) return undefined;
  }
  return isObject(current) ? current : undefined;
}

/** True for `true` and `"true"` (several providers model booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** True for `false` and `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A number, or a numeric string; undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A list of strings (a lone string counts as one). */
export function strings(value: unknown): readonly string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** A non-empty string. */
export function isSet(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

/** True when the string contains a Terraform expression (`${...}`): a reference or function, not a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A reference to another item: `${aws_kms_key.k.arn}` or `${data.aws_iam_policy_document.d.json}`. */
export interface Reference {
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** The attribute read, e.g. `arn`; empty when the whole item is referenced. */
  readonly attribute: string;
}

const REFERENCE = /^\$\{(data\.)?([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?(?:\[[^\]]*\])?(?:\.[A-Za-z0-9_.[\]]*)?\}$/;

/** Parses a string that is exactly one reference; undefined for literals and other expressions. */
export function parseReference(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = REFERENCE.exec(value);
  if (!match) return undefined;
  const [, data, type, name, attribute] = match;
  // `var.x`, `local.x` and `module.x` are not items of this stack.
  if (!data && (type === "var" || type === "local" || type === "module" || type === "each" || type === "count")) return undefined;
  return { kind: data ? "data" : "resource", type: type!, name: name!, attribute: attribute ?? "" };
}

/**
 * A key id or ARN that names a customer-managed KMS key: any reference, or a
 * literal that is not an AWS-managed alias (`alias/aws/...`).
 */
export function isCustomerManagedKey(value: unknown): boolean {
  if (!isSet(value)) return false;
  if (isExpression(value)) return true;
  return !/(^|:)alias\/aws\//.test(value);
}

/** World-open IPv4 and IPv6 ranges. */
export const WORLD_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];
