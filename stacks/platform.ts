import { App } from "cdktf";
import { CapacityPlan } from "../lib/capacity/types";
import { applyCompliance } from "../lib/compliance";
import { localStateRequested } from "./backend";
import { ClusterStack } from "./cluster-stack";
import { EnvironmentConfig } from "./environments";
import { FoundationStack } from "./foundation-stack";
import { WorkloadsStack } from "./workloads-stack";

/** The three stacks of one environment. */
export interface Platform {
  readonly foundation: FoundationStack;
  readonly cluster: ClusterStack;
  readonly workloads: WorkloadsStack;
}

/** Stack names of an environment, in deploy order. */
export function stackNames(envName: string): { foundation: string; cluster: string; workloads: string } {
  return { foundation: `${envName}-foundation`, cluster: `${envName}-cluster`, workloads: `${envName}-workloads` };
}

/**
 * Builds every stack of one environment from its config and capacity plan, wired
 * with cross-stack references and explicit dependencies so that
 * `cdktf deploy '<env>-*'` applies foundation, cluster, workloads in that order
 * and `cdktf destroy` reverses it. The compliance pack is applied to each stack:
 * a violation fails synth.
 */
export function buildPlatform(app: App, env: EnvironmentConfig, plan: CapacityPlan): Platform {
  const names = stackNames(env.name);
  const foundation = new FoundationStack(app, names.foundation, { env, plan });
  const cluster = new ClusterStack(app, names.cluster, { env, plan, foundation });
  cluster.addDependency(foundation);
  const workloads = new WorkloadsStack(app, names.workloads, { env, plan, foundation, cluster });
  workloads.addDependency(cluster);
  workloads.addDependency(foundation);
  for (const stack of [foundation, cluster, workloads]) applyCompliance(stack, { allowLocalState: localStateRequested() });
  return { foundation, cluster, workloads };
}
