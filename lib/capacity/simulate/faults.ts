/**
 * Faults the simulator injects, matching the platform's chaos drills (lib/chaos): a GPU node
 * terminated, an availability zone lost (`ZoneLoss` in profiles.ts), a Kafka broker rebooted.
 */
import type { Problems } from "../../core/validation";

/** GPU nodes terminated at once (AWS FIS `aws:ec2:terminate-instances`); the busiest go first. */
export interface NodeLoss {
  /** Seconds from the start of the profile. */
  readonly atSeconds: number;
  /** Nodes terminated (integer >= 1). */
  readonly nodes: number;
}

/**
 * Workers cannot consume from Kafka for a while; producers keep writing (their retries ride out a
 * leader change). A rebooted broker's partitions move to a follower in seconds, but when the broker
 * coordinated the workers' consumer group, they stop until a new coordinator's rebalance.
 */
export interface KafkaOutage {
  /** Seconds from the start of the profile. */
  readonly atSeconds: number;
  /** Seconds without consumption. */
  readonly durationSeconds: number;
}

/**
 * Consumption pause of one broker reboot: the consumer's `session.timeout.ms` default of 45 s
 * (Apache Kafka 3.0+, KIP-735), after which the group is rebalanced on a new coordinator. A
 * controlled shutdown that moves the coordinator first pauses less; this is the bound the drill tests.
 */
export const BROKER_REBOOT_PAUSE_SECONDS = 45;

/** Adds a problem for each malformed fault option. */
export function checkFaults(problems: Problems, options: { readonly nodeLoss?: NodeLoss; readonly kafkaOutage?: KafkaOutage }, durationSeconds: number): void {
  if (options.nodeLoss) {
    problems.checkNumber("SIM_NODE_LOSS", "nodeLoss.atSeconds", options.nodeLoss.atSeconds, { min: 0, max: durationSeconds });
    problems.checkNumber("SIM_NODE_LOSS", "nodeLoss.nodes", options.nodeLoss.nodes, { min: 1, max: 10_000, integer: true });
  }
  if (options.kafkaOutage) {
    problems.checkNumber("SIM_KAFKA_OUTAGE", "kafkaOutage.atSeconds", options.kafkaOutage.atSeconds, { min: 0, max: durationSeconds });
    problems.checkNumber("SIM_KAFKA_OUTAGE", "kafkaOutage.durationSeconds", options.kafkaOutage.durationSeconds, { min: 1, max: 86_400 });
  }
}
