/**
 * The synth-time check: does a plan hold its SLO under the environment's
 * declared traffic profile? Compact profiles keep it fast enough for the
 * synth path (tens of milliseconds per environment).
 */
import type { CapacityPlan } from "../types";
import { Problems } from "../../core/validation";
import { PROFILE_NAMES, namedProfile, type ProfileName, type TrafficProfile } from "./profiles";
import { simulate, type SimulateOptions } from "./simulate";
import type { SimulationSummary } from "./summary";

/** The verdict `bin/main.ts` acts on. */
export interface PlanVerdict {
  /** True when the plan held every objective of the profile. */
  readonly ok: boolean;
  /** Profile played (its compact form). */
  readonly profile: string;
  /** Why it failed and what would fix it; empty when `ok`. */
  readonly reason: string;
  /** The full summary, for reports. */
  readonly summary: SimulationSummary;
  /** Wall time of the simulation, milliseconds. */
  readonly elapsedMs: number;
  /**
   * CapacityInput fields (dotted paths) that shaped the failed profile, with what to do about each:
   * a spike the plan cannot hold points at `workload.spike`, not only at the profile. Empty when `ok`.
   */
  readonly implicatedInputs: readonly { readonly path: string; readonly value: unknown; readonly allowed: string }[];
}

/** The input fields behind a failed profile (see {@link PlanVerdict.implicatedInputs}). */
export function implicatedInputs(plan: CapacityPlan, profile: TrafficProfile, summary: SimulationSummary): PlanVerdict["implicatedInputs"] {
  if (summary.sloMet) return [];
  const w = plan.input.workload;
  const out: { path: string; value: unknown; allowed: string }[] = [];
  if (profile.name.startsWith("festival-spike")) {
    const spike = w.spike && w.spike.multiplier > 1 ? w.spike : undefined;
    const fixes = spike
      ? "raise workload.asyncShare so Kafka absorbs it, keep more warm replicas (a higher baseline or safetyFactor raises replicas.min), shorten gpuProvisioningSeconds, or lower workload.spike.multiplier / lengthen workload.spike.rampSeconds if the real spike is smaller"
      : "declare it in workload.spike so replicas.max and the Kafka buffer are sized for it, or raise workload.asyncShare so Kafka absorbs it";
    out.push({
      path: "workload.spike",
      value: spike ?? "undeclared (the profile's default 3x spike was played)",
      allowed: `a spike the plan holds while GPU nodes start (gpuProvisioningSeconds ${plan.input.gpuProvisioningSeconds ?? "default"} s); see the simulationProfile problem for what failed. Fix: ${fixes}`,
    });
  }
  if (profile.name.startsWith("bank-batch-day")) {
    out.push({ path: "workload.maxQueueDelaySeconds", value: w.maxQueueDelaySeconds, allowed: `a delay the batch can be drained in, or declare the batch in workload.batchJobs so the async path is sized for it (${summary.reason})` });
  }
  return out;
}

/** True when `name` is a built-in profile. */
export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

/**
 * Resolves a profile given by name (built-in, compact or full) or as an already
 * parsed custom profile. Throws a `ValidationError` (`SIM_PROFILE_UNKNOWN`) for an unknown name.
 */
export function resolveProfile(plan: CapacityPlan, profile: string | TrafficProfile, compact: boolean): TrafficProfile {
  if (typeof profile !== "string") return profile;
  if (!isProfileName(profile)) {
    const problems = new Problems("simulation profile");
    problems.add("SIM_PROFILE_UNKNOWN", "simulationProfile", profile, `one of ${PROFILE_NAMES.map((p) => JSON.stringify(p)).join(", ")}`);
    problems.throwIfAny();
  }
  return namedProfile(profile as ProfileName, plan.input.workload, { compact });
}

/**
 * Plays the compact form of `profile` against `plan` and returns the verdict.
 * Deterministic (seed 1 unless given). Throws `ValidationError` only for an
 * unknown profile name or a plan that cannot be simulated; an SLO miss is a
 * verdict with `ok: false`, not an exception.
 *
 * @example
 * const verdict = verifyPlan(plan, env.simulationProfile);
 * if (!verdict.ok) throw new Error(`environment ${env.name}: plan fails '${verdict.profile}': ${verdict.reason}`);
 */
export function verifyPlan(plan: CapacityPlan, profile: string | TrafficProfile, options: SimulateOptions = {}): PlanVerdict {
  const resolved = resolveProfile(plan, profile, true);
  const start = performance.now();
  const result = simulate(plan, resolved, options);
  const elapsedMs = performance.now() - start;
  return { ok: result.summary.sloMet, profile: resolved.name, reason: result.summary.reason, summary: result.summary, elapsedMs, implicatedInputs: implicatedInputs(plan, resolved, result.summary) };
}

/**
 * Like {@link verifyPlan}, but throws a `ValidationError` (`SIM_SLO_NOT_MET`)
 * naming the environment, the profile, the violations and the fix.
 *
 * @example
 * assertPlanHolds("prod", plan, env.simulationProfile);
 */
export function assertPlanHolds(environment: string, plan: CapacityPlan, profile: string | TrafficProfile, options: SimulateOptions = {}): PlanVerdict {
  const verdict = verifyPlan(plan, profile, options);
  if (!verdict.ok) {
    const problems = new Problems(`capacity plan of environment '${environment}'`);
    problems.add("SIM_SLO_NOT_MET", `environments.${environment}.simulationProfile`, verdict.profile, `a plan that holds the SLO under it; simulation says: ${verdict.reason}`);
    for (const i of verdict.implicatedInputs) problems.add("SIM_SLO_NOT_MET", `environments.${environment}.capacity.${i.path}`, i.value, i.allowed);
    problems.throwIfAny();
  }
  return verdict;
}
