/** Cases for the remote KV tier's rules: secrets, their rotation, cache users and the rotation function. */
import { ref, RuleCase, tf } from "../helpers";

const KEY = ref("aws_kms_key.k", "arn");
const secret = (over: Record<string, unknown>) => tf({ aws_secretsmanager_secret: { s: { name: "s", ...over } } });
const rotation = (over: Record<string, unknown>) => tf({ aws_secretsmanager_secret_rotation: { r: { secret_id: "s", rotation_lambda_arn: "arn", rotation_rules: { automatically_after_days: 30 }, ...over } } });
const user = (access: string, mode: Record<string, unknown> = { type: "password", passwords: [ref("data.aws_secretsmanager_random_password.p", "random_password")] }) =>
  tf({ aws_elasticache_user: { u: { user_id: "kv", user_name: "kv", engine: "redis", access_string: access, authentication_mode: mode } } });
const GOOD_ACCESS = "on ~vllm@* resetchannels -@all +get +set +exists +del";
const fn = (over: Record<string, unknown>) => ({
  function_name: "rotate",
  role: "r",
  kms_key_arn: KEY,
  environment: { variables: { USER_ID: ref("aws_elasticache_user.u", "user_id") } },
  vpc_config: { subnet_ids: ["subnet-a"], security_group_ids: [ref("aws_security_group.g")] },
  logging_config: { log_format: "JSON", log_group: ref("aws_cloudwatch_log_group.l", "name") },
  ...over,
});
const rotatedUser = (fnOver: Record<string, unknown> = {}) =>
  tf({
    aws_elasticache_user: { u: { user_id: "kv", user_name: "kv", engine: "redis", access_string: GOOD_ACCESS, authentication_mode: { type: "password", passwords: ["${data.x.y.z}"] } } },
    aws_lambda_function: { f: fn(fnOver) },
    aws_secretsmanager_secret_rotation: { r: { secret_id: "s", rotation_lambda_arn: ref("aws_lambda_function.f", "arn"), rotation_rules: { automatically_after_days: 30 } } },
  });
const lambda = (over: Record<string, unknown>) => tf({ aws_lambda_function: { f: fn(over) } });
const permission = (over: Record<string, unknown>) => tf({ aws_lambda_permission: { p: { action: "lambda:InvokeFunction", function_name: "f", principal: "secretsmanager.amazonaws.com", source_arn: ref("aws_secretsmanager_secret.s", "arn"), ...over } } });

export const KV_TIER_CASES: readonly RuleCase[] = [
  { rule: "HR-SEC-2", name: "customer key", address: "aws_secretsmanager_secret.s", json: secret({ kms_key_id: KEY }), expect: "compliant" },
  { rule: "HR-SEC-2", name: "no key (aws/secretsmanager)", address: "aws_secretsmanager_secret.s", json: secret({}), expect: "non-compliant", reason: "no customer-managed key" },
  { rule: "HR-SEC-2", name: "the AWS-managed alias", address: "aws_secretsmanager_secret.s", json: secret({ kms_key_id: "alias/aws/secretsmanager" }), expect: "non-compliant", reason: "AWS-managed" },

  { rule: "HR-SEC-3", name: "every 30 days, at creation", address: "aws_secretsmanager_secret_rotation.r", json: rotation({}), expect: "compliant" },
  { rule: "HR-SEC-3", name: "yearly", address: "aws_secretsmanager_secret_rotation.r", json: rotation({ rotation_rules: { automatically_after_days: 365 } }), expect: "non-compliant", reason: "365" },
  { rule: "HR-SEC-3", name: "no first rotation", address: "aws_secretsmanager_secret_rotation.r", json: rotation({ rotate_immediately: false }), expect: "non-compliant", reason: "rotate_immediately" },
  { rule: "HR-SEC-3", name: "no schedule", address: "aws_secretsmanager_secret_rotation.r", json: rotation({ rotation_rules: {} }), expect: "non-compliant", reason: "neither" },

  { rule: "HR-REDIS-7", name: "password user with a narrow ACL", address: "aws_elasticache_user.u", json: user(GOOD_ACCESS), expect: "compliant" },
  { rule: "HR-REDIS-7", name: "IAM user", address: "aws_elasticache_user.u", json: user("on ~* +@all -@dangerous", { type: "iam" }), expect: "compliant" },
  { rule: "HR-REDIS-7", name: "disabled default user", address: "aws_elasticache_user.u", json: user("off ~* -@all", { type: "no-password-required" }), expect: "not-applicable" },
  { rule: "HR-REDIS-7", name: "on without a password", address: "aws_elasticache_user.u", json: user("on ~* +@all", { type: "no-password-required" }), expect: "non-compliant", reason: "without a credential" },
  { rule: "HR-REDIS-7", name: "nopass in the ACL", address: "aws_elasticache_user.u", json: user("on ~app:* nopass +get"), expect: "non-compliant", reason: "nopass" },
  { rule: "HR-REDIS-7", name: "password user on every key", address: "aws_elasticache_user.u", json: user("on ~* -@all +get"), expect: "non-compliant", reason: "every key" },
  { rule: "HR-REDIS-7", name: "password user with every command", address: "aws_elasticache_user.u", json: user("on ~vllm@* +@all"), expect: "non-compliant", reason: "+@all" },

  { rule: "HR-REDIS-8", name: "rotated by a function naming the user", address: "aws_elasticache_user.u", json: rotatedUser(), expect: "compliant" },
  { rule: "HR-REDIS-8", name: "rotation of another user", address: "aws_elasticache_user.u", json: rotatedUser({ environment: { variables: { USER_ID: "someone-else" } } }), expect: "non-compliant", reason: "never rotated" },
  { rule: "HR-REDIS-8", name: "no rotation at all", address: "aws_elasticache_user.u", json: user(GOOD_ACCESS), expect: "non-compliant", reason: "never rotated" },
  { rule: "HR-REDIS-8", name: "IAM user", address: "aws_elasticache_user.u", json: user("on ~* +@all -@dangerous", { type: "iam" }), expect: "not-applicable" },

  { rule: "HR-LAMBDA-1", name: "VPC, customer key, named log group", address: "aws_lambda_function.f", json: lambda({}), expect: "compliant" },
  { rule: "HR-LAMBDA-1", name: "outside the VPC", address: "aws_lambda_function.f", json: lambda({ vpc_config: undefined }), expect: "non-compliant", reason: "outside the VPC" },
  { rule: "HR-LAMBDA-1", name: "no security group", address: "aws_lambda_function.f", json: lambda({ vpc_config: { subnet_ids: ["a"], security_group_ids: [] } }), expect: "non-compliant", reason: "outside the VPC" },
  { rule: "HR-LAMBDA-1", name: "environment with the AWS key", address: "aws_lambda_function.f", json: lambda({ kms_key_arn: undefined }), expect: "non-compliant", reason: "kms_key_arn" },
  { rule: "HR-LAMBDA-1", name: "default log group", address: "aws_lambda_function.f", json: lambda({ logging_config: undefined }), expect: "non-compliant", reason: "log_group" },

  { rule: "HR-LAMBDA-2", name: "Secrets Manager for one secret", address: "aws_lambda_permission.p", json: permission({}), expect: "compliant" },
  { rule: "HR-LAMBDA-2", name: "Secrets Manager for any secret", address: "aws_lambda_permission.p", json: permission({ source_arn: undefined }), expect: "non-compliant", reason: "source_arn" },
  { rule: "HR-LAMBDA-2", name: "an account principal", address: "aws_lambda_permission.p", json: permission({ principal: "111122223333", source_arn: undefined }), expect: "not-applicable" },
];
