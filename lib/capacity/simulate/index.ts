/**
 * Headroom peak simulator: a deterministic discrete-event check that a capacity
 * plan holds its SLO under a traffic profile. Pure TypeScript, no cdktf import.
 *
 * @example
 * import { planCapacity } from "../index";
 * import { verifyPlan } from "./index";
 * const verdict = verifyPlan(planCapacity(input), "festival-spike");
 */
export { simulate, engineConfig, iterationOf, HPA_SYNC_SECONDS, HPA_TOLERANCE, DEFAULT_POD_START_FRACTION, type SimulateOptions, type SimulationResult, type SimulationSeries } from "./simulate";
export {
  namedProfile,
  parseProfile,
  sliceProfile,
  rateAt,
  PROFILE_NAMES,
  DEFAULT_FESTIVAL_SPIKE,
  COMPACT_SPIKE_HOLD_SECONDS,
  BANK_BATCH_REQUESTS,
  BANK_BATCH_SUBMIT_SECONDS,
  MAX_PROFILE_SECONDS,
  type ProfileName,
  type TrafficProfile,
  type RatePoint,
  type BatchSubmission,
  type ZoneLoss,
  type NamedProfileOptions,
} from "./profiles";
export { summarize, clockLabel, type SimulationSummary, type LatencyStats, type WorstWindow, type SummarizeOptions } from "./summary";
export { verifyPlan, assertPlanHolds, resolveProfile, isProfileName, type PlanVerdict } from "./verify";
export { renderChart, niceMax } from "./chart";
export { simulatedGpuCost, formatSimulatedGpuCost, type SimulatedGpuCost } from "./cost";
export { runSimulateCli, parseSimulateArgs, formatSummary, SIMULATE_USAGE, type SimulateArgs, type SimulateCliIo, type SimulationEnvironmentSource } from "./cli";
export { predictDrills, formatDrillPredictions, RDS_FAILOVER_PAUSE_SECONDS, type DrillPrediction } from "./drills";
export { BROKER_REBOOT_PAUSE_SECONDS, type NodeLoss, type KafkaOutage } from "./faults";
export { bruteForceCheapest, formatVerdicts, plannerVerdict, profileVerdicts, withMinReplicas, type BruteForceResult, type Configuration, type ProfileVerdict, type Verdict } from "./verdicts";
