/**
 * Performance check of the simulator (not a jest test: timings on shared CI
 * machines are noisy). Plays 24 h at a constant 100 requests/s (8.64 million
 * requests) against a fixture plan and prints wall time and events per second.
 *
 * Run: npx esbuild test/capacity/simulate/bench.ts --bundle --platform=node --outfile=.build/sim-bench.js && node .build/sim-bench.js
 */
import { simulate } from "../../../lib/capacity/simulate/simulate";
import type { TrafficProfile } from "../../../lib/capacity/simulate/profiles";
import { makePlan } from "./fixtures";

const rps = Number(process.argv[2] ?? 100);
const hours = Number(process.argv[3] ?? 24);
const plan = makePlan({ peakRequestsPerSecond: rps, minReplicas: Math.ceil(rps / 6), maxReplicas: Math.ceil(rps / 3) });
const profile: TrafficProfile = {
  name: "bench-constant",
  description: `${rps} req/s for ${hours} h`,
  startClockSeconds: 0,
  durationSeconds: hours * 3600,
  rate: [{ atSeconds: 0, requestsPerSecond: rps }],
};
const t0 = process.hrtime.bigint();
const result = simulate(plan, profile, { seed: 1 });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const s = result.summary;
console.log(
  `${s.requests.arrivals} requests, ${result.events} events in ${seconds.toFixed(2)} s ` +
    `(${(s.requests.arrivals / seconds / 1e6).toFixed(2)} M requests/s); peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB; ` +
    `p99 TTFT ${s.ttftSeconds.p99.toFixed(3)} s, SLO ${s.sloMet ? "met" : "not met"}`,
);
