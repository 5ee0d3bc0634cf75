import { engineConfig, simulate } from "../../../lib/capacity/simulate";
import { predictDrills, RDS_FAILOVER_PAUSE_SECONDS } from "../../../lib/capacity/simulate/drills";
import { BROKER_REBOOT_PAUSE_SECONDS } from "../../../lib/capacity/simulate/faults";
import { planCapacity } from "../../../lib/capacity";
import { ValidationError } from "../../../lib/core/validation";
import { baseInput } from "../helpers";
import { constantProfile, makePlan } from "./fixtures";

describe("simulated faults", () => {
  const plan = makePlan({ desiredReplicas: 6, minReplicas: 6, maxReplicas: 8, replicasPerNode: 2, asyncShare: 0.3, peakRequestsPerSecond: 6 });
  const profile = constantProfile(6, 1800);
  const base = simulate(plan, profile, { autoscale: false });

  test("losing a GPU node drops its replicas and the ReplicaSet replaces them after a node launch", () => {
    const hit = simulate(plan, profile, { autoscale: false, nodeLoss: { atSeconds: 600, nodes: 1 } });
    expect(base.summary.minReplicasReady).toBe(6);
    expect(hit.summary.minReplicasReady).toBe(4);
    // Back to six by the end: the replacement node launched.
    expect(hit.series.replicasReady[hit.series.replicasReady.length - 1]).toBe(6);
    expect(hit.summary.requests.retried + hit.summary.requests.failed).toBeGreaterThan(base.summary.requests.retried + base.summary.requests.failed);
  });

  test("a Kafka outage holds async requests for at least its length", () => {
    const hit = simulate(plan, profile, { autoscale: false, kafkaOutage: { atSeconds: 600, durationSeconds: 300 } });
    expect(hit.summary.kafka.maxWaitSeconds).toBeGreaterThanOrEqual(290);
    expect(base.summary.kafka.maxWaitSeconds).toBeLessThan(100);
    // The sync path does not go through Kafka.
    expect(hit.summary.requests.failed).toBe(base.summary.requests.failed);
  });

  test("malformed faults are named", () => {
    expect(() => engineConfig(plan, profile, { nodeLoss: { atSeconds: -1, nodes: 0 } })).toThrow(ValidationError);
    expect(() => engineConfig(plan, profile, { kafkaOutage: { atSeconds: 10, durationSeconds: 0 } })).toThrow(/SIM_KAFKA_OUTAGE/);
  });
});

describe("predictDrills", () => {
  const plan = planCapacity(baseInput());
  const predictions = predictDrills(plan);
  test("every drill has an outcome; four are simulated, pod-delete is bounded by node loss", () => {
    expect(predictions.map((p) => p.drill)).toEqual(["gpu-node-loss", "inference-pod-delete", "az-network-disruption", "rds-failover", "msk-broker-reboot"]);
    expect(predictions.filter((p) => p.method === "simulated")).toHaveLength(4);
    for (const p of predictions) expect(p.outcome).toMatch(/SLO (held|MISSED)|no worse than/);
  });
  test("the stalls of the RDS failover and the broker reboot show as async waits at least that long", () => {
    const wait = (d: string) => predictions.find((p) => p.drill === d)!.summary!.kafka.maxWaitSeconds;
    expect(wait("rds-failover")).toBeGreaterThanOrEqual(RDS_FAILOVER_PAUSE_SECONDS - 5);
    expect(wait("msk-broker-reboot")).toBeGreaterThanOrEqual(BROKER_REBOOT_PAUSE_SECONDS - 5);
  });
});
