/**
 * Cheap edits of synthesized stack JSON for the mutation suite: `set` and `unset` behave like
 * cdktf's `addOverride(path, value)` / `addOverride(path, undefined)` on the item (dot paths,
 * numeric segments index arrays), `add` appends a raw provider resource, as a construct would.
 */
export type Json = Record<string, any>;

/** The config of the one item of `type` whose construct path contains `pathPart` (the first one without it). */
export function item(json: Json, type: string, pathPart = "", section: "resource" | "data" = "resource"): Json {
  const byName = json[section]?.[type] ?? {};
  const found = Object.values(byName).find((c: any) => String(c?.["//"]?.metadata?.path ?? "").includes(pathPart));
  if (!found) throw new Error(`mutation target not found: ${type} at *${pathPart}*`);
  return found as Json;
}

/** The Terraform address of the same item. */
export function addressOf(json: Json, type: string, pathPart = ""): string {
  const byName = json["resource"]?.[type] ?? {};
  const name = Object.keys(byName).find((n) => String(byName[n]?.["//"]?.metadata?.path ?? "").includes(pathPart));
  if (!name) throw new Error(`mutation target not found: ${type} at *${pathPart}*`);
  return `${type}.${name}`;
}

/** `resource.addOverride(path, value)`, applied to the item's JSON. */
export function set(target: Json, path: string, value: unknown): void {
  const keys = path.split(".");
  let node: any = target;
  keys.slice(0, -1).forEach((key, i) => {
    const next = keys[i + 1]!;
    if (node[key] === undefined || node[key] === null) node[key] = /^\d+$/.test(next) ? [] : {};
    node = node[key];
  });
  node[keys[keys.length - 1]!] = value;
}

/** `resource.addOverride(path, undefined)`: removes the attribute. */
export function unset(target: Json, path: string): void {
  const keys = path.split(".");
  let node: any = target;
  for (const key of keys.slice(0, -1)) {
    node = node?.[key];
    if (node === undefined) return;
  }
  if (Array.isArray(node)) node.splice(Number(keys[keys.length - 1]), 1);
  else if (node) delete node[keys[keys.length - 1]!];
}

/** Adds a raw resource (or data source) to the stack, as `new SomeProviderClass(stack, name, config)` would. */
export function add(json: Json, type: string, name: string, config: Json, section: "resource" | "data" | "module" = "resource"): void {
  if (section === "module") {
    json["module"] = { ...(json["module"] ?? {}), [name]: config };
    return;
  }
  json[section] = json[section] ?? {};
  json[section][type] = { ...(json[section][type] ?? {}), [name]: { "//": { metadata: { path: `mutant/${name}` } }, ...config } };
}

/** The policy document of an item, parsed, for edits; write it back with `setPolicy`. */
export function policyOf(target: Json, attribute = "policy"): Json {
  return JSON.parse(target[attribute]);
}

export function setPolicy(target: Json, doc: Json, attribute = "policy"): void {
  target[attribute] = JSON.stringify(doc);
}

/** A reference string as cdktf writes it. */
export const ref = (address: string, attribute = "id"): string => `\${${address}.${attribute}}`;
