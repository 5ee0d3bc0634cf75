import fc from "fast-check";
import { checkKnownKeys, closestMatch, editDistance, keys, Problems } from "../../lib/core/validation";

function check(value: unknown, shape = SHAPE): Problems {
  const problems = new Problems("test input");
  checkKnownKeys(problems, "UNKNOWN_KEY", "input", value, shape);
  return problems;
}

const SHAPE = keys.object({
  azCount: keys.any,
  cluster: keys.object({ adminRoleArns: keys.any, publicEndpointCidrs: keys.any }),
  canaries: keys.array(keys.object({ image: keys.any, weightPercent: keys.any })),
  tags: keys.any,
  zones: keys.record(keys.object({ subnetCidr: keys.any })),
});

describe("editDistance", () => {
  test("counts an adjacent transposition as one edit", () => {
    expect(editDistance("azCuont", "azCount")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  test("is a metric-like distance: zero only for equal strings, symmetric, bounded by the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d === 0).toBe(a === b);
        expect(editDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe("closestMatch", () => {
  test("suggests the nearest known word for a typo, ignoring case", () => {
    expect(closestMatch("azCuont", ["name", "azCount", "vpcCidr"])).toBe("azCount");
    expect(closestMatch("VPCCIDR", ["name", "azCount", "vpcCidr"])).toBe("vpcCidr");
  });

  test("suggests nothing when no word is close", () => {
    expect(closestMatch("bananas", ["name", "azCount", "vpcCidr"])).toBeUndefined();
  });
});

describe("checkKnownKeys", () => {
  test("a known shape passes at every level", () => {
    const problems = check({ azCount: 2, cluster: { adminRoleArns: [] }, canaries: [{ image: "a:1", weightPercent: 5 }], tags: { free: "form" }, zones: { a: { subnetCidr: "x" } } });
    expect(problems.ok).toBe(true);
  });

  test("an unknown top-level key is an error with its path and a did-you-mean hint", () => {
    const problems = check({ azCount: 2, azCuont: 3 });
    expect(problems.list).toEqual([
      { code: "UNKNOWN_KEY", path: "input.azCuont", value: "azCuont", allowed: 'did you mean "azCount"? (known keys: azCount, cluster, canaries, tags, zones)' },
    ]);
  });

  test("unknown keys in nested objects, array items and record values are all found, in one pass", () => {
    const problems = check({
      cluster: { adminRoleArn: [] },
      canaries: [{ image: "a:1" }, { image: "b:1", weight: 5 }],
      zones: { "us-east-1a": { subnetCdir: "x" } },
    });
    expect(problems.list.map((p) => [p.path, p.allowed.split("?")[0]])).toEqual([
      ["input.cluster.adminRoleArn", 'did you mean "adminRoleArns"'],
      ["input.canaries[1].weight", "a known key (known keys: image, weightPercent)"],
      ["input.zones.us-east-1a.subnetCdir", 'did you mean "subnetCidr"'],
    ]);
  });

  test("values of the wrong type are left to the caller's type checks", () => {
    expect(check({ cluster: "not an object", canaries: { image: "x" }, zones: null }).ok).toBe(true);
  });

  test("keys that are not identifiers are quoted in the path", () => {
    expect(check({ "bad key": 1 }).list[0].path).toBe('input["bad key"]');
  });
});
