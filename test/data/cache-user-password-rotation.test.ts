import { CacheUserPasswordRotation } from "../../lib/data/cache-user-password-rotation";
import { RedisCluster } from "../../lib/data/redis-cluster";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { BASE, RecordingGrantee, stack, validationError } from "./fixtures";

const ACCESS = "on ~vllm@* resetchannels -@all +get +set +exists +del";

function synth(rotationDays?: number) {
  const s = stack();
  const cache = new RedisCluster(s, "Cache", { ...BASE, nodeType: "cache.r7g.large", shards: 1, passwordUsers: [{ userName: "headroom-test-kv", accessString: ACCESS }] });
  const rotation = new CacheUserPasswordRotation(s, "KvCredential", { cache, userName: "headroom-test-kv", vpcId: BASE.vpcId, subnetIds: BASE.subnetIds, kmsKey: BASE.kmsKey, namePrefix: BASE.namePrefix, ...(rotationDays !== undefined ? { rotationDays } : {}) });
  return { s, cache, rotation, json: synthJson(s) };
}

describe("RedisCluster passwordUsers", () => {
  const { json } = synth();
  const users = resourcesOf(json, "aws_elasticache_user");
  const kv = Object.values(users).find((u: any) => u.user_name === "headroom-test-kv") as any;

  test("a password user with the given access string joins the user group; its password is a reference, never a literal", () => {
    expect(kv.access_string).toBe(ACCESS);
    expect(kv.authentication_mode.type).toBe("password");
    expect(kv.authentication_mode.passwords).toEqual([expect.stringMatching(/^\$\{data\.aws_secretsmanager_random_password\.[^}]+\.random_password\}$/)]);
    // The rotation function owns the password after the first apply.
    expect(kv.lifecycle.ignore_changes).toEqual(["authentication_mode", "passwords"]);
    expect(onlyResource(json, "aws_elasticache_user_group").user_ids).toContain("${aws_elasticache_user.Cache_PasswordUser-headroom-test-kv_" + Object.keys(users).find((k) => users[k] === kv)!.split("_").pop() + ".user_id}");
  });

  test("fails on access strings that match every key, allow every command or need no password", () => {
    const make = (accessString: string) => () => new RedisCluster(stack(), "Cache", { ...BASE, nodeType: "cache.r7g.large", shards: 1, passwordUsers: [{ userName: "kv", accessString }] });
    for (const [access, why] of [
      ["on ~* +@all", /does not match every key/],
      ["on ~vllm@* +@all", /does not allow every command/],
      ["on ~vllm@* nopass +get", /has no 'nopass'/],
      ["on +get", /names the key patterns/],
      ["off ~vllm@* +get", /is switched on first/],
    ] as const) {
      const e = validationError(make(access));
      expect(e.message).toMatch(/passwordUsers\[0\]\.accessString/);
      expect(e.message).toMatch(why);
    }
  });

  test("passwordUser() names the users there are", () => {
    expect(validationError(() => synth().cache.passwordUser("nobody")).message).toMatch(/passwordUser[\s\S]*userName[\s\S]*one of headroom-test-kv/);
  });
});

describe("CacheUserPasswordRotation", () => {
  const { json, rotation } = synth();

  test("the secret is encrypted with the customer key and rotated immediately, then every 30 days by the function", () => {
    const secret = onlyResource(json, "aws_secretsmanager_secret");
    expect(secret.kms_key_id).toBe(BASE.kmsKey.keyArn);
    expect(secret.name).toBe("headroom-test/cache/headroom-test-kv");
    const r = onlyResource(json, "aws_secretsmanager_secret_rotation");
    expect(r.rotate_immediately).toBe(true);
    expect(r.rotation_rules.automatically_after_days).toBe(30);
    expect(r.rotation_lambda_arn).toMatch(/^\$\{aws_lambda_function\..*\.arn\}$/);
    expect(onlyResource(synth(7).json, "aws_secretsmanager_secret_rotation").rotation_rules.automatically_after_days).toBe(7);
    expect(validationError(() => synth(0)).message).toMatch(/rotationDays/);
  });

  test("no password in the JSON: the first version is write-only and holds the user's name and ARN only", () => {
    const v = onlyResource(json, "aws_secretsmanager_secret_version");
    expect(v.secret_string).toBeUndefined();
    expect(v.secret_string_wo).toMatch(/^\$\{jsonencode\(/);
    expect(v.secret_string_wo).not.toMatch(/password/);
    expect(v.secret_string_wo).toMatch(/"bootstrap" = true|bootstrap.*true/);
    expect(JSON.stringify(json)).not.toMatch(/"password"\s*:\s*"[A-Za-z0-9]{16,}"/);
  });

  test("the function runs in the VPC with its own security group, encrypted environment and logs, and the stored code", () => {
    const fn = onlyResource(json, "aws_lambda_function");
    expect(fn.runtime).toBe("nodejs22.x");
    expect(fn.vpc_config.subnet_ids).toEqual([...BASE.subnetIds]);
    expect(fn.vpc_config.security_group_ids).toHaveLength(1);
    expect(fn.kms_key_arn).toBe(BASE.kmsKey.keyArn);
    expect(fn.logging_config.log_group).toMatch(/^\$\{aws_cloudwatch_log_group\./);
    expect(fn.environment.variables.USER_ID).toMatch(/aws_elasticache_user\..*user_id/);
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const logs = Object.values(resourcesOf(json, "aws_cloudwatch_log_group")).find((g: any) => String(g.name).startsWith("/aws/lambda/")) as any;
    expect(logs.kms_key_id).toBe(BASE.kmsKey.keyArn);
  });

  test("least privilege: this secret, this user, the key through Secrets Manager and Lambda only, its own log group", () => {
    const policy = JSON.parse(onlyResource(json, "aws_iam_role_policy").policy);
    const by = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
    expect(by("RotateThisSecret").Resource).toMatch(/aws_secretsmanager_secret\..*\.arn/);
    expect(by("SetThisUsersPassword").Resource).toMatch(/aws_elasticache_user\..*\.arn/);
    expect(by("SecretKey").Condition.StringEquals["kms:ViaService"]).toMatch(/^secretsmanager\./);
    expect(by("OwnLogs").Resource).toMatch(/aws_cloudwatch_log_group\..*\.arn\}:\*$/);
    // "*" only where the action has no resource type.
    const wild = policy.Statement.filter((s: any) => s.Resource === "*").flatMap((s: any) => [s.Action].flat());
    expect(wild.sort()).toEqual(["ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses", "secretsmanager:GetRandomPassword"]);
    const trust = JSON.parse(onlyResource(json, "aws_iam_role").assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBeDefined();
    const permission = onlyResource(json, "aws_lambda_permission");
    expect(permission.principal).toBe("secretsmanager.amazonaws.com");
    expect(permission.source_arn).toMatch(/aws_secretsmanager_secret\..*\.arn/);
  });

  test("the function reaches the cache port and HTTPS only", () => {
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")) as any[];
    const fnSg = onlyResource(json, "aws_lambda_function").vpc_config.security_group_ids[0];
    const own = egress.filter((r) => r.security_group_id === fnSg);
    expect(own.map((r) => r.from_port).sort()).toEqual([443, 6379]);
  });

  test("grantRead gives GetSecretValue on this secret and Decrypt through Secrets Manager only", () => {
    const g = new RecordingGrantee();
    rotation.grantRead(g);
    expect(g.actions).toEqual(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt"]);
    expect(g.statements[1]!.conditions).toEqual({ StringEquals: { "kms:ViaService": expect.stringMatching(/^secretsmanager\./) } });
  });
});
