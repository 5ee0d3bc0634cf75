/**
 * The `simulate` command as a pure function: parse arguments, plan, simulate,
 * print the summary, write the SVG chart. `bin/simulate.ts` only wires process
 * I/O and the environments into it, so everything here is unit-tested.
 */
import { ValidationError } from "../../core/validation";
import { planCapacity } from "../plan";
import type { CapacityInput, CapacityPlan } from "../types";
import { renderChart } from "./chart";
import { parseProfile, type TrafficProfile } from "./profiles";
import { simulate, type SimulationResult } from "./simulate";
import { isProfileName, resolveProfile } from "./verify";

/** Where the CLI reads and writes. */
export interface SimulateCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a UTF-8 file (a custom profile). */
  readonly readFile: (path: string) => string;
  /** Writes a UTF-8 file, creating its directory. */
  readonly writeFile: (path: string, text: string) => void;
}

/** The environments the CLI can simulate (from `stacks/environments.ts`). */
export interface SimulationEnvironmentSource {
  /** Environment names, e.g. dev, staging, prod. */
  readonly names: () => readonly string[];
  /** The capacity input of one environment (placement filled in), or undefined if unknown. */
  readonly input: (name: string) => CapacityInput | undefined;
  /** The environment's declared `simulationProfile`. */
  readonly profile: (name: string) => string | undefined;
}

/** Parsed arguments. */
export interface SimulateArgs {
  /** Environment name, or the `--input` file's name when a CapacityInput JSON is simulated. */
  readonly env: string;
  /** A CapacityInput JSON file to plan and simulate instead of an environment. */
  readonly input?: string;
  /** Built-in profile name or a path to a JSON profile; undefined: the environment's declared profile. */
  readonly profile?: string;
  readonly seed: number;
  /** Play only the verification window (as `verifyPlan` does). */
  readonly compact: boolean;
  readonly json: boolean;
  /** Directory for charts: `<outDir>/<env>/<profile>.svg`. */
  readonly outDir: string;
}

/** Usage text. */
export const SIMULATE_USAGE = `Usage: npm run simulate -- (--env <name> | --input <CapacityInput.json>) [--profile <name|file.json>] [--seed <n>] [--compact] [--json] [--out <dir>]
  --env <name>        environment from stacks/environments.ts
  --input <file>      plan and simulate a CapacityInput JSON file instead (e.g. examples/capacity-input.json)
  --profile <p>       daily-peak | festival-spike | bank-batch-day | peak-zone-loss, or a JSON profile file
                      (default: the environment's simulationProfile; with --input: daily-peak)
  --seed <n>          PRNG seed (default 1); the same seed gives the same result
  --compact           play only the verification window that synth checks, not the whole day
  --json              print the summary as JSON
  --out <dir>         chart directory (default reports): writes <dir>/<env>/<profile>.svg
Exit codes: 0 SLO met, 3 SLO not met, 1 invalid input, 2 usage error.`;

/** Parses argv; returns the arguments or a usage error message. */
export function parseSimulateArgs(argv: readonly string[]): SimulateArgs | { readonly error: string } | "help" {
  const values: Record<string, string> = {};
  let compact = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--compact") compact = true;
    else if (arg === "--json") json = true;
    else if (["--env", "--input", "--profile", "--seed", "--out"].includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) return { error: `${arg} needs a value` };
      values[arg.slice(2)] = value;
      i++;
    } else if (/^--(env|input|profile|seed|out)=/.test(arg)) {
      const eq = arg.indexOf("=");
      values[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else return { error: `unknown argument ${JSON.stringify(arg)}` };
  }
  if (values["env"] && values["input"]) return { error: "use either --env or --input, not both" };
  if (!values["env"] && !values["input"]) return { error: "--env or --input is required" };
  const seed = values["seed"] === undefined ? 1 : Number(values["seed"]);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) return { error: `--seed must be an integer from 0 to 4294967295, got ${JSON.stringify(values["seed"])}` };
  const input = values["input"];
  const env = values["env"] ?? (input as string).replace(/^.*[\\/]/, "").replace(/\.json$/i, "");
  return { env, ...(input !== undefined ? { input } : {}), ...(values["profile"] ? { profile: values["profile"] } : {}), seed, compact, json, outDir: values["out"] ?? "reports" };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const sec = (x: number): string => (x >= 100 ? `${x.toFixed(0)} s` : x >= 1 ? `${x.toFixed(2)} s` : `${(x * 1000).toFixed(0)} ms`);

/** The summary as aligned text lines. */
export function formatSummary(plan: CapacityPlan, result: SimulationResult, environment: string): string {
  const s = result.summary;
  const r = s.requests;
  const slo = plan.input.workload.slo;
  const l = s.littlesLaw;
  const lines = [
    `${result.profile.name} on ${environment}: ${result.profile.description}`,
    `  requests      ${r.arrivals} arrivals: ${r.cacheHits} cache hits, ${r.syncOffered} sync (${r.syncServed} served), ${r.asyncProduced} async via Kafka (${r.asyncServed} served)`,
    `  TTFT          p50 ${sec(s.ttftSeconds.p50)}  p95 ${sec(s.ttftSeconds.p95)}  p99 ${sec(s.ttftSeconds.p99)}  (SLO p99 ${sec(slo.ttftP99Seconds)})`,
    `  end to end    p50 ${sec(s.e2eSeconds.p50)}  p95 ${sec(s.e2eSeconds.p95)}  p99 ${sec(s.e2eSeconds.p99)}`,
    `  TPOT          p99 ${sec(s.tpotSeconds.p99)}  (SLO ${sec(slo.tpotP99Seconds)})`,
    `  rejected      ${pct(s.rejectedShare)} answered 429; 5xx ${pct(s.errorShare)} (budget ${pct(1 - slo.availability)})`,
    `  Kafka         max lag ${s.kafka.maxLag}, longest wait ${sec(s.kafka.maxWaitSeconds)} (limit ${sec(s.kafka.maxQueueDelaySeconds)}): ${s.kafka.drainedWithinMaxDelay ? "drained in time" : "NOT drained in time"}`,
    `  replicas      ${s.minReplicasReady} to ${s.maxReplicasReady} ready (plan min ${plan.autoscaling.minReplicas}, max ${plan.autoscaling.maxReplicas}); up to ${s.maxNodes} GPU nodes`,
    `  Little's law  L = ${l.meanInSystem.toFixed(1)} in system; lambda x W = ${(l.throughputPerSecond * l.meanTimeInSystemSeconds).toFixed(1)}`,
    s.sloMet ? `  verdict       SLO met` : `  verdict       SLO NOT met: ${s.reason}`,
  ];
  return lines.join("\n");
}

/**
 * Runs the simulate CLI and returns the exit code: 0 SLO met, 3 SLO not met,
 * 1 invalid input (every problem on stderr), 2 usage error.
 *
 * @example runSimulateCli(["--env", "prod", "--profile", "festival-spike"], io, environments)
 */
export function runSimulateCli(argv: readonly string[], io: SimulateCliIo, environments: SimulationEnvironmentSource): number {
  const args = parseSimulateArgs(argv);
  if (args === "help") {
    io.stdout(SIMULATE_USAGE);
    return 0;
  }
  if ("error" in args) {
    io.stderr(`simulate: ${args.error}\n${SIMULATE_USAGE}`);
    return 2;
  }
  let input: CapacityInput | undefined;
  if (args.input !== undefined) {
    try {
      input = JSON.parse(io.readFile(args.input)) as CapacityInput;
    } catch (e) {
      io.stderr(`simulate: cannot read ${args.input}: ${(e as Error).message}`);
      return 1;
    }
  } else {
    input = environments.input(args.env);
    if (input === undefined) {
      io.stderr(`simulate: unknown environment ${JSON.stringify(args.env)}; known: ${environments.names().join(", ")}`);
      return 2;
    }
  }
  const profileArg = args.profile ?? (args.input !== undefined ? "daily-peak" : environments.profile(args.env));
  if (profileArg === undefined) {
    io.stderr(`simulate: environment ${args.env} declares no simulationProfile; pass --profile`);
    return 2;
  }
  try {
    const plan = planCapacity(input);
    let profile: TrafficProfile | string = profileArg;
    if (!isProfileName(profileArg) && /\.json$/i.test(profileArg)) {
      let json: unknown;
      try {
        json = JSON.parse(io.readFile(profileArg));
      } catch (e) {
        io.stderr(`simulate: cannot read profile ${profileArg}: ${(e as Error).message}`);
        return 1;
      }
      profile = parseProfile(json, plan.input.workload, profileArg);
    }
    const resolved = resolveProfile(plan, profile, args.compact);
    const result = simulate(plan, resolved, { seed: args.seed });
    const path = `${args.outDir}/${args.env}/${resolved.name}${args.compact ? "-compact" : ""}.svg`;
    io.writeFile(path, renderChart(plan, result, args.env));
    if (args.json) io.stdout(JSON.stringify({ environment: args.env, profile: resolved.name, chart: path, summary: result.summary }, null, 2));
    else io.stdout(`${formatSummary(plan, result, args.env)}\n  chart         ${path}`);
    return result.summary.sloMet ? 0 : 3;
  } catch (e) {
    if (e instanceof ValidationError) {
      io.stderr(e.message);
      return 1;
    }
    throw e;
  }
}
