/**
 * The capacity model's error: a {@link ValidationError} so callers can catch one type for
 * configuration and capacity problems alike.
 */
import { ValidationError, type Problem } from "../core/validation";

/**
 * Thrown by {@link planCapacity} when the input is invalid (every problem listed at once) or
 * when no plan can meet the constraints (the constraint that failed and what would fix it).
 *
 * @example
 * try { planCapacity(input); } catch (e) { if (e instanceof CapacityError) console.error(e.codes); }
 */
export class CapacityError extends ValidationError {
  public constructor(subject: string, problems: readonly Problem[]) {
    super(subject, problems);
    this.name = "CapacityError";
  }
}

/** Stable codes of every problem {@link planCapacity} can report. */
export const CAPACITY_CODES = {
  /** A field has the wrong type or is out of its range. */
  invalidField: "CAPACITY_FIELD_INVALID",
  /** A field name that the input type does not have (usually a typo; the message suggests the closest). */
  unknownField: "CAPACITY_FIELD_UNKNOWN",
  /** A field the input no longer has, with what replaces it. */
  removedField: "CAPACITY_FIELD_REMOVED",
  /** An instance type name is not in the built-in catalog. */
  unknownInstanceType: "CAPACITY_UNKNOWN_INSTANCE_TYPE",
  /** Prompt + output tokens exceed the model's context. */
  contextTooShort: "CAPACITY_CONTEXT_TOO_SHORT",
  /** The weights plus one max-length sequence fit no candidate GPU replica. */
  modelDoesNotFit: "CAPACITY_MODEL_DOES_NOT_FIT",
  /** The TPOT objective is below what any candidate does unbatched. */
  tpotBelowFloor: "CAPACITY_TPOT_BELOW_FLOOR",
  /** The TTFT objective is below what any candidate does with an empty queue. */
  ttftUnreachable: "CAPACITY_TTFT_UNREACHABLE",
  /** GPU nodes exceed the EKS managed node group quota. */
  gpuNodeLimit: "CAPACITY_GPU_NODE_LIMIT",
  /** MSK brokers exceed the per-cluster quota. */
  kafkaBrokerLimit: "CAPACITY_KAFKA_BROKER_LIMIT",
  /** More than 15 RDS read replicas would be needed. */
  readReplicaLimit: "CAPACITY_DB_READ_REPLICA_LIMIT",
  /** The database write load exceeds the largest class. */
  databaseWriteLimit: "CAPACITY_DB_WRITE_LIMIT",
  /** The Redis data or operations exceed the largest node type within the shard limit. */
  redisLimit: "CAPACITY_REDIS_LIMIT",
  /** A remote KV tier was declared where fetching a reused token is not faster than prefilling it again. */
  kvRemoteTierDoesNotPay: "CAPACITY_KV_REMOTE_TIER_DOES_NOT_PAY",
} as const;
