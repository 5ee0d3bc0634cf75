import { Problems } from "../../lib/core/validation";
import { checkKnownKeys } from "../../lib/capacity/private/strict-keys";

describe("unknown capacity keys", () => {
  it("suggests the closest known key only when it is a plausible typo", () => {
    const p = new Problems("capacity input");
    checkKnownKeys(p, "CAPACITY_FIELD_UNKNOWN", "workload", { peakRequestPerSecond: 10, colour: "red", asyncShare: 0.2 }, ["peakRequestsPerSecond", "baselineRequestsPerSecond", "asyncShare"]);
    expect(p.list.map((x) => [x.path, x.allowed.startsWith("no such field; did you mean `peakRequestsPerSecond`?")])).toEqual([
      ["workload.peakRequestPerSecond", true],
      ["workload.colour", false],
    ]);
  });
});
