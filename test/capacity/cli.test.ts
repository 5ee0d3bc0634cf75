import { resolve } from "path";
import { readFileSync } from "fs";
import { DEV_WORKLOAD, PROD_WORKLOAD, runPlanCli, STAGING_WORKLOAD } from "../../lib/capacity";
import type { EnvironmentSource, PlanCliIo } from "../../lib/capacity";

function io(): PlanCliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readFile: (p) => readFileSync(p, "utf8") };
}

const envs: EnvironmentSource = {
  names: () => ["staging", "prod"],
  input: (n) => (n === "prod" ? { ...PROD_WORKLOAD, availabilityZones: 3 } : n === "staging" ? { ...STAGING_WORKLOAD, availabilityZones: 3 } : undefined),
};
// The report tests print a whole report, a simulated day included: the dev preset's day takes a
// fraction of a second where prod's takes seconds. The shipped prod environment's report is
// compared with the README by test/stacks/readme-output.test.ts.
const devEnv: EnvironmentSource = { names: () => ["dev"], input: (n) => (n === "dev" ? { ...DEV_WORKLOAD, availabilityZones: 2 } : undefined) };
const fixture = (name: string): string => resolve(__dirname, "fixtures", name);

describe("runPlanCli", () => {
  it("--verdicts prints both verdicts per profile and the brute-force line (a one-type input keeps it to one pair)", () => {
    const o = io();
    const oneType: PlanCliIo = { ...o, readFile: (p) => JSON.stringify({ ...JSON.parse(readFileSync(p, "utf8")), gpu: { instanceTypes: ["g5.xlarge"] } }) };
    expect(runPlanCli(["--input", fixture("small-8b.json"), "--verdicts"], oneType)).toBe(0);
    const text = o.out.join("\n");
    expect(text).toMatch(/\(gate: daily-peak\)/);
    for (const p of ["daily-peak", "festival-spike", "bank-batch-day", "peak-zone-loss"]) expect(text).toMatch(new RegExp(`\\n  ${p} +planner (pass|fail|not declared) +simulator (pass|fail)`));
    expect(text).toMatch(/brute force over 1 \(type, TP\) pairs x replicas\.min/);
    expect(text).toMatch(/cheapest passing g5\.xlarge TP1 .*plan is (the cheapest|[\d.]+% above it)/);
  });

  it("--env dev prints the report", () => {
    const o = io();
    expect(runPlanCli(["--env", "dev"], o, devEnv)).toBe(0);
    const text = o.out.join("\n");
    expect(text).toContain("dev: meta-llama/Llama-3.1-8B-Instruct");
    expect(text).toMatch(/GPU cost from the simulated day \(daily-peak, SLO (met|NOT met)\)/);
    expect(o.err).toEqual([]);
  });

  it("links the simulation chart of an environment's declared profile, and only then", () => {
    const o = io();
    const withProfile: EnvironmentSource = { ...devEnv, simulationProfile: (n) => (n === "dev" ? "festival-spike" : undefined) };
    expect(runPlanCli(["--env", "dev"], o, withProfile)).toBe(0);
    expect(o.out.join("\n")).toContain("chart reports/dev/festival-spike.svg (npm run simulate -- --env dev --profile festival-spike)");
    const s = io();
    expect(runPlanCli(["--env", "dev"], s, devEnv)).toBe(0);
    expect(s.out.join("\n")).not.toContain("Simulation:");
  });

  it("--env prod --json prints the plan as JSON", () => {
    const o = io();
    expect(runPlanCli(["--env=prod", "--json"], o, envs)).toBe(0);
    const plan = JSON.parse(o.out.join(""));
    expect(plan.inference.replicas.min).toBeGreaterThanOrEqual(2);
    expect(plan.input.availabilityZones).toBe(3);
  });

  it("without --env plans every environment", () => {
    const o = io();
    expect(runPlanCli(["--json"], o, envs)).toBe(0);
    expect(Object.keys(JSON.parse(o.out.join("")))).toEqual(["staging", "prod"]);
  });

  it("--input plans a CapacityInput file", () => {
    const o = io();
    expect(runPlanCli(["--input", fixture("small-8b.json"), "--json"], o)).toBe(0);
    const plan = JSON.parse(o.out.join(""));
    expect(plan.input.model.name).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(plan.input.availabilityZones).toBe(2);
  });

  it("fails when the input is invalid: exit 1, every problem on stderr, no stack trace", () => {
    const o = io();
    expect(runPlanCli(["--input", fixture("invalid.json")], o)).toBe(1);
    const err = o.err.join("\n");
    expect(err).toContain("workload.peakRequestsPerSecond [CAPACITY_FIELD_INVALID]");
    expect(err).toContain("workload.slo.availability [CAPACITY_FIELD_INVALID]");
    expect(err).toContain("model.precision [CAPACITY_FIELD_INVALID]");
    expect(err).toContain("gpu.instanceTypes[0] [CAPACITY_UNKNOWN_INSTANCE_TYPE]");
    expect(err).not.toMatch(/\n\s+at /);
    expect(o.out).toEqual([]);
  });

  it("fails when the environment is unknown or the arguments are wrong", () => {
    const a = io();
    expect(runPlanCli(["--env", "qa"], a, envs)).toBe(1);
    expect(a.err.join("")).toContain('unknown environment "qa"; known: staging, prod');
    const b = io();
    expect(runPlanCli(["--bogus"], b, envs)).toBe(2);
    expect(b.err.join("")).toContain('unknown argument "--bogus"');
    const c = io();
    expect(runPlanCli(["--env"], c, envs)).toBe(2);
    const d = io();
    expect(runPlanCli(["--input", fixture("missing.json")], d)).toBe(1);
    expect(d.err.join("")).toContain("cannot read");
  });
});
