import { DEV_WORKLOAD, PROD_WORKLOAD, planCapacity, type CapacityInput } from "../../../lib/capacity";
import {
  assertPlanHolds,
  formatSummary,
  niceMax,
  parseSimulateArgs,
  renderChart,
  runSimulateCli,
  simulate,
  verifyPlan,
  type SimulationEnvironmentSource,
} from "../../../lib/capacity/simulate";
import { ValidationError } from "../../../lib/core/validation";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { constantProfile, makePlan } from "./fixtures";

describe("renderChart", () => {
  const plan = makePlan({ peakRequestsPerSecond: 10, minReplicas: 2, maxReplicas: 6 });
  const result = simulate(plan, constantProfile(10, 1200));

  test("draws four panels with one polyline per series and the TTFT SLO line", () => {
    const svg = renderChart(plan, result, "dev");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    for (const title of ["Requests per second", "Inference replicas and GPU nodes", "Waiting for a batch slot, and Kafka lag", "p99 time to first token per window"]) expect(svg).toContain(title);
    expect(svg.match(/<polyline /g)).toHaveLength(10);
    expect(svg).toContain(`SLO ${plan.input.workload.slo.ttftP99Seconds} s`);
    // One point per window in every polyline.
    const firstLine = /<polyline points="([^"]+)"/.exec(svg)![1]!;
    expect(firstLine.split(" ")).toHaveLength(result.series.startSeconds.length);
  });

  test("escapes text and labels the clock", () => {
    const svg = renderChart(plan, { ...result, profile: { ...result.profile, description: "a <b> & c", startClockSeconds: 13 * 3600 } }, "x");
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg).toContain(">13:00<");
  });

  test("niceMax rounds up to 1, 2 or 5 x 10^n", () => {
    expect([0, 0.7, 3, 7, 10, 11, 260].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 500]);
  });
});

describe("verifyPlan on plans from the capacity model", () => {
  const input = (preset: typeof DEV_WORKLOAD, zones = 3): CapacityInput => ({ ...preset, availabilityZones: zones, region: "us-east-1" });

  test("the production preset's plan holds its daily peak", () => {
    const v = verifyPlan(planCapacity(input(PROD_WORKLOAD)), "daily-peak");
    expect(v.reason).toBe("");
    expect(v.ok).toBe(true);
  });

  test("returns a verdict with the profile, reason and timing; ok follows the summary", () => {
    const plan = planCapacity(input(DEV_WORKLOAD, 2));
    const v = verifyPlan(plan, "daily-peak");
    expect(v.profile).toBe("daily-peak");
    expect(v.ok).toBe(v.summary.sloMet);
    expect(v.reason).toBe(v.summary.reason);
    expect(v.elapsedMs).toBeGreaterThan(0);
    expect(v.summary.requests.arrivals).toBeGreaterThan(0);
  });

  test("a plan whose warm replicas cannot carry the spike fails, and assertPlanHolds names environment and fix", () => {
    // The dev plan has no headroom for a spike it was not sized for: 8x its peak for 10 minutes.
    const plan = planCapacity(input(DEV_WORKLOAD, 2));
    const starved = { ...plan, input: { ...plan.input, workload: { ...plan.input.workload, spike: { multiplier: 8, rampSeconds: 60, durationSeconds: 600 } } } };
    const v = verifyPlan(starved, "festival-spike");
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/p99 TTFT|rejected \(429\)|Kafka backlog/);
    let error: ValidationError | undefined;
    try {
      assertPlanHolds("prod", starved, "festival-spike");
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error?.codes).toEqual(["SIM_SLO_NOT_MET", "SIM_SLO_NOT_MET"]);
    expect(error?.message).toContain("environments.prod.simulationProfile");
    // The spike it cannot hold is named at its input, not only at the profile.
    expect(error?.problems[1]?.path).toBe("environments.prod.capacity.workload.spike");
    expect(error?.problems[1]?.allowed).toContain("workload.asyncShare");
    expect(error?.message).toContain(v.reason);
  });

  test("an unknown profile name is a validation error listing the known ones", () => {
    expect(() => verifyPlan(makePlan(), "black-friday")).toThrow(/SIM_PROFILE_UNKNOWN.*"daily-peak", "festival-spike", "bank-batch-day", "peak-zone-loss"/s);
  });
});

describe("simulate CLI", () => {
  const dev = { ...DEV_WORKLOAD, availabilityZones: 2, region: "us-east-1" } as CapacityInput;
  const envs: SimulationEnvironmentSource = {
    names: () => ["dev"],
    input: (n) => (n === "dev" ? dev : undefined),
    profile: (n) => (n === "dev" ? "daily-peak" : undefined),
  };
  function io(files: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const written: Record<string, string> = {};
    return {
      out,
      err,
      written,
      io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readFile: (p: string) => { if (!(p in files)) throw new Error(`ENOENT ${p}`); return files[p]!; }, writeFile: (p: string, t: string) => (written[p] = t) },
    };
  }

  test("parses arguments, with defaults and = forms", () => {
    expect(parseSimulateArgs(["--env", "prod"])).toEqual({ env: "prod", seed: 1, compact: false, json: false, outDir: "reports" });
    expect(parseSimulateArgs(["--env=prod", "--profile=festival-spike", "--seed", "7", "--compact", "--json", "--out", "/tmp/r"])).toEqual({ env: "prod", profile: "festival-spike", seed: 7, compact: true, json: true, outDir: "/tmp/r" });
    expect(parseSimulateArgs(["--profile", "x"])).toEqual({ error: "--env or --input is required" });
    expect(parseSimulateArgs(["--env", "prod", "--input", "a.json"])).toEqual({ error: "use either --env or --input, not both" });
    expect(parseSimulateArgs(["--input", "dir/my-input.json"])).toEqual({ env: "my-input", input: "dir/my-input.json", seed: 1, compact: false, json: false, outDir: "reports" });
    expect(parseSimulateArgs(["--env", "prod", "--seed", "-1"])).toEqual({ error: '--seed must be an integer from 0 to 4294967295, got "-1"' });
    expect(parseSimulateArgs(["--env"])).toEqual({ error: "--env needs a value" });
    expect(parseSimulateArgs(["--bogus"])).toEqual({ error: 'unknown argument "--bogus"' });
    expect(parseSimulateArgs(["-h"])).toBe("help");
  });

  test("prints the summary, writes reports/<env>/<profile>.svg and exits 0 or 3 by the verdict", () => {
    const t = io();
    const code = runSimulateCli(["--env", "dev", "--compact"], t.io, envs);
    expect([0, 3]).toContain(code);
    expect(Object.keys(t.written)).toEqual(["reports/dev/daily-peak-compact.svg"]);
    expect(t.out[0]).toContain("daily-peak on dev");
    expect(t.out[0]).toMatch(/TTFT +p50 .* p99 .*\(SLO p99 3\.00 s\)/);
    expect(t.out[0]).toContain("chart         reports/dev/daily-peak-compact.svg");
    expect(t.out[0]).toContain(code === 0 ? "verdict       SLO met" : "verdict       SLO NOT met");
  });

  test("--json prints the summary as JSON", () => {
    const t = io();
    runSimulateCli(["--env", "dev", "--compact", "--json", "--profile", "peak-zone-loss"], t.io, envs);
    const parsed = JSON.parse(t.out[0]!);
    expect(parsed.profile).toBe("peak-zone-loss");
    expect(parsed.chart).toBe("reports/dev/peak-zone-loss-compact.svg");
    expect(typeof parsed.summary.ttftSeconds.p99).toBe("number");
  });

  test("a custom JSON profile is validated; problems go to stderr with exit 1", () => {
    const ok = io({ "p.json": JSON.stringify({ name: "short", durationSeconds: 600, rate: [{ atSeconds: 0, peakMultiple: 1 }] }) });
    expect([0, 3]).toContain(runSimulateCli(["--env", "dev", "--profile", "p.json"], ok.io, envs));
    expect(Object.keys(ok.written)).toEqual(["reports/dev/short.svg"]);
    const bad = io({ "p.json": JSON.stringify({ name: "short", durationSeconds: 1, rate: [] }) });
    expect(runSimulateCli(["--env", "dev", "--profile", "p.json"], bad.io, envs)).toBe(1);
    expect(bad.err[0]).toContain("SIM_PROFILE_DURATION");
    expect(bad.err[0]).toContain("SIM_PROFILE_RATE");
    const missing = io();
    expect(runSimulateCli(["--env", "dev", "--profile", "nope.json"], missing.io, envs)).toBe(1);
    expect(missing.err[0]).toContain("cannot read profile nope.json");
  });

  test("--input plans and simulates a CapacityInput JSON file (default profile daily-peak); its problems exit 1", () => {
    const good = io({ "in.json": readFileSync(join(__dirname, "../../../lib/capacity/examples/capacity-input.json"), "utf8") });
    expect([0, 3]).toContain(runSimulateCli(["--input", "in.json", "--compact"], good.io, envs));
    expect(Object.keys(good.written)).toEqual(["reports/in/daily-peak-compact.svg"]);
    expect(good.out[0]).toContain("daily-peak on in");
    const typo = io({ "in.json": JSON.stringify({ ...JSON.parse(good.io.readFile("in.json")), safetyFacter: 2 }) });
    expect(runSimulateCli(["--input", "in.json"], typo.io, envs)).toBe(1);
    expect(typo.err[0]).toContain("did you mean `safetyFactor`?");
  });

  test("usage errors exit 2: unknown environment, unknown profile name is exit 1", () => {
    const t = io();
    expect(runSimulateCli(["--env", "qa"], t.io, envs)).toBe(2);
    expect(t.err[0]).toContain('unknown environment "qa"; known: dev');
    const u = io();
    expect(runSimulateCli(["--env", "dev", "--profile", "black-friday"], u.io, envs)).toBe(1);
    expect(u.err[0]).toContain("SIM_PROFILE_UNKNOWN");
  });

  test("formatSummary reports Little's law and the Kafka drain", () => {
    const plan = makePlan({ peakRequestsPerSecond: 5, minReplicas: 2, maxReplicas: 4 });
    const text = formatSummary(plan, simulate(plan, constantProfile(5, 600)), "test");
    expect(text).toMatch(/Little's law +L = [\d.]+ in system; lambda x W = [\d.]+/);
    expect(text).toMatch(/Kafka +max lag \d+, longest wait .*: drained in time/);
  });
});
