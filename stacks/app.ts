import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { CapacityError, formatPlanReport, planCapacity } from "../lib/capacity";
import { simulationChartLine } from "../lib/capacity/cli";
import { formatDrillPredictions, verifyPlan } from "../lib/capacity/simulate";
import { CapacityPlan } from "../lib/capacity/types";
import { Problem, Problems, ValidationError } from "../lib/core/validation";
import { capacityInputOf, ENVIRONMENTS, EnvironmentConfig } from "./environments";
import { buildPlatform, Platform } from "./platform";
import { cachedSimulation } from "./simulation-cache";
import { validateEnvironments } from "./validate-environments";

/** An environment with its validated plan, ready to be built. */
export interface PlannedEnvironment {
  readonly env: EnvironmentConfig;
  readonly plan: CapacityPlan;
}

/**
 * Validates every environment, plans its capacity and simulates the plan under the
 * environment's traffic profile, collecting every problem of every environment
 * (configuration, capacity and simulated SLO alike) into one {@link ValidationError}.
 * Nothing is constructed or written.
 */
export function planEnvironments(environments: Readonly<Record<string, EnvironmentConfig>> = ENVIRONMENTS): PlannedEnvironment[] {
  const problems = new Problems("environment configuration");
  validateEnvironments(environments, problems);
  const planned: PlannedEnvironment[] = [];
  for (const [key, env] of Object.entries(environments)) {
    let plan: CapacityPlan;
    try {
      plan = planCapacity(capacityInputOf(env));
    } catch (e) {
      if (!(e instanceof CapacityError)) throw e;
      for (const p of e.problems) problems.add(p.code, `environments.${key}.capacity.${p.path}`, p.value, p.allowed);
      continue;
    }
    // The plan must hold the SLO under the environment's declared traffic before anything is written.
    // Deterministic, so a repeated synth of the same bundle reuses the verdict (stacks/simulation-cache.ts).
    const verdict = cachedSimulation("gate", { plan, profile: env.simulationProfile }, () => {
      const v = verifyPlan(plan, env.simulationProfile);
      return { ok: v.ok, reason: v.reason, implicatedInputs: v.implicatedInputs };
    });
    if (!verdict.ok) {
      problems.add("SIM_SLO_NOT_MET", `environments.${key}.simulationProfile`, env.simulationProfile, `a profile the plan survives: ${verdict.reason}`);
      for (const i of verdict.implicatedInputs) problems.add("SIM_SLO_NOT_MET", `environments.${key}.capacity.${i.path}`, i.value, i.allowed);
    }
    planned.push({ env, plan });
  }
  problems.throwIfAny();
  return planned;
}

/** Options of {@link synthesizeAll}. */
export interface SynthOptions {
  /** Output directory. @default $CDKTF_OUTDIR or "cdktf.out" */
  readonly outdir?: string;
  /** Environments to build. @default ENVIRONMENTS */
  readonly environments?: Readonly<Record<string, EnvironmentConfig>>;
}

/** What a synth produced. */
export interface SynthResult {
  readonly outdir: string;
  readonly planned: readonly PlannedEnvironment[];
  readonly platforms: readonly Platform[];
}

/**
 * Validates, plans, builds and synthesizes every stack of every environment, and
 * writes each environment's plan report next to the stacks.
 *
 * All output goes to a scratch directory first and replaces `outdir` only when
 * everything succeeded, so invalid input or a failed validation leaves no partial
 * output behind (and the previous good output untouched). Scratch directories of
 * synths that were killed (their process is gone) are removed first. Problems of
 * every environment, from configuration and capacity to construct props and the
 * compliance pack, are thrown as one {@link ValidationError}.
 */
export function synthesizeAll(options: SynthOptions = {}): SynthResult {
  const outdir = path.resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  // Before anything can fail: a synth killed earlier cannot have cleaned up after itself.
  removeStaleScratch(outdir);
  const planned = planEnvironments(options.environments);
  const scratch = `${outdir}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  try {
    const app = new App({ outdir: scratch, skipValidation: false });
    const platforms = buildAll(app, planned);
    synthesizeCollecting(app, planned);
    const plansDir = path.join(scratch, "plans");
    fs.mkdirSync(plansDir, { recursive: true });
    for (const { env, plan } of planned) {
      fs.writeFileSync(path.join(plansDir, `${env.name}.txt`), `${formatPlanReport(plan)}\n${simulationChartLine(env.name, env.simulationProfile)}\n\n${cachedSimulation("drills", plan, () => formatDrillPredictions(plan))}\n`);
      fs.writeFileSync(path.join(plansDir, `${env.name}.json`), `${JSON.stringify(plan, null, 2)}\n`);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(scratch, outdir);
    return { outdir, planned, platforms };
  } catch (e) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

/** A construct's problem re-rooted at its environment, keeping which construct found it. */
function inEnvironment(envName: string, where: string, problem: Problem): Problem {
  return { ...problem, path: `environments.${envName} (${where}).${problem.path}` };
}

/**
 * Builds every environment, even after one failed: a construct that refuses its props
 * throws a {@link ValidationError}, and the problems of every environment are thrown
 * together, each under `environments.<env> (<construct>)`.
 */
function buildAll(app: App, planned: readonly PlannedEnvironment[]): Platform[] {
  const problems = new Problems("environment configuration");
  const platforms: Platform[] = [];
  for (const { env, plan } of planned) {
    try {
      platforms.push(buildPlatform(app, env, plan));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.addAll(e.problems.map((p) => inEnvironment(env.name, e.subject, p)));
    }
  }
  problems.throwIfAny();
  return platforms;
}

/**
 * `app.synth()`, except that a stack whose validations (the compliance pack) fail does not
 * stop the others: every stack's problems are collected and thrown once. The steps are those
 * of cdktf 0.21's `App.synth`: prepare every stack (cross-stack references), synthesize each
 * (aspects, validations, files into the scratch directory), then the app's validations and the manifest.
 */
function synthesizeCollecting(app: App, planned: readonly PlannedEnvironment[]): void {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  stacks.forEach((stack) => stack.prepareStack());
  const session = { outdir: app.outdir, skipValidation: false, manifest: app.manifest };
  const problems = new Problems("environment configuration");
  for (const stack of stacks) {
    try {
      stack.synthesizer.synthesize(session);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const env = planned.find(({ env }) => stack.node.id.startsWith(`${env.name}-`))?.env.name ?? stack.node.id;
      problems.addAll(e.problems.map((p) => inEnvironment(env, `stack ${stack.node.id}`, p)));
    }
  }
  problems.throwIfAny();
  const appProblems = app.node.validate();
  if (appProblems.length > 0) throw new Error(`App validation failed:\n  ${appProblems.join("\n  ")}`);
  app.manifest.writeToFile();
}

/**
 * Removes `<outdir>.partial-<pid>` scratch directories whose process is gone (a synth
 * killed mid-way cannot clean up after itself). A directory of a live process is left alone.
 */
export function removeStaleScratch(outdir: string): string[] {
  const parent = path.dirname(outdir);
  const prefix = `${path.basename(outdir)}.partial-`;
  if (!fs.existsSync(parent)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** True when a process with `pid` exists (signal 0 checks without signalling; EPERM means it exists under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One line per environment: the numbers a reader checks first. */
export function summarize(planned: readonly PlannedEnvironment[]): string {
  const rows = planned.map(({ env, plan }) => {
    const i = plan.inference;
    return [
      env.name.padEnd(8),
      `${i.instanceType} TP${i.gpusPerReplica}`.padEnd(22),
      `replicas ${i.replicas.min}/${i.replicas.desired}/${i.replicas.max}`.padEnd(20),
      `GPU nodes ${i.nodes.min}/${i.nodes.desired}/${i.nodes.max}`.padEnd(20),
      `TTFT p99 ${i.predicted.ttftP99Seconds.toFixed(2)} s`.padEnd(18),
      `$${Math.round(plan.cost.monthlyUsd).toLocaleString("en-US")}/month`,
    ].join("  ");
  });
  return ["Capacity plans (min/desired/max):", ...rows.map((r) => `  ${r}`)].join("\n");
}

/** CLI entry: synthesizes, prints the summary, and turns a ValidationError into exit code 1 without a stack trace. */
export function main(): number {
  try {
    const result = synthesizeAll();
    const stacks = result.platforms.length * 3;
    process.stdout.write(`${summarize(result.planned)}\n`);
    process.stdout.write(`Synthesized ${stacks} stacks and ${result.planned.length} plan reports into ${path.relative(process.cwd(), result.outdir) || "."}/\n`);
    return 0;
  } catch (e) {
    if (e instanceof ValidationError) {
      process.stderr.write(`${e.message}\nNothing was written.\n`);
      return 1;
    }
    throw e;
  }
}
