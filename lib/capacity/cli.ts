/**
 * The `plan` command as a pure function: parse arguments, plan, print. `bin/plan.ts` only wires
 * process I/O and the environments into it, so everything here is unit-tested.
 */
import { ValidationError } from "../core/validation";
import { DEFAULT_EFFICIENCY, DEFAULT_EFFICIENCY_FIT, formatValidationTable, validationTable } from "./calibration";
import { planCapacity } from "./plan";
import { formatSimulatedGpuCost, simulatedGpuCost } from "./simulate/cost";
import { verifyPlan } from "./simulate/verify";
import { formatPlanReport } from "./report";
import { formatDrillPredictions } from "./simulate/drills";
import { bruteForceCheapest, formatVerdicts, profileVerdicts } from "./simulate/verdicts";
import { isProfileName } from "./simulate/verify";
import type { CapacityInput } from "./types";

/** Where the CLI writes and reads. */
export interface PlanCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a UTF-8 file (for `--input`). */
  readonly readFile: (path: string) => string;
}

/** The environments the CLI can plan (from `stacks/environments.ts`). */
export interface EnvironmentSource {
  /** Environment names, e.g. dev, staging, prod. */
  readonly names: () => readonly string[];
  /** The capacity input of one environment (placement filled in), or undefined if unknown. */
  readonly input: (name: string) => CapacityInput | undefined;
  /** The traffic profile the environment's plan is simulated against, if any. @default none */
  readonly simulationProfile?: (name: string) => string | undefined;
}

/** Where `npm run simulate` writes an environment's chart, and the command that writes it. */
export function simulationChartLine(env: string, profile: string): string {
  return `Simulation: profile ${profile}; chart reports/${env}/${profile}.svg (npm run simulate -- --env ${env} --profile ${profile})`;
}

const USAGE = `Usage: npm run plan -- [--env <name> | --input <file.json>] [--json] [--explain]
  --env <name>      plan one environment from stacks/environments.ts (default: every environment)
  --input <file>    plan a CapacityInput JSON file instead
  --json            print the CapacityPlan as JSON instead of the report
  --explain         append every explanation to the report
  --validate        print the model's predictions of published MLPerf points (calibration and held-out) and their errors
  --verdicts        planner vs simulator on every built-in profile, and the plan's GPU cost vs the cheapest
                    configuration the simulator passes (brute force over type, TP, replicas.min; takes minutes)
  --help            this text`;

/**
 * Runs the plan CLI. Returns the exit code: 0 on success, 1 on invalid input (every problem on
 * stderr, no stack trace), 2 on a usage error.
 *
 * @example runPlanCli(["--env", "prod", "--json"], io, environments)
 */
export function runPlanCli(argv: readonly string[], io: PlanCliIo, environments?: EnvironmentSource): number {
  let env: string | undefined;
  let file: string | undefined;
  let json = false;
  let explain = false;
  let verdicts = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--validate") {
      io.stdout(formatValidationTable(validationTable(DEFAULT_EFFICIENCY, DEFAULT_EFFICIENCY_FIT), DEFAULT_EFFICIENCY_FIT));
      return 0;
    } else if (arg === "--verdicts") verdicts = true;
    else if (arg === "--json") json = true;
    else if (arg === "--explain") explain = true;
    else if (arg === "--help" || arg === "-h") {
      io.stdout(USAGE);
      return 0;
    } else if (arg === "--env" || arg === "--input") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) {
        io.stderr(`plan: ${arg} needs a value\n${USAGE}`);
        return 2;
      }
      if (arg === "--env") env = value;
      else file = value;
      i++;
    } else if (arg.startsWith("--env=")) env = arg.slice(6);
    else if (arg.startsWith("--input=")) file = arg.slice(8);
    else {
      io.stderr(`plan: unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  if (env !== undefined && file !== undefined) {
    io.stderr(`plan: use either --env or --input, not both\n${USAGE}`);
    return 2;
  }

  const targets: { title: string; input: CapacityInput }[] = [];
  if (file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(io.readFile(file));
    } catch (e) {
      io.stderr(`plan: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    targets.push({ title: file, input: parsed as CapacityInput });
  } else {
    if (!environments) {
      io.stderr("plan: no environments available; pass --input <file.json>");
      return 2;
    }
    const names = env !== undefined ? [env] : [...environments.names()];
    for (const name of names) {
      const input = environments.input(name);
      if (!input) {
        io.stderr(`plan: unknown environment ${JSON.stringify(name)}; known: ${environments.names().join(", ")}`);
        return 1;
      }
      targets.push({ title: name, input });
    }
  }

  const results: { title: string; plan: ReturnType<typeof planCapacity> }[] = [];
  let failed = false;
  for (const t of targets) {
    try {
      results.push({ title: t.title, plan: planCapacity(t.input) });
    } catch (e) {
      if (e instanceof ValidationError) {
        io.stderr(`${t.title}: ${e.message}`);
        failed = true;
      } else throw e;
    }
  }
  if (failed) return 1;
  if (verdicts) {
    io.stdout(
      results
        .map((r) => {
          const declared = file === undefined ? environments?.simulationProfile?.(r.title) : undefined;
          const gate = declared && isProfileName(declared) ? declared : "daily-peak";
          const input = targets.find((t) => t.title === r.title)!.input;
          return formatVerdicts(`${r.title} (gate: ${gate})`, profileVerdicts(r.plan, gate), bruteForceCheapest(input, gate));
        })
        .join("\n\n"),
    );
    return 0;
  }
  if (json) {
    const body = results.length === 1 && (file !== undefined || env !== undefined) ? (results[0] as (typeof results)[number]).plan : Object.fromEntries(results.map((r) => [r.title, r.plan]));
    io.stdout(JSON.stringify(body, null, 2));
  } else {
    io.stdout(
      results
        .map((r) => {
          // The monthly GPU cost as the simulated day spends it, beside the reserved floor and the plan's estimate.
          const report = `${formatPlanReport(r.plan, { title: r.title, explanations: explain })}\n${formatSimulatedGpuCost(simulatedGpuCost(r.plan))}`;
          const profile = file === undefined ? environments?.simulationProfile?.(r.title) : undefined;
          if (!profile) return report;
          // The simulated figures of the gate, beside the analytic spike estimate above.
          const v = verifyPlan(r.plan, profile);
          const s = v.summary;
          const simulated = `Simulated ${v.profile} (the synth gate): ${v.ok ? "SLO met" : `SLO NOT met: ${v.reason}`}; TTFT p99 ${s.ttftSeconds.p99.toFixed(2)} s, 429 ${(s.rejectedShare * 100).toFixed(2)}%, longest Kafka wait ${Math.round(s.kafka.maxWaitSeconds)} s (limit ${s.kafka.maxQueueDelaySeconds} s), replicas ${s.minReplicasReady}-${s.maxReplicasReady}`;
          // An environment's report also predicts its chaos drills (lib/capacity/simulate/drills.ts).
          return `${report}\n${simulated}\n${simulationChartLine(r.title, profile)}\n\n${formatDrillPredictions(r.plan)}`;
        })
        .join("\n\n"),
    );
  }
  return 0;
}
