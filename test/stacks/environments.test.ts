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
