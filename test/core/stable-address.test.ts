import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Construct } from "constructs";
import { pinAddress } from "../../lib/core/stable-address";
import { ModelBucket } from "../../lib/data";
import { BASE, stack, validationError } from "../data/fixtures";
import { synthJson } from "../helpers/synth";

describe("pinAddress", () => {
  test("the address does not follow the construct tree: the same bucket under a new parent keeps it", () => {
    const flat = stack();
    new ModelBucket(flat, "Models", { kmsKey: BASE.kmsKey, namePrefix: "headroom-a" });
    const nested = stack();
    new ModelBucket(new Construct(nested, "DataTier"), "RenamedBucket", { kmsKey: BASE.kmsKey, namePrefix: "headroom-b" });
    expect(Object.keys(synthJson(flat).resource!.aws_s3_bucket)).toEqual(["models"]);
    expect(Object.keys(synthJson(nested).resource!.aws_s3_bucket)).toEqual(["models"]);
  });

  test("two resources of one type with one name in a stack are an error naming the prop, never a merge", () => {
    const s = stack();
    new ModelBucket(s, "Models", { kmsKey: BASE.kmsKey, namePrefix: "headroom-a" });
    const error = validationError(() => new ModelBucket(s, "Archive", { kmsKey: BASE.kmsKey, namePrefix: "headroom-b" }));
    expect(error.codes).toEqual(["STABLE_ADDRESS_DUPLICATE"]);
    expect(error.message).toContain("a name not already used by 'test/Models/Resource' (aws_s3_bucket.models): give each construct its own addressName");
    new ModelBucket(s, "Archive2", { kmsKey: BASE.kmsKey, namePrefix: "headroom-c", addressName: "archive" });
    // (The refused construct stays in this test's tree; a real synth stops at the error.)
    expect(Object.keys(synthJson(s).resource!.aws_s3_bucket)).toEqual(expect.arrayContaining(["archive", "models"]));
  });

  test("refuses a name Terraform would not accept, and a pin after the resource was referenced", () => {
    const s = stack();
    const bucket = new S3Bucket(s, "B", {});
    expect(validationError(() => pinAddress(bucket, "1-starts-with-digit")).codes).toEqual(["STABLE_ADDRESS_NAME"]);
    // Referenced and resolved already: an override would be ignored (or refused by cdktf).
    const byAttribute = new S3Bucket(s, "C", {});
    new S3Bucket(s, "D", { bucket: byAttribute.bucket });
    synthJson(s);
    expect(() => pinAddress(byAttribute, "c")).toThrow(/called after the resource was referenced|Logical ID may not be overridden/);
  });

  test("an intended rename goes through a moved block (the README's recipe, cdktf 0.21 moveFromId)", () => {
    const s = stack();
    const bucket = new ModelBucket(s, "Models", { kmsKey: BASE.kmsKey, namePrefix: "headroom-a", addressName: "weights" });
    bucket.resource.moveFromId("aws_s3_bucket.models");
    const json = synthJson(s);
    expect(Object.keys(json.resource!.aws_s3_bucket)).toEqual(["weights"]);
    expect(json.moved).toEqual([{ from: "aws_s3_bucket.models", to: "aws_s3_bucket.weights" }]);
  });
});
