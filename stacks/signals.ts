import { CapacityPlan } from "../lib/capacity/types";
import type { SignalSources } from "../lib/observability";
import { FoundationStack, WORKER_CONSUMER_GROUP, WORKLOAD_SERVICE_ACCOUNTS } from "./foundation-stack";

/** The names alerts, dashboards and the CloudWatch exporter select series by, taken from the resources themselves. */
export function signalSources(foundation: FoundationStack, plan: CapacityPlan): SignalSources {
  return {
    inferenceNamespace: WORKLOAD_SERVICE_ACCOUNTS.inference.namespace,
    workerNamespace: WORKLOAD_SERVICE_ACCOUNTS.worker.namespace,
    kafkaConsumerGroup: WORKER_CONSUMER_GROUP,
    kafkaTopic: requestTopic(plan),
    redisReplicationGroupId: foundation.cache.replicationGroupId,
    rdsProxyName: foundation.database.proxyName,
    rdsInstancePrefix: foundation.database.instanceIdentifier,
  };
}

/** The topic the async path consumes (the plan's first topic is the request topic). */
export function requestTopic(plan: CapacityPlan): string {
  return plan.kafka.topics[0].name;
}
