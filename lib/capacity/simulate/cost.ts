/**
 * The GPU cost of a plan as the simulated day spends it: GPU node-hours the simulator's node group
 * actually ran through a whole day of traffic (autoscaling up and down), priced at the plan's
 * instance type, next to the reserved floor (`nodes.min` around the clock) and the plan's own
 * estimate (`nodes.desired` around the clock).
 */
import { findGpuInstance } from "../catalog";
import { HOURS_PER_MONTH } from "../constants";
import type { CapacityPlan } from "../types";
import { namedProfile, type ProfileName, type TrafficProfile } from "./profiles";
import { simulate } from "./simulate";

/** GPU cost figures of one simulated day. */
export interface SimulatedGpuCost {
  /** Profile played (a whole day). */
  readonly profile: string;
  /** GPU node-hours the simulated node group ran over the day. */
  readonly nodeHoursPerDay: number;
  /** nodeHoursPerDay x 730 / 24 x USD/h. */
  readonly monthlyUsd: number;
  /** nodes.min x 730 h x USD/h: what stays up even at night (a reservation or savings-plan candidate). */
  readonly reservedFloorMonthlyUsd: number;
  /** The plan's cost.byComponent.gpuNodes (expected node-hours of the daily curve). */
  readonly plannedMonthlyUsd: number;
  /** Whether the day held the SLO. */
  readonly sloMet: boolean;
}

/**
 * Simulates a whole day of `profile` (default `daily-peak`) and prices the GPU node-hours it used.
 * Takes 0.1-2 s (a full day, not the compact window), so it runs in the CLI, not in planCapacity.
 *
 * @example const c = simulatedGpuCost(plan); console.log(c.monthlyUsd, c.reservedFloorMonthlyUsd);
 */
export function simulatedGpuCost(plan: CapacityPlan, profile: ProfileName | TrafficProfile = "daily-peak", seed = 1): SimulatedGpuCost {
  const resolved = typeof profile === "string" ? namedProfile(profile, plan.input.workload, { compact: false }) : profile;
  // The simulation is deterministic: one process never plays the same (plan, day, seed) twice.
  const key = JSON.stringify([plan, resolved, seed]);
  const known = DAYS.get(key);
  if (known !== undefined) return { ...known };
  const cost = simulateDayCost(plan, resolved, seed);
  if (DAYS.size >= 32) DAYS.clear();
  DAYS.set(key, cost);
  return { ...cost };
}

/** Costs of the days simulated in this process, by the JSON of (plan, profile, seed). */
const DAYS = new Map<string, SimulatedGpuCost>();

function simulateDayCost(plan: CapacityPlan, resolved: TrafficProfile, seed: number): SimulatedGpuCost {
  const r = simulate(plan, resolved, { seed });
  const s = r.series;
  let nodeSeconds = 0;
  for (let i = 0; i < s.nodes.length; i++) nodeSeconds += (s.nodes[i] as number) * s.windowSeconds;
  const days = Math.max(resolved.durationSeconds, 1) / 86_400;
  const nodeHoursPerDay = nodeSeconds / 3600 / days;
  const usdPerHour = findGpuInstance(plan.inference.instanceType)?.onDemandUsdPerHour ?? (plan.cost.byComponent.gpuNodes / HOURS_PER_MONTH / Math.max(1, plan.inference.nodes.desired));
  return {
    profile: resolved.name,
    nodeHoursPerDay: Math.round(nodeHoursPerDay * 10) / 10,
    monthlyUsd: Math.round(((nodeHoursPerDay * HOURS_PER_MONTH) / 24) * usdPerHour),
    reservedFloorMonthlyUsd: Math.round(plan.inference.nodes.min * HOURS_PER_MONTH * usdPerHour),
    plannedMonthlyUsd: Math.round(plan.cost.byComponent.gpuNodes),
    sloMet: r.summary.sloMet,
  };
}

/** One report line for {@link SimulatedGpuCost}. */
export function formatSimulatedGpuCost(c: SimulatedGpuCost): string {
  const usd = (x: number): string => `$${x.toLocaleString("en-US")}`;
  return `GPU cost from the simulated day (${c.profile}, ${c.sloMet ? "SLO met" : "SLO NOT met"}): ${c.nodeHoursPerDay} GPU node-hours/day = ${usd(c.monthlyUsd)}/month; reserved floor (nodes.min all month) ${usd(c.reservedFloorMonthlyUsd)}/month; plan estimate ${usd(c.plannedMonthlyUsd)}/month`;
}
