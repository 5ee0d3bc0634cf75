/**
 * Does the planner agree with its simulator? For one capacity input: the planner's verdict on every
 * built-in profile next to the simulator's (compact profiles), and the plan's GPU cost next to the
 * cheapest configuration the simulator passes, found by brute force over instance type, tensor
 * parallelism and replicas.min. `npm run plan -- --verdicts` prints it for every environment.
 */
import { planCapacity } from "../plan";
import { candidatePairs, nodesFor, replicasSurvivingOneAz } from "../private/inference";
import { resolveInput } from "../private/resolve";
import { findGpuInstance } from "../catalog";
import { DEFAULT_MAX_QUEUE_DELAY_SECONDS, HOURS_PER_MONTH } from "../constants";
import type { CapacityInput, CapacityPlan } from "../types";
import { simulatedGpuCost } from "./cost";
import { PROFILE_NAMES, type ProfileName } from "./profiles";
import { verifyPlan } from "./verify";

/** A verdict on one profile; `not declared` when the planner was not asked to size for it. */
export type Verdict = "pass" | "fail" | "not declared";

/** Planner and simulator on one profile. */
export interface ProfileVerdict {
  readonly profile: ProfileName;
  /** What the analytic plan claims. */
  readonly planner: Verdict;
  /** The planner's figures behind its verdict. */
  readonly plannerWhy: string;
  /** What the simulator finds on the compact profile (deterministic, seed 1). */
  readonly simulator: "pass" | "fail";
  /** The simulator's reason when it fails, else its key figures. */
  readonly simulatorWhy: string;
}

/**
 * The planner's own verdict on a profile, from the plan's analytic figures:
 * - `daily-peak`: pass when the predicted TTFT and TPOT p99 at the peak with replicas.desired meet the SLO;
 * - `festival-spike`: not declared without `workload.spike`; else pass when the analytic worst case
 *   rejects no sync request and the oldest async request waits at most maxQueueDelaySeconds;
 * - `bank-batch-day`: not declared without `workload.batchJobs` (the profile then plays an undeclared
 *   120,000-request batch); else pass (replicas.max and the workers are sized for each job's deadline);
 * - `peak-zone-loss`: not declared unless it is the environment's `gate` (the planner's AZ rule covers
 *   replicas.min at the baseline); else pass when the replicas left after losing the largest zone's share of replicas.desired
 *   still serve the peak at the per-replica rate (the planner has no model of the requests in flight on the lost zone).
 */
export function plannerVerdict(plan: CapacityPlan, profile: ProfileName, gate?: ProfileName): { readonly verdict: Verdict; readonly why: string } {
  const w = plan.input.workload;
  const inf = plan.inference;
  const explained = (field: string): number => Number(plan.explanations.find((e) => e.field === field)?.value ?? 0);
  switch (profile) {
    case "daily-peak": {
      const ok = inf.predicted.ttftP99Seconds <= w.slo.ttftP99Seconds && inf.predicted.tpotP99Seconds <= w.slo.tpotP99Seconds;
      return { verdict: ok ? "pass" : "fail", why: `TTFT p99 ${inf.predicted.ttftP99Seconds.toFixed(2)} s at ${inf.replicas.desired} replicas` };
    }
    case "festival-spike": {
      if (!w.spike || w.spike.multiplier <= 1) return { verdict: "not declared", why: "no workload.spike (the profile plays a 3x spike the plan was not sized for)" };
      const rejected = explained("inference.spike.syncRejectedRequestsPerSecond");
      const oldest = explained("inference.spike.oldestAsyncWaitSeconds");
      const limit = w.maxQueueDelaySeconds ?? DEFAULT_MAX_QUEUE_DELAY_SECONDS;
      return { verdict: rejected <= 0 && oldest <= limit ? "pass" : "fail", why: `429 ${rejected} req/s, oldest async wait ${Math.round(oldest)} s (limit ${limit} s)` };
    }
    case "bank-batch-day":
      if (!w.batchJobs || w.batchJobs.length === 0) return { verdict: "not declared", why: "no workload.batchJobs (the profile plays an undeclared 120,000-request batch)" };
      return { verdict: "pass", why: `replicas.max ${inf.replicas.max} sized for ${w.batchJobs.length} job(s)` };
    case "peak-zone-loss": {
      const zones = plan.input.availabilityZones ?? 3;
      const left = inf.replicas.desired - Math.ceil(inf.replicas.desired / zones);
      const capacity = left * inf.perReplica.requestsPerSecond;
      const why = `${left} replicas left serve ${capacity.toFixed(1)} of ${w.peakRequestsPerSecond} req/s`;
      // The planner guarantees the AZ loss at the baseline (replicas.min); at the peak only when the environment gates on it.
      if (gate !== undefined && gate !== "peak-zone-loss") return { verdict: "not declared", why: `not the environment's gate (analytic: ${why})` };
      return { verdict: capacity >= w.peakRequestsPerSecond ? "pass" : "fail", why };
    }
  }
}

/** Planner and simulator verdicts on every built-in profile (compact forms). */
export function profileVerdicts(plan: CapacityPlan, gate?: ProfileName): ProfileVerdict[] {
  return PROFILE_NAMES.map((profile) => {
    const p = plannerVerdict(plan, profile, gate);
    const v = verifyPlan(plan, profile);
    const s = v.summary;
    const figures = `TTFT p99 ${s.ttftSeconds.p99.toFixed(2)} s, 429 ${(s.rejectedShare * 100).toFixed(2)}%, Kafka wait ${Math.round(s.kafka.maxWaitSeconds)} s`;
    return { profile, planner: p.verdict, plannerWhy: p.why, simulator: v.ok ? "pass" : "fail", simulatorWhy: v.ok ? figures : `${figures}: ${v.reason}` };
  });
}

/** One configuration of the brute force. */
export interface Configuration {
  readonly instanceType: string;
  readonly tensorParallel: number;
  readonly replicas: { readonly min: number; readonly desired: number; readonly max: number };
  /** GPU USD/month of the simulated full daily-peak day (node-hours actually run). */
  readonly simulatedMonthlyUsd: number;
  /** GPU USD/month by the planner's own day estimate (`cost.byComponent.gpuNodes`) for this pair, before the min change. */
  readonly plannedMonthlyUsd: number;
}

/** The plan against the cheapest configuration the simulator passes. */
export interface BruteForceResult {
  /** Profiles a configuration must pass (compact): the environment's gate and `daily-peak`. */
  readonly profiles: readonly ProfileName[];
  /** The plan itself, priced the same way. */
  readonly plan: Configuration;
  /** Whether the plan passes those profiles. */
  readonly planPasses: boolean;
  /** The cheapest passing configuration, undefined if none passed. */
  readonly cheapest?: Configuration;
  /** (type, TP) pairs sized, and simulations run. */
  readonly pairsTried: number;
  readonly simulations: number;
  /** plan / cheapest - 1 on the simulated cost (0 when the plan is the cheapest). */
  readonly planOverCheapest: number;
}

/** The plan with replicas.min set to `min` (desired, max and the scheduled floor raised to it when lower). */
export function withMinReplicas(plan: CapacityPlan, min: number): CapacityPlan {
  const zones = plan.input.availabilityZones ?? 3;
  const rpn = plan.inference.replicasPerNode;
  const desired = Math.max(min, plan.inference.replicas.desired);
  const max = Math.max(desired, plan.inference.replicas.max);
  const floor = plan.autoscaling.scheduledFloor;
  return {
    ...plan,
    inference: {
      ...plan.inference,
      replicas: { min, desired, max },
      nodes: { min: nodesFor(min, rpn, zones), desired: nodesFor(desired, rpn, zones), max: nodesFor(max, rpn, zones) },
    },
    autoscaling: { ...plan.autoscaling, minReplicas: min, maxReplicas: max, ...(floor ? { scheduledFloor: { ...floor, minReplicas: Math.max(floor.minReplicas, min) } } : {}) },
  };
}

function passesAll(plan: CapacityPlan, profiles: readonly ProfileName[], count: () => void): boolean {
  for (const p of profiles) {
    count();
    if (!verifyPlan(plan, p).ok) return false;
  }
  return true;
}

function configurationOf(plan: CapacityPlan, plannedMonthlyUsd: number): Configuration {
  return {
    instanceType: plan.inference.instanceType,
    tensorParallel: plan.inference.gpusPerReplica,
    replicas: plan.inference.replicas,
    simulatedMonthlyUsd: simulatedGpuCost(plan).monthlyUsd,
    plannedMonthlyUsd: Math.round(plannedMonthlyUsd),
  };
}

/**
 * Brute force: every (instance type, TP) pair of the input that the planner can size, each with
 * replicas.min from the availability floor (the smallest count that survives one AZ, as the planner
 * requires) up to its replicas.max. The smallest passing min of each pair (found by bisection: more
 * warm replicas never make a profile fail) is priced by a simulated full day, and the cheapest of those
 * is compared with the plan priced the same way. A pair is skipped only when it cannot win: its
 * nodes.min running all day (the least any day can cost) already costs more than the best found.
 *
 * @example const r = bruteForceCheapest(capacityInputOf(ENVIRONMENTS.prod), "festival-spike"); console.log(r.planOverCheapest);
 */
export function bruteForceCheapest(input: CapacityInput, gate: ProfileName): BruteForceResult {
  const profiles: ProfileName[] = gate === "daily-peak" ? ["daily-peak"] : [gate, "daily-peak"];
  const plan = planCapacity(input);
  let simulations = 0;
  const count = () => void simulations++;
  const planPasses = passesAll(plan, profiles, count);
  const planConfig = configurationOf(plan, plan.cost.byComponent.gpuNodes);
  const zones = plan.input.availabilityZones ?? 3;
  const floor = replicasSurvivingOneAz(1, zones);
  const sized: CapacityPlan[] = [];
  for (const { spec, tensorParallel } of candidatePairs(resolveInput(input).candidates)) {
    try {
      sized.push(planCapacity(input, { candidate: { instanceType: spec.instanceType, tensorParallel } }));
    } catch {
      // an infeasible pair (memory, TPOT floor, TTFT) or one over the node quota
    }
  }
  // Cheapest planned first, so the best found early prunes the rest.
  sized.sort((a, b) => a.cost.byComponent.gpuNodes - b.cost.byComponent.gpuNodes);
  let cheapest: Configuration | undefined = planPasses ? planConfig : undefined;
  const floorMonthlyUsd = (p: CapacityPlan, min: number): number =>
    nodesFor(min, p.inference.replicasPerNode, zones) * HOURS_PER_MONTH * (findGpuInstance(p.inference.instanceType)?.onDemandUsdPerHour ?? 0);
  for (const pair of sized) {
    // Only a min whose all-day floor costs less than the best can win: search up to the largest such one.
    let top = pair.inference.replicas.max;
    while (cheapest && top >= floor && floorMonthlyUsd(pair, top) >= cheapest.simulatedMonthlyUsd) top--;
    if (top < floor) continue;
    const passes = (min: number) => passesAll(withMinReplicas(pair, min), profiles, count);
    if (!passes(top)) continue;
    let lo = floor - 1; // below the floor: not allowed
    let hi = top; // passes
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (passes(mid)) hi = mid;
      else lo = mid;
    }
    const config = configurationOf(withMinReplicas(pair, hi), pair.cost.byComponent.gpuNodes);
    if (!cheapest || config.simulatedMonthlyUsd < cheapest.simulatedMonthlyUsd) cheapest = config;
  }
  const planOverCheapest = cheapest ? planConfig.simulatedMonthlyUsd / cheapest.simulatedMonthlyUsd - 1 : 0;
  return { profiles, plan: planConfig, planPasses, ...(cheapest ? { cheapest } : {}), pairsTried: sized.length, simulations, planOverCheapest };
}

/** The verdict table and the brute-force line of one environment, as text. */
export function formatVerdicts(title: string, verdicts: readonly ProfileVerdict[], brute: BruteForceResult): string {
  const rows = verdicts.map((v) => {
    const agree = v.planner === "not declared" ? "not declared" : v.planner === v.simulator ? "agree" : "DISAGREE";
    return `  ${v.profile.padEnd(15)} planner ${v.planner.padEnd(12)} simulator ${v.simulator.padEnd(4)}  ${agree.padEnd(12)} planner: ${v.plannerWhy}; simulator: ${v.simulatorWhy}`;
  });
  const cfg = (c: Configuration) => `${c.instanceType} TP${c.tensorParallel} replicas ${c.replicas.min}/${c.replicas.desired}/${c.replicas.max} $${c.simulatedMonthlyUsd.toLocaleString("en-US")}/month simulated ($${c.plannedMonthlyUsd.toLocaleString("en-US")} planned)`;
  const cheapest = brute.cheapest
    ? `cheapest passing ${cfg(brute.cheapest)}; plan is ${brute.planOverCheapest <= 0 ? "the cheapest" : `${(brute.planOverCheapest * 100).toFixed(1)}% above it`}`
    : "no configuration passes";
  return [
    `${title}`,
    ...rows,
    `  brute force over ${brute.pairsTried} (type, TP) pairs x replicas.min, ${brute.simulations} compact simulations, must pass ${brute.profiles.join(" + ")}:`,
    `    plan ${cfg(brute.plan)}${brute.planPasses ? "" : " (the plan itself FAILS these profiles)"}`,
    `    ${cheapest}`,
  ].join("\n");
}
