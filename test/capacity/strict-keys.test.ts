import { didYouMean, editDistance } from "../../lib/capacity/private/strict-keys";

describe("did-you-mean", () => {
  it("edit distance counts insertions, deletions and substitutions", () => {
    expect(editDistance("azCuont", "azCount")).toBe(2);
    expect(editDistance("kvHead", "kvHeads")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("Precision", "precision")).toBe(0);
  });
  it("suggests the closest known key only when it is a plausible typo", () => {
    expect(didYouMean("peakRequestPerSecond", ["peakRequestsPerSecond", "baselineRequestsPerSecond"])).toBe("peakRequestsPerSecond");
    expect(didYouMean("colour", ["workload", "model", "gpu"])).toBeUndefined();
  });
});
