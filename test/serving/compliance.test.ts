import { applyCompliance } from "../../lib/compliance";
import { ServingTier } from "../../lib/serving/serving-tier";
import { synthJson } from "../helpers/synth";
import { workloadsTestStack } from "./helpers";
import { tierProps } from "./tier-fixture";

test("the serving tier passes the compliance pack without suppressions", () => {
  const stack = workloadsTestStack();
  new ServingTier(stack, "Serving", tierProps());
  const [compliance] = applyCompliance(stack, { allowLocalState: true, log: false });
  expect(() => synthJson(stack)).not.toThrow();
  const report = compliance!.report!;
  expect(report.violations).toEqual([]);
  expect(report.suppressed).toEqual([]);
  // The workload rules (restricted profile, resources, pinned images, probes, mTLS) did evaluate the tier.
  expect(report.counts.compliant).toBeGreaterThan(20);
});
