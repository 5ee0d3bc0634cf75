import * as fs from "fs";
import * as path from "path";
import { runPlanCli } from "../../lib/capacity/cli";
import { ValidationError } from "../../lib/core/validation";
import { planEnvironments, summarize } from "../../stacks/app";
import { capacityInputOf, ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";

/**
 * The README shows real output of `npm run synth`, `npm run plan` and of the errors synth prints. These
 * tests regenerate each block from the code and compare, so a change to the model, the environments or
 * the messages that is not carried into the README fails here. Update the README from the actual output
 * this test prints on failure; never the other way round.
 */
const README = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");

/** The lines of the first fenced block after `marker` in the README. */
function blockAfter(marker: string): string[] {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README has no "${marker}"`);
  const open = README.indexOf("```", at);
  const start = README.indexOf("\n", open) + 1;
  const end = README.indexOf("```", start);
  return README.slice(start, end).replace(/\n$/, "").split("\n");
}

function errorOf(envs: Record<string, EnvironmentConfig>): ValidationError {
  try {
    planEnvironments(envs);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

function planReport(argv: string[]): string[] {
  const out: string[] = [];
  const code = runPlanCli(argv, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), readFile: () => "" }, {
    names: () => Object.keys(ENVIRONMENTS),
    input: (name) => (ENVIRONMENTS[name] ? capacityInputOf(ENVIRONMENTS[name]) : undefined),
    simulationProfile: (name) => ENVIRONMENTS[name]?.simulationProfile,
  });
  expect(code).toBe(0);
  return out.join("\n").split("\n").map((l) => l.trimEnd());
}

describe("README output blocks are what the code prints", () => {
  test("Quick start: the synth summary", () => {
    const actual = [...summarize(planEnvironments()).split("\n"), `Synthesized ${Object.keys(ENVIRONMENTS).length * 3} stacks and ${Object.keys(ENVIRONMENTS).length} plan reports into cdktf.out/`];
    expect(blockAfter("Real output:")).toEqual(actual);
  });

  test("the prod plan excerpt and the classic comparison are lines of `npm run plan -- --env prod`", () => {
    const report = new Set(planReport(["--env", "prod"]));
    const shown = [...blockAfter("Excerpt of `npm run plan -- --env prod`:"), ...blockAfter("**Classic formula comparison.**")];
    expect(shown.filter((line) => !report.has(line.trimEnd()))).toEqual([]);
  });

  test("the simulation gate example: prod with a 3x spike ramping in 120 s for 600 s and a 300 s queue limit", () => {
    const prod = ENVIRONMENTS.prod;
    const error = errorOf({
      prod: { ...prod, capacity: { ...prod.capacity, workload: { ...prod.capacity.workload, spike: { multiplier: 3, rampSeconds: 120, durationSeconds: 600 }, maxQueueDelaySeconds: 300 } } },
    });
    expect(blockAfter("The error names the spike input as well as the profile:")).toEqual([...error.message.split("\n"), "Nothing was written."]);
  });

  test("the bad-input example: region, VPC size, public endpoint and an impossible TPOT in one message", () => {
    const prod = ENVIRONMENTS.prod;
    const error = errorOf({
      ...ENVIRONMENTS,
      prod: {
        ...prod,
        region: "us-east-9",
        vpcCidr: "10.30.0.0/24",
        cluster: { ...prod.cluster, publicEndpointCidrs: ["0.0.0.0/0"] },
        capacity: { ...prod.capacity, workload: { ...prod.capacity.workload, slo: { ...prod.capacity.workload.slo, tpotP99Seconds: 0.001 } } },
      },
    });
    const actual = [...error.message.split("\n"), "Nothing was written."];
    const shown = blockAfter("a `/24` VPC, a world-open public endpoint and an impossible TPOT SLO gives this");
    expect(shown).toHaveLength(actual.length);
    // The README shortens the region list ("..."): that line must be a prefix and suffix of the real one.
    shown.forEach((line, i) => {
      const [head, tail] = line.split(" ... ");
      if (tail === undefined) expect(line).toBe(actual[i]);
      else {
        expect(actual[i]?.startsWith(head as string)).toBe(true);
        expect(actual[i]?.endsWith(tail)).toBe(true);
      }
    });
  });
});
