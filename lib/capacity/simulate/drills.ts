/**
 * Predicted outcome of each chaos drill (lib/chaos) under the plan: the simulator plays the
 * compact daily peak with the drill's fault at the peak minute (the worst time; scheduled drills
 * run off-peak) and reports what the SLO does. Pure.
 */
import type { CapacityPlan } from "../types";
import { BROKER_REBOOT_PAUSE_SECONDS } from "./faults";
import { namedProfile, type TrafficProfile } from "./profiles";
import { simulate, type SimulateOptions } from "./simulate";
import type { SimulationSummary } from "./summary";

/**
 * Async consumption pause of an RDS Multi-AZ failover: "Failovers typically complete within
 * 60-120 seconds" (Amazon RDS User Guide, "Multi-AZ DB instance deployments", failover process);
 * the workers block on their result writes meanwhile, so the upper end is the drill's bound.
 */
export const RDS_FAILOVER_PAUSE_SECONDS = 120;

/** One drill's prediction. */
export interface DrillPrediction {
  /** Drill name, as in lib/chaos `DRILL_NAMES`. */
  readonly drill: string;
  /** The fault as simulated. */
  readonly fault: string;
  /** Simulated, or bounded by another drill's simulation (with the reason). */
  readonly method: "simulated" | "bounded";
  readonly summary?: SimulationSummary;
  /** One line: SLO verdict and the numbers that matter. */
  readonly outcome: string;
}

/** The compact daily peak and the second of its peak minute (where `peak-zone-loss` loses its zone). */
function peakProfile(plan: CapacityPlan): { profile: TrafficProfile; atSeconds: number } {
  const withLoss = namedProfile("peak-zone-loss", plan.input.workload, { compact: true });
  const atSeconds = withLoss.zoneLoss?.atSeconds ?? Math.floor(withLoss.durationSeconds / 2);
  const { zoneLoss: _zone, ...profile } = withLoss;
  return { profile: { ...profile, name: "daily-peak" }, atSeconds };
}

function line(s: SimulationSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const verdict = s.sloMet ? "SLO held" : `SLO MISSED (${s.reason})`;
  return `${verdict}; 5xx ${pct(s.errorShare)}, 429 ${pct(s.rejectedShare)}, TTFT p99 ${s.ttftSeconds.p99.toFixed(2)} s, fewest ready replicas ${s.minReplicasReady}, oldest async wait ${Math.round(s.kafka.maxWaitSeconds)} s`;
}

/**
 * Simulates every drill against `plan`. Deterministic (seed 1 unless given).
 *
 * @example
 * for (const p of predictDrills(plan)) console.log(p.drill, p.outcome);
 */
export function predictDrills(plan: CapacityPlan, options: Pick<SimulateOptions, "seed"> = {}): DrillPrediction[] {
  const { profile, atSeconds } = peakProfile(plan);
  // Drain for at most 10 minutes after the arrivals end: the drills' effects are in the arrivals window.
  const run = (extra: SimulateOptions) => simulate(plan, profile, { drainSeconds: 600, ...options, ...extra }).summary;
  const clock = `${String(Math.floor(((profile.startClockSeconds + atSeconds) % 86_400) / 3600)).padStart(2, "0")}:${String(Math.floor(((profile.startClockSeconds + atSeconds) % 3600) / 60)).padStart(2, "0")}`;
  const node = run({ nodeLoss: { atSeconds, nodes: 1 } });
  const zone = run({ zoneLoss: { atSeconds, zone: 0 } });
  const rds = run({ kafkaOutage: { atSeconds, durationSeconds: RDS_FAILOVER_PAUSE_SECONDS } });
  const msk = run({ kafkaOutage: { atSeconds, durationSeconds: BROKER_REBOOT_PAUSE_SECONDS } });
  const perNode = plan.inference.replicasPerNode;
  return [
    { drill: "gpu-node-loss", fault: `the busiest GPU node (${perNode} replica${perNode > 1 ? "s" : ""}) terminated at ${clock}`, method: "simulated", summary: node, outcome: line(node) },
    {
      drill: "inference-pod-delete",
      fault: `one inference pod deleted at ${clock}`,
      method: "bounded",
      outcome: `no worse than gpu-node-loss (${perNode > 1 ? `one replica instead of ${perNode}; ` : ""}the node and its cached image stay, so only the model load is paid): ${node.sloMet ? "SLO held" : "bounded by gpu-node-loss above"}`,
    },
    { drill: "az-network-disruption", fault: `zone 0 cut off at ${clock} (simulated as lost for the rest of the run: the drill restores it after 10 min)`, method: "simulated", summary: zone, outcome: line(zone) },
    { drill: "rds-failover", fault: `workers stall ${RDS_FAILOVER_PAUSE_SECONDS} s from ${clock} (Multi-AZ failover; the sync path does not use the database)`, method: "simulated", summary: rds, outcome: line(rds) },
    { drill: "msk-broker-reboot", fault: `no consumption for ${BROKER_REBOOT_PAUSE_SECONDS} s from ${clock} (broker 1 reboots; consumer-group rebalance)`, method: "simulated", summary: msk, outcome: line(msk) },
  ];
}

/** The plan report's section on the drills. */
export function formatDrillPredictions(plan: CapacityPlan, options: Pick<SimulateOptions, "seed"> = {}): string {
  const rows = predictDrills(plan, options).map((p) => `  ${p.drill.padEnd(22)} ${p.fault}\n  ${"".padEnd(22)} -> ${p.outcome}`);
  return ["Chaos drills, predicted at the daily peak (simulator; runbooks in lib/chaos/README.md):", ...rows].join("\n");
}
