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

/** World-open IPv4 and IPv6 ranges. */
export const WORLD_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];

/**
 * A boolean setting as the pack can know it: `true`, `false`, `undefined` (unset, the
 * provider default applies) or `"unknown"` (a Terraform expression: a variable, function or
 * reference whose value is only known at plan time). Rules treat "unknown" as a finding.
 */
export function booleanOf(value: unknown): boolean | undefined | "unknown" {
  if (isTrue(value)) return true;
  if (isFalse(value)) return false;
  if (value === undefined || value === null) return undefined;
  return "unknown";
}

/** The finding for a security-relevant value the pack cannot read. */
export function unverifiable(what: string, value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `${what} is ${text.length > 90 ? `${text.slice(0, 90)}...` : text}, a Terraform expression the pack cannot evaluate (write the literal value, or suppress with a reason)`;
}

/** Names of the attributes of an in-stack resource that hold its own private address range. */
const RANGE_ATTRIBUTES = /^(cidr_block|ipv6_cidr_block)$/;
const RANGE_TYPES = new Set(["aws_vpc", "aws_subnet", "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association", "aws_default_vpc", "aws_default_subnet"]);
const REMOTE_STATE_OUTPUT = /^\$\{data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.cross-stack-output-([A-Za-z0-9_.]+)\}$/;

/**
 * True when `value` is a cdktf cross-stack reference to an attribute of a resource of one of
 * `types` in another stack: cdktf names the output `cross-stack-output-<type><construct id><attribute>`
 * (e.g. `cross-stack-output-aws_kms_keyDataKey_1234arn`), and the producing stack runs the pack too.
 */
export function isCrossStackOutputOf(value: unknown, types: readonly string[], attribute?: RegExp): boolean {
  if (typeof value !== "string") return false;
  const match = REMOTE_STATE_OUTPUT.exec(value);
  if (!match) return false;
  const rest = match[1]!;
  const type = types.find((t) => rest.startsWith(t) && !/^_[a-z]/.test(rest.slice(t.length)));
  return type !== undefined && (attribute === undefined || attribute.test(rest));
}

/** Address space a set of CIDRs covers outside private, shared, loopback and link-local ranges. */
export interface CidrCoverage {
  /** Public IPv4 addresses covered (union, overlaps counted once). */
  readonly publicIpv4: bigint;
  /** Global-unicast IPv6 addresses covered (union). */
  readonly publicIpv6: bigint;
  /** Values that are expressions the pack cannot resolve to a private range of this stack. */
  readonly unverifiable: readonly string[];
  /** Values that are not CIDRs at all. */
  readonly invalid: readonly string[];
}

/** A set of sources counts as the world when it covers at least a /8 of public IPv4 space... */
export const WORLD_SHARE_IPV4_ADDRESSES = 2n ** 24n;
/** ...or a /32 of global-unicast IPv6 space (a whole ISP allocation; an office is a /48). */
export const WORLD_SHARE_IPV6_ADDRESSES = 2n ** 96n;

type Range = readonly [bigint, bigint]; // [start, end)

const V4_NON_PUBLIC: readonly string[] = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];
const V6_GLOBAL_UNICAST = "2000::/3";

function parseV4(text: string): Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256n + BigInt(o), 0n);
  const size = 2n ** BigInt(32 - bits);
  const start = (address / size) * size;
  return [start, start + size];
}

function parseV6(text: string): Range | undefined {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const bits = Number(m[2]);
  if (bits > 128) return undefined;
  const halves = m[1]!.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const address = groups.reduce((a, g) => a * 65536n + BigInt(parseInt(g, 16)), 0n);
  const size = 2n ** BigInt(128 - bits);
  const start = (address / size) * size;
  return [start, start + size];
}

function union(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = e > last[1] ? e : last[1];
    else out.push([s, e]);
  }
  return out;
}

function size(ranges: readonly Range[]): bigint {
  return ranges.reduce((sum, [s, e]) => sum + (e - s), 0n);
}

function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const [s1, e1] of a) for (const [s2, e2] of b) {
    const s = s1 > s2 ? s1 : s2;
    const e = e1 < e2 ? e1 : e2;
    if (s < e) out.push([s, e]);
  }
  return out;
}

const V4_PRIVATE = union(V4_NON_PUBLIC.map((c) => parseV4(c)!));
const V6_PUBLIC = [parseV6(V6_GLOBAL_UNICAST)!];

/**
 * How much of the internet a set of source CIDRs admits. A reference to the `cidr_block` of a
 * VPC or subnet of this stack (or of another stack through a cdktf cross-stack reference) is the
 * network's own range and counts as private; any other expression is unverifiable.
 */
export function cidrCoverage(values: readonly unknown[], resolve: (reference: unknown) => { readonly type: string } | undefined): CidrCoverage {
  const v4: Range[] = [];
  const v6: Range[] = [];
  const unverifiableValues: string[] = [];
  const invalid: string[] = [];
  for (const value of values) {
    if (typeof value !== "string") {
      invalid.push(JSON.stringify(value));
      continue;
    }
    if (isExpression(value)) {
      const ref = parseReference(value);
      const target = ref ? resolve(value) : undefined;
      const own = ref && target && RANGE_TYPES.has(target.type) && RANGE_ATTRIBUTES.test(ref.attribute);
      const remoteRange = isCrossStackOutputOf(value, [...RANGE_TYPES], /cidr_block$/);
      if (!own && !remoteRange) unverifiableValues.push(value);
      continue;
    }
    const r4 = parseV4(value);
    if (r4) v4.push(r4);
    else {
      const r6 = parseV6(value);
      if (r6) v6.push(r6);
      else invalid.push(value);
    }
  }
  const all4 = union(v4);
  const publicIpv4 = size(all4) - size(intersect(all4, V4_PRIVATE));
  const publicIpv6 = size(intersect(union(v6), V6_PUBLIC));
  return { publicIpv4, publicIpv6, unverifiable: unverifiableValues, invalid };
}

/** True when the coverage admits the world or a share of it too large to be a named operator range. */
export function coversWorld(coverage: CidrCoverage): boolean {
  return coverage.publicIpv4 >= WORLD_SHARE_IPV4_ADDRESSES || coverage.publicIpv6 >= WORLD_SHARE_IPV6_ADDRESSES;
}

/** A short description of what a world-scale coverage admits, e.g. `2147483648 public IPv4 addresses (50% of IPv4)`. */
export function describeCoverage(coverage: CidrCoverage): string {
  const parts: string[] = [];
  if (coverage.publicIpv4 > 0n) parts.push(`${coverage.publicIpv4} public IPv4 addresses (${Number((coverage.publicIpv4 * 10000n) / 2n ** 32n) / 100}% of IPv4)`);
  if (coverage.publicIpv6 > 0n) parts.push(`2^${coverage.publicIpv6.toString(2).length - 1} global IPv6 addresses`);
  return parts.join(" and ");
}

/** Types whose key id or ARN names a customer-managed key. */
const KEY_TYPES = new Set(["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key", "aws_kms_replica_external_key"]);

/**
 * Why `value` is not provably a customer-managed KMS key, or undefined when it is: a literal
 * key id/ARN that is not an AWS-managed alias, a reference to a key (or a non-AWS alias) of
 * this stack, or a cdktf cross-stack reference to a key of another stack. Variables, functions
 * and other expressions cannot be verified (an AWS-managed `alias/aws/...` could hide behind them).
 */
export function customerKeyProblem(value: unknown, resolve: (reference: unknown) => { readonly type: string; readonly kind: string; readonly address: string; readonly config: JsonObject } | undefined): string | undefined {
  if (!isSet(value)) return "is not set (no customer-managed key)";
  if (!isExpression(value)) return /(^|:)alias\/aws\//.test(value) ? `is not a customer-managed key (the AWS-managed ${value})` : undefined;
  if (isCrossStackOutputOf(value, [...KEY_TYPES, "aws_kms_alias"])) return undefined;
  const target = parseReference(value) ? resolve(value) : undefined;
  if (!target) return `cannot be verified as a customer-managed key: ${unverifiable("it", value)}`;
  if (target.kind === "resource" && KEY_TYPES.has(target.type)) return undefined;
  const named = target.type === "aws_kms_alias" ? target.config["name"] : target.kind === "data" && target.type === "aws_kms_key" ? target.config["key_id"] : undefined;
  if (named === undefined) return `is not a customer-managed key (it refers to ${target.address})`;
  if (isSet(named) && !isExpression(named)) return /(^|:)alias\/aws\//.test(named) ? `is not a customer-managed key (the AWS-managed ${named})` : undefined;
  return `cannot be verified as a customer-managed key: ${unverifiable("it", value)}`;
}

/** Replaces the stack's partition lookups (`${data.aws_partition.x.partition}`) with `aws`, so the rest of an ARN reads as a literal. */
export function maskPartition(value: string): string {
  return value.replace(/\$\{data\.aws_partition\.[A-Za-z0-9_-]+\.partition\}/g, "aws");
}
