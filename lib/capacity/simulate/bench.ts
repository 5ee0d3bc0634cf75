/**
 * Performance figures of the simulator, as a script (not a jest test: timings
 * on shared CI machines are noisy):
 *
 * 1. `verifyPlan` cold, as the synth path calls it, on the dev/staging/prod presets;
 * 2. 24 h at a constant 100 requests/s (about 8.6 million requests) against a plan for that peak.
 *
 * Run: `node scripts/compile.mjs && node .build/lib/capacity/simulate/bench.js [rps] [hours]`
 */
import { DEV_WORKLOAD, PROD_WORKLOAD, STAGING_WORKLOAD, type WorkloadPreset } from "../presets";
import { planCapacity } from "../plan";
import { simulate } from "./simulate";
import { verifyPlan } from "./verify";
import type { TrafficProfile } from "./profiles";

/** One line per measurement. */
export interface BenchLine {
  readonly name: string;
  readonly wallSeconds: number;
  readonly requests: number;
  readonly detail: string;
}

/**
 * Runs the measurements and returns them.
 * @param requestsPerSecond constant rate of the long run
 * @param hours length of the long run
 */
export function runSimulatorBench(requestsPerSecond = 100, hours = 24): BenchLine[] {
  const lines: BenchLine[] = [];
  const presets: readonly [string, WorkloadPreset, string][] = [
    ["dev", DEV_WORKLOAD, "daily-peak"],
    ["staging", STAGING_WORKLOAD, "festival-spike"],
    ["prod", PROD_WORKLOAD, "festival-spike"],
  ];
  for (const [name, preset, profile] of presets) {
    const plan = planCapacity({ ...preset, availabilityZones: 3, region: "us-east-1" });
    const v = verifyPlan(plan, profile);
    lines.push({ name: `verifyPlan ${name} ${profile} (compact, cold)`, wallSeconds: v.elapsedMs / 1000, requests: v.summary.requests.arrivals, detail: v.ok ? "SLO met" : `SLO not met: ${v.summary.violations[0] ?? ""}` });
  }
  const base = PROD_WORKLOAD.workload;
  const plan = planCapacity({ ...PROD_WORKLOAD, workload: { ...base, peakRequestsPerSecond: requestsPerSecond, baselineRequestsPerSecond: requestsPerSecond }, availabilityZones: 3, region: "us-east-1" });
  const profile: TrafficProfile = {
    name: "constant",
    description: `${requestsPerSecond} req/s for ${hours} h`,
    startClockSeconds: 0,
    durationSeconds: hours * 3600,
    rate: [{ atSeconds: 0, requestsPerSecond }],
  };
  const start = process.hrtime.bigint();
  const result = simulate(plan, profile);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  lines.push({
    name: `${hours} h at ${requestsPerSecond} req/s`,
    wallSeconds: wall,
    requests: result.summary.requests.arrivals,
    detail: `${result.events} events, ${(result.summary.requests.arrivals / wall / 1e6).toFixed(2)} M requests/s, p99 TTFT ${result.summary.ttftSeconds.p99.toFixed(3)} s`,
  });
  return lines;
}

if (require.main === module) {
  const lines = runSimulatorBench(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 24));
  for (const l of lines) console.log(`${l.name.padEnd(48)} ${l.wallSeconds.toFixed(3).padStart(8)} s  ${String(l.requests).padStart(9)} requests  ${l.detail}`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
