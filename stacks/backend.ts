import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { EnvironmentConfig } from "./environments";

/** Environment variable that switches every stack to a local backend (no AWS needed to synth or experiment). */
export const LOCAL_STATE_ENV = "HEADROOM_LOCAL_STATE";

/** Environment variables that override the state bucket, its region and the key prefix for every environment. */
export const STATE_OVERRIDE_ENV = { bucket: "HEADROOM_STATE_BUCKET", region: "HEADROOM_STATE_REGION", keyPrefix: "HEADROOM_STATE_PREFIX" } as const;

/** Terraform version every stack requires. */
export const MINIMUM_TERRAFORM_VERSION = ">= 1.11.0";

/** True when the local backend was asked for. */
export function localStateRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["1", "true", "yes"].includes((env[LOCAL_STATE_ENV] ?? "").toLowerCase());
}

/**
 * Configures the stack's state: S3 with server-side encryption and S3-native
 * lock files (`use_lockfile`, Terraform 1.10+; no DynamoDB table), one key per
 * stack, or a local file under `terraform.<stack>.tfstate` when
 * `HEADROOM_LOCAL_STATE=1`. Also pins the minimum Terraform version the stacks need.
 */
export function configureBackend(stack: TerraformStack, stackName: string, env: EnvironmentConfig, vars: NodeJS.ProcessEnv = process.env): void {
  // 1.10: S3-native state locking; 1.11: write-only arguments (the Grafana admin secret).
  stack.addOverride("terraform.required_version", MINIMUM_TERRAFORM_VERSION);
  if (localStateRequested(vars)) {
    new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
    return;
  }
  const keyPrefix = vars[STATE_OVERRIDE_ENV.keyPrefix] ?? env.state.keyPrefix ?? `headroom/${env.name}`;
  new S3Backend(stack, {
    bucket: vars[STATE_OVERRIDE_ENV.bucket] ?? env.state.bucket,
    region: vars[STATE_OVERRIDE_ENV.region] ?? env.state.region ?? env.region,
    key: `${keyPrefix}/${stackName}.tfstate`,
    encrypt: true,
  });
  // cdktf 0.21's S3BackendConfig predates Terraform 1.10's native S3 locking, so the flag is set as an override.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
