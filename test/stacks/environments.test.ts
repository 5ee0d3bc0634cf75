import { Problems, ValidationError } from "../../lib/core/validation";
import { ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";
import { validateEnvironments } from "../../stacks/validate-environments";

function problemsOf(envs: Record<string, EnvironmentConfig>): ValidationError | undefined {
  const problems = new Problems("environment configuration");
  validateEnvironments(envs, problems);
  try {
    problems.throwIfAny();
    return undefined;
  } catch (e) {
    return e as ValidationError;
  }
}

describe("environments", () => {
  test("the shipped environments are valid", () => {
    expect(problemsOf({ ...ENVIRONMENTS })).toBeUndefined();
  });

  test("production keeps 3 AZs, a private endpoint, an account allow-list and no fault injection", () => {
    const prod = ENVIRONMENTS.prod;
    expect(prod.production).toBe(true);
    expect(prod.azCount).toBe(3);
    expect(prod.cluster.publicEndpointCidrs ?? []).toEqual([]);
    expect(prod.allowedAccountIds.length).toBeGreaterThan(0);
    expect(prod.mesh.faultInjection).toBeUndefined();
  });

  test("lists every problem of every environment in one error, with path, value and what is allowed", () => {
    const broken: Record<string, EnvironmentConfig> = {
      ...ENVIRONMENTS,
      prod: {
        ...ENVIRONMENTS.prod,
        region: "us-east-9",
        azCount: 2,
        vpcCidr: "10.30.0.0/24",
        allowedAccountIds: [],
        cluster: { adminRoleArns: ["arn:aws:iam::123456789012:role/admin"], publicEndpointCidrs: ["0.0.0.0/0"] },
        mesh: { faultInjection: { delayPercent: 1, delaySeconds: 1, abortPercent: 1 } },
      },
      staging: { ...ENVIRONMENTS.staging, namePrefix: "headroom-dev", vpcCidr: "10.20.0.1/16" },
      dev: { ...ENVIRONMENTS.dev, vpcCidr: "8.8.0.0/16", azCount: 1 },
    };
    const error = problemsOf(broken)!;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.codes).toEqual([
      "ENV_AZ_COUNT",
      "ENV_VPC_CIDR_PRIVATE",
      "ENV_DUPLICATE",
      "ENV_VPC_CIDR",
      "ENV_REGION",
      "ENV_AZ_COUNT",
      "ENV_VPC_CIDR_SIZE",
      "ENV_ACCOUNTS_REQUIRED",
      "ENV_PUBLIC_ENDPOINT",
      "ENV_PUBLIC_ENDPOINT_CIDR",
      "ENV_FAULT_INJECTION_PROD",
    ]);
    expect(error.message).toContain("Invalid environment configuration (11 problems):");
    expect(error.message).toContain('environments.prod.region [ENV_REGION]: got "us-east-9"; allowed: one of "us-east-1"');
    expect(error.message).toContain("environments.prod.azCount [ENV_AZ_COUNT]: got 2; allowed: an integer from 3 to 3");
    expect(error.message).toContain('environments.staging.namePrefix [ENV_DUPLICATE]: got "headroom-dev"; allowed: a value not already used by environment "dev"');
    expect(error.message).toContain('environments.dev.vpcCidr [ENV_VPC_CIDR_PRIVATE]: got "8.8.0.0/16"');
    expect(error.message).toContain("environments.prod.allowedAccountIds [ENV_ACCOUNTS_REQUIRED]: got []");
  });

  test("refuses malformed account ids, admin role ARNs, state buckets and names", () => {
    const error = problemsOf({
      dev: {
        ...ENVIRONMENTS.dev,
        name: "Dev",
        allowedAccountIds: ["1234"],
        cluster: { adminRoleArns: ["arn:aws:iam::1:user/x"] },
        state: { bucket: "Not_A_Bucket" },
        tracingSamplingPercent: 150,
        mesh: { canary: { image: "vllm/vllm-openai:latest", weightPercent: 110 } },
      },
    })!;
    expect(error.codes).toEqual(["ENV_NAME", "ENV_NAME_KEY", "ENV_ACCOUNT_ID", "ENV_ADMIN_ROLE_ARN", "ENV_TRACING_SAMPLING", "ENV_CANARY_WEIGHT", "ENV_CANARY_IMAGE", "ENV_STATE_BUCKET"]);
  });

  test("GPU provisioning and chaos settings: no automatic drills in production, Karpenter-only options named", () => {
    const error = problemsOf({
      prod: { ...ENVIRONMENTS.prod, chaos: { weeklySchedule: { day: "TUE", hourUtc: 10 } } },
      staging: { ...ENVIRONMENTS.staging, gpuNodes: { provisioner: "cluster-autoscaler", asyncSpotMaxGpus: 8 } },
      dev: { ...ENVIRONMENTS.dev, gpuNodes: { provisioner: "both" as never } },
    })!;
    expect([...error.codes].sort()).toEqual(["ENV_CHAOS_SCHEDULE_PROD", "ENV_KARPENTER_ONLY", "ENV_NODE_PROVISIONER"]);
    expect(error.message).toContain("environments.prod.chaos.weeklySchedule [ENV_CHAOS_SCHEDULE_PROD]");
    expect(ENVIRONMENTS.staging.chaos?.weeklySchedule).toBeDefined();
    expect(ENVIRONMENTS.staging.mesh.faultInjection).toBeDefined();
  });
});

describe("environments: unknown keys", () => {
  test("a typo next to the real key fails with the environments.<env> path and a did-you-mean hint", () => {
    const typo = { ...ENVIRONMENTS.dev, azCuont: 3 } as unknown as EnvironmentConfig;
    const error = problemsOf({ ...ENVIRONMENTS, dev: typo })!;
    expect(error.problems).toEqual([
      expect.objectContaining({ code: "ENV_UNKNOWN_KEY", path: "environments.dev.azCuont", value: "azCuont", allowed: expect.stringMatching(/^did you mean "azCount"\?/) }),
    ]);
  });

  test("unknown keys at every nesting level of every environment are collected into one error", () => {
    const dev = {
      ...ENVIRONMENTS.dev,
      cluster: { ...ENVIRONMENTS.dev.cluster, adminRoleArn: [] },
      mesh: { faultInjection: { delayPercent: 5, delaySeconds: 2, abortPercent: 1, abortPrecent: 2 } },
    } as unknown as EnvironmentConfig;
    const prod = {
      ...ENVIRONMENTS.prod,
      serving: { ...ENVIRONMENTS.prod.serving, workerImg: "x:1" },
      state: { ...ENVIRONMENTS.prod.state, keyprefix: "a" },
      teardown: { reason: "retire prod, ticket OPS-1", why: "x" },
    } as unknown as EnvironmentConfig;
    const error = problemsOf({ ...ENVIRONMENTS, dev, prod })!;
    expect(error.problems.map((p) => [p.code, p.path, p.allowed.match(/did you mean "([^"]+)"/)?.[1]])).toEqual([
      ["ENV_UNKNOWN_KEY", "environments.dev.cluster.adminRoleArn", "adminRoleArns"],
      ["ENV_UNKNOWN_KEY", "environments.dev.mesh.faultInjection.abortPrecent", "abortPercent"],
      ["ENV_UNKNOWN_KEY", "environments.prod.serving.workerImg", "workerImage"],
      ["ENV_UNKNOWN_KEY", "environments.prod.state.keyprefix", "keyPrefix"],
      ["ENV_UNKNOWN_KEY", "environments.prod.teardown.why", undefined],
    ]);
    expect(error.message).toMatch(/^Invalid environment configuration \(5 problems\):/);
  });

  test("the removed gpuNodes.peakWindows names its replacement (workload.dailyPeak), and other keys beside it are still checked", () => {
    const old = { ...ENVIRONMENTS.staging, gpuNodes: { peakWindows: [{ cronUtc: "0 17 * * *", durationMinutes: 300 }], modelSnapshotID: "snap-1" } } as unknown as EnvironmentConfig;
    const error = problemsOf({ ...ENVIRONMENTS, staging: old })!;
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([
      ["ENV_REMOVED_KEY", "environments.staging.gpuNodes.peakWindows"],
      ["ENV_UNKNOWN_KEY", "environments.staging.gpuNodes.modelSnapshotID"],
    ]);
    expect(error.problems[0]!.allowed).toMatch(/^peakWindows was removed; .*capacity\.workload\.dailyPeak \{ startClockSeconds, durationSeconds, rampSeconds \} in UTC/);
  });

  test("free-form maps (tags) and the capacity input (checked by planCapacity) are not key-checked here", () => {
    const dev = { ...ENVIRONMENTS.dev, tags: { anything: "goes", "team:owner": "ml" } };
    expect(problemsOf({ ...ENVIRONMENTS, dev })).toBeUndefined();
  });
});

describe("environments: serving inputs and teardown", () => {
  test("unpinned images, bad hosts and a bad TLS secret name are refused before any construct exists", () => {
    const dev: EnvironmentConfig = {
      ...ENVIRONMENTS.dev,
      serving: { hosts: ["API.Example.com"], tlsCredentialName: "Bad_Name", workerImage: "registry/worker:latest", kafkaCliImage: "registry/kafka-cli" },
    };
    expect(problemsOf({ ...ENVIRONMENTS, dev })!.problems.map((p) => [p.code, p.path])).toEqual([
      ["ENV_SERVING_HOST", "environments.dev.serving.hosts[0]"],
      ["ENV_SERVING_TLS_SECRET", "environments.dev.serving.tlsCredentialName"],
      ["ENV_WORKER_IMAGE", "environments.dev.serving.workerImage"],
      ["ENV_KAFKA_CLI_IMAGE", "environments.dev.serving.kafkaCliImage"],
    ]);
  });

  test("teardown needs a written reason", () => {
    const dev: EnvironmentConfig = { ...ENVIRONMENTS.dev, teardown: { reason: "bye" } };
    expect(problemsOf({ ...ENVIRONMENTS, dev })!.codes).toEqual(["ENV_TEARDOWN_REASON"]);
    expect(problemsOf({ ...ENVIRONMENTS, dev: { ...dev, teardown: { reason: "retire dev, ticket OPS-1234" } } })).toBeUndefined();
  });
});
