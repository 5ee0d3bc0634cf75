/**
 * Evaluates rules over one synthesized stack in a single pass: every item is
 * visited once, and each rule runs only on the types it declares.
 */
import { ComplianceRule, RuleContext, RuleOptions, RuleResult, SynthResource } from "../rule";
import { isObject, JsonObject, parseReference } from "./json";

/** One rule's verdict on one item. */
export interface Finding {
  readonly ruleId: string;
  readonly address: string;
  readonly constructPath?: string;
  readonly result: RuleResult;
}

function withoutMetadata(config: JsonObject): { config: JsonObject; constructPath?: string } {
  const meta = config["//"];
  if (meta === undefined) return { config };
  const { ["//"]: _ignored, ...rest } = config;
  const metadata = isObject(meta) && isObject(meta["metadata"]) ? meta["metadata"] : undefined;
  const path = metadata && typeof metadata["path"] === "string" ? metadata["path"] : undefined;
  return path === undefined ? { config: rest } : { config: rest, constructPath: path };
}

/** Every item of a stack JSON: resources, data sources, providers, outputs, variables, locals and the terraform block. */
export function itemsOf(stack: JsonObject, stackPath?: string): SynthResource[] {
  const items: SynthResource[] = [];
  for (const [kind, section] of [["resource", stack["resource"]], ["data", stack["data"]]] as const) {
    if (!isObject(section)) continue;
    for (const [type, byName] of Object.entries(section)) {
      if (!isObject(byName)) continue;
      for (const [name, raw] of Object.entries(byName)) {
        if (!isObject(raw)) continue;
        const { config, constructPath } = withoutMetadata(raw);
        const address = kind === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        items.push({ kind, type, name, address, config, ...(constructPath ? { constructPath } : {}) });
      }
    }
  }
  if (isObject(stack["provider"])) {
    for (const [type, list] of Object.entries(stack["provider"])) {
      const configs = Array.isArray(list) ? list : [list];
      configs.forEach((raw, i) => {
        if (!isObject(raw)) return;
        const { config, constructPath } = withoutMetadata(raw);
        items.push({ kind: "provider", type, name: String(i), address: `provider.${type}[${i}]`, config, ...(constructPath ? { constructPath } : {}) });
      });
    }
  }
  for (const [kind, section, prefix] of [["output", stack["output"], "output"], ["variable", stack["variable"], "var"]] as const) {
    if (!isObject(section)) continue;
    for (const [name, raw] of Object.entries(section)) {
      if (isObject(raw)) items.push({ kind, type: kind, name, address: `${prefix}.${name}`, config: withoutMetadata(raw).config });
    }
  }
  if (isObject(stack["module"])) {
    for (const [name, raw] of Object.entries(stack["module"])) {
      if (!isObject(raw)) continue;
      const { config, constructPath } = withoutMetadata(raw);
      items.push({ kind: "module", type: "module", name, address: `module.${name}`, config, ...(constructPath ? { constructPath } : {}) });
    }
  }
  if (isObject(stack["locals"])) items.push({ kind: "locals", type: "locals", name: "", address: "locals", config: stack["locals"] });
  const terraform = isObject(stack["terraform"]) ? stack["terraform"] : {};
  items.push({ kind: "terraform", type: "terraform", name: "", address: "terraform", config: terraform, ...(stackPath ? { constructPath: stackPath } : {}) });
  return items;
}

/** Builds the read-only context rules use to look at other items. */
export function contextFor(stack: JsonObject, items: readonly SynthResource[], options: RuleOptions): RuleContext {
  const byType = new Map<string, SynthResource[]>();
  const byAddress = new Map<string, SynthResource>();
  for (const item of items) {
    byAddress.set(item.address, item);
    if (item.kind !== "resource") continue;
    const list = byType.get(item.type);
    if (list) list.push(item);
    else byType.set(item.type, [item]);
  }
  const resolve = (reference: unknown): SynthResource | undefined => {
    const ref = parseReference(reference);
    if (!ref) return undefined;
    return byAddress.get(ref.kind === "data" ? `data.${ref.type}.${ref.name}` : `${ref.type}.${ref.name}`);
  };
  return {
    stack,
    options,
    resources: (type) => byType.get(type) ?? [],
    resolve,
    referencing: (type, attribute, target) =>
      (byType.get(type) ?? []).filter((candidate) => resolve(candidate.config[attribute])?.address === target.address),
  };
}

/** True when `rule` inspects `item`. */
export function appliesTo(rule: ComplianceRule, item: SynthResource): boolean {
  if (rule.appliesTo.includes("*")) return true;
  if (item.kind === "terraform") return rule.appliesTo.includes("terraform");
  if (item.kind === "provider") return rule.appliesTo.includes("provider");
  if (item.kind === "module") return rule.appliesTo.includes("module");
  if (item.kind === "external") return rule.appliesTo.includes("external");
  return item.kind === "resource" && rule.appliesTo.includes(item.type);
}

/** Runs every rule on every item it applies to. A rule that throws is reported as non-compliant, never skipped. */
export function evaluate(
  stack: JsonObject,
  rules: readonly ComplianceRule[],
  options: RuleOptions,
  stackPath?: string,
  external: readonly SynthResource[] = [],
): Finding[] {
  const items = [...itemsOf(stack, stackPath), ...external];
  const context = contextFor(stack, items, options);
  const findings: Finding[] = [];
  for (const item of items) {
    for (const rule of rules) {
      if (!appliesTo(rule, item)) continue;
      let result: RuleResult;
      try {
        result = rule.evaluate(item, context);
      } catch (error) {
        result = { status: "non-compliant", reason: `the rule failed to evaluate: ${(error as Error).message}` };
      }
      findings.push({ ruleId: rule.id, address: item.address, ...(item.constructPath ? { constructPath: item.constructPath } : {}), result });
    }
  }
  return findings;
}
