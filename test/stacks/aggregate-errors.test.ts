/**
 * Bad input in several environments is reported once, completely: every problem of every
 * environment, each under its `environments.<env>` path, and nothing is written.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ValidationError } from "../../lib/core/validation";
import { removeStaleScratch, synthesizeAll } from "../../stacks/app";
import { ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";

function failedSynth(environments: Readonly<Record<string, EnvironmentConfig>>): { error: ValidationError; outdir: string } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-agg-")), "out");
  let error: unknown;
  try {
    synthesizeAll({ outdir, environments });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  // Nothing written: no output directory and no scratch directory left next to it.
  expect(fs.existsSync(outdir)).toBe(false);
  expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  return { error: error as ValidationError, outdir };
}

describe("construct-level input of every environment in one error", () => {
  test("two environments with two problems each: four problems, one message, environment paths", () => {
    const { error } = failedSynth({
      ...ENVIRONMENTS,
      dev: { ...ENVIRONMENTS.dev, serving: { ...ENVIRONMENTS.dev.serving, workerImage: "registry/worker:latest", kafkaCliImage: "registry/kafka-cli" } },
      prod: {
        ...ENVIRONMENTS.prod,
        mesh: { canary: { image: "registry/vllm", weightPercent: 10 } },
        serving: { ...ENVIRONMENTS.prod.serving, hosts: ["not a host"] },
      },
    });
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([
      ["ENV_WORKER_IMAGE", "environments.dev.serving.workerImage"],
      ["ENV_KAFKA_CLI_IMAGE", "environments.dev.serving.kafkaCliImage"],
      ["ENV_CANARY_IMAGE", "environments.prod.mesh.canary.image"],
      ["ENV_SERVING_HOST", "environments.prod.serving.hosts[0]"],
    ]);
    expect(error.message.split("\n")[0]).toBe("Invalid environment configuration (4 problems):");
  });

  test("a construct that refuses its props does not hide the other environments' problems", () => {
    // 41 CIDRs pass the environment checks; the EksCluster construct refuses more than 40 (EKS's limit).
    const cidrs = Array.from({ length: 41 }, (_, i) => `198.51.100.${i}/32`);
    const { error } = failedSynth({
      ...ENVIRONMENTS,
      dev: { ...ENVIRONMENTS.dev, cluster: { ...ENVIRONMENTS.dev.cluster, publicEndpointCidrs: cidrs } },
      staging: { ...ENVIRONMENTS.staging, cluster: { ...ENVIRONMENTS.staging.cluster, publicEndpointCidrs: cidrs } },
    });
    expect(error.problems.map((p) => p.path)).toEqual([
      "environments.dev (EksCluster 'dev-foundation/Cluster' props).publicEndpoint.allowedCidrs",
      "environments.staging (EksCluster 'staging-foundation/Cluster' props).publicEndpoint.allowedCidrs",
    ]);
  });
});

describe("scratch directories of killed synths", () => {
  test("are removed when their process is gone, kept while it lives", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-scratch-"));
    const outdir = path.join(dir, "cdktf.out");
    // A pid far above any pid_max (2^22) cannot belong to a live process.
    const dead = path.join(dir, "cdktf.out.partial-99999999");
    const live = path.join(dir, `cdktf.out.partial-${process.ppid}`);
    const unrelated = path.join(dir, "cdktf.out.partial-notapid");
    for (const d of [dead, live, unrelated]) fs.mkdirSync(path.join(d, "stacks"), { recursive: true });
    expect(removeStaleScratch(outdir)).toEqual(["cdktf.out.partial-99999999"]);
    expect([dead, live, unrelated].map((d) => fs.existsSync(d))).toEqual([false, true, true]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("synth removes them first, even when it then fails on bad input", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-scratch-"));
    const dead = path.join(dir, "out.partial-99999999");
    fs.mkdirSync(dead);
    expect(() => synthesizeAll({ outdir: path.join(dir, "out"), environments: { ...ENVIRONMENTS, dev: { ...ENVIRONMENTS.dev, region: "mars-1" } } })).toThrow(ValidationError);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
