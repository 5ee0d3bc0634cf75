import { ValidationError } from "../../lib/core/validation";
import { EncryptedLogGroup } from "../../lib/security/encrypted-log-group";
import { KmsKey } from "../../lib/security/kms-key";
import { onlyResource, synthJson, testStack } from "../helpers/synth";

describe("KmsKey", () => {
  test("rotates, waits 30 days before deletion, refuses destroy and has an explicit policy", () => {
    const { stack } = testStack();
    new KmsKey(stack, "Key", { alias: "hr-data", description: "data" });
    const json = synthJson(stack);
    const key = onlyResource(json, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
    const policy = JSON.parse(key.policy);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(["AccountAdministersThroughIam"]);
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/hr-data");
  });

  test("admits CloudWatch Logs only for this account's log groups when asked", () => {
    const { stack } = testStack();
    const key = new KmsKey(stack, "Key", { alias: "hr-logs", description: "logs", allowCloudWatchLogs: true, deletionWindowDays: 7 });
    new EncryptedLogGroup(stack, "Group", { name: "/x", kmsKey: key, retentionDays: 30 });
    const json = synthJson(stack);
    const statement = JSON.parse(onlyResource(json, "aws_kms_key").policy).Statement[1];
    expect(statement.Principal.Service).toMatch(/^logs\./);
    expect(statement.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toMatch(/:log-group:\*$/);
    expect(onlyResource(json, "aws_kms_key").deletion_window_in_days).toBe(7);
    expect(onlyResource(json, "aws_cloudwatch_log_group").retention_in_days).toBe(30);
  });

  test("fails on an alias with the prefix and a deletion window outside 7-30 days", () => {
    const { stack } = testStack();
    expect(() => new KmsKey(stack, "Key", { alias: "alias/x", description: "d", deletionWindowDays: 3 })).toThrow(
      expect.objectContaining({ codes: ["KMS_DELETION_WINDOW", "KMS_ALIAS"] }),
    );
  });

  test("log groups refuse a retention CloudWatch does not offer", () => {
    const { stack } = testStack();
    const key = new KmsKey(stack, "Key", { alias: "k", description: "d" });
    expect(() => new EncryptedLogGroup(stack, "G", { name: "/x", kmsKey: key, retentionDays: 10 })).toThrow(ValidationError);
    expect(() => new EncryptedLogGroup(stack, "G2", { name: "/x", kmsKey: key, retentionDays: 10 })).toThrow(/retentionDays \[LOG_RETENTION\]: got 10/);
  });
});
