/**
 * Writes, for every environment of stacks/environments.ts, the Prometheus rules the
 * workloads stack deploys (from the environment's capacity plan), their promtool unit
 * tests and the dashboards' queries, into the directory given as the first argument.
 * Imports only pure modules (no cdktf), so it runs in a fraction of a second.
 * Run through scripts/promtool-check.sh.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { planCapacity } from "../../lib/capacity/plan";
import { AlertRuleSet } from "../../lib/observability/alert-rule-set";
import { headroomDashboards } from "../../lib/observability/dashboards";
import { observabilityPropsFromPlan } from "../../lib/observability/from-plan";
import { dashboardQueriesDocument, writePromtoolFiles } from "../../lib/observability/promtool";
import { VLLM_TTFT_BUCKETS_SECONDS } from "../../lib/observability/signals";
import { capacityInputOf, ENVIRONMENTS } from "../../stacks/environments";

const outDir = process.argv[2] ?? ".build/promtool";
for (const env of Object.values(ENVIRONMENTS)) {
  const plan = planCapacity(capacityInputOf(env));
  // The environments' TTFT SLOs need not sit on a vLLM bucket: count them at the next boundary up.
  const rules = new AlertRuleSet(observabilityPropsFromPlan(plan, { ttftBucketsSeconds: VLLM_TTFT_BUCKETS_SECONDS }));
  writePromtoolFiles(outDir, env.name, rules);
  const dashboards = headroomDashboards(rules);
  writeFileSync(join(outDir, `${env.name}.dashboards.rules.json`), `${JSON.stringify(dashboardQueriesDocument(dashboards), null, 2)}\n`);
  console.log(
    `${env.name}: ${rules.alerts.length} alerts, ${rules.recordingRules.length} recording rules, ${dashboards.length} dashboards; ` +
      `TTFT SLO ${plan.input.workload.slo.ttftP99Seconds}s counted at the ${rules.ttftBucketSeconds}s bucket`,
  );
}
