import { AWS_CASES } from "./cases/aws";
import { KUBERNETES_CASES } from "./cases/kubernetes";
import { PLATFORM_CASES } from "./cases/platform";
import { RuleCase, verdict } from "./helpers";

/** Map-typed attributes (not blocks) that must keep their object form, and content that is not Terraform blocks. */
const MAPS = new Set(["tags", "tags_all", "labels", "annotations", "requests", "limits", "match_labels", "node_selector", "data", "manifest", "Condition"]);

type Json = unknown;

/** Rewrites every nested block of every item with `form`, leaving sections, names and maps alone. */
function rewrite(json: Record<string, unknown>, form: (value: Json) => Json): Record<string, unknown> {
  const visit = (value: Json, key: string): Json => {
    if (MAPS.has(key)) return value;
    if (Array.isArray(value)) return form(value.map((v) => visit(v, "")));
    if (typeof value === "object" && value !== null) {
      const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
      return key === "" ? out : form(out);
    }
    return value;
  };
  const items = (section: unknown) =>
    Object.fromEntries(
      Object.entries((section ?? {}) as Record<string, Record<string, unknown>>).map(([type, byName]) => [
        type,
        Object.fromEntries(Object.entries(byName).map(([name, config]) => [name, visit(config, "")])),
      ]),
    );
  return { ...json, ...(json["resource"] ? { resource: items(json["resource"]) } : {}), ...(json["data"] ? { data: items(json["data"]) } : {}) };
}

/** A block written as an object becomes a one-element array. */
const asArrays = (value: Json): Json => (Array.isArray(value) ? value : [value]);
/** A one-element array of a block becomes the block itself. */
const asObjects = (value: Json): Json =>
  Array.isArray(value) && value.length === 1 && typeof value[0] === "object" && value[0] !== null ? value[0] : value;

const CASES: readonly RuleCase[] = [...AWS_CASES, ...PLATFORM_CASES, ...KUBERNETES_CASES].filter((c) => !("kubernetes_manifest" in ((c.json["resource"] as object) ?? {})));

describe("a block written as an object or as a one-element array reads the same", () => {
  it.each(CASES.map((c) => [c.rule, c.name, c] as const))("%s: %s", (_rule, _name, c) => {
    const expected = verdict(c.rule, c.json, c.address, c.allowLocalState).status;
    expect(verdict(c.rule, rewrite(c.json, asArrays), c.address, c.allowLocalState).status).toBe(expected);
    expect(verdict(c.rule, rewrite(c.json, asObjects), c.address, c.allowLocalState).status).toBe(expected);
  });
});

it("the rewrite really changes the block forms", () => {
  const eks = AWS_CASES.find((c) => c.rule === "HR-EKS-1")!.json as { resource: { aws_eks_cluster: { c: Record<string, unknown> } } };
  const arrays = rewrite(eks, asArrays) as typeof eks;
  expect(Array.isArray(arrays.resource.aws_eks_cluster.c["vpc_config"])).toBe(true);
  expect(arrays.resource.aws_eks_cluster.c["enabled_cluster_log_types"]).toEqual(eks.resource.aws_eks_cluster.c["enabled_cluster_log_types"]);
  const lt = AWS_CASES.find((c) => c.rule === "HR-EC2-3")!.json as { resource: { aws_launch_template: { t: Record<string, unknown> } } };
  const objects = rewrite(lt, asObjects) as typeof lt;
  expect(Array.isArray(objects.resource.aws_launch_template.t["block_device_mappings"])).toBe(false);
});
