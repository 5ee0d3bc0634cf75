/**
 * Data safety of the synthesized environments: stateful resources keep their Terraform
 * addresses (a changed address plans a destroy that prevent_destroy cannot stop), and the
 * teardown setting turns every protection off without moving anything.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { STATEFUL_TYPES } from "../../lib/compliance";
import { synthesizeAll } from "../../stacks/app";
import { ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";

/** What every environment's foundation holds. Role-based names: no construct path, no name prefix. */
const FOUNDATION = [
  "aws_cloudwatch_log_group.cluster-control-plane-logs",
  "aws_db_instance.postgres",
  "aws_eks_cluster.cluster",
  "aws_elasticache_replication_group.cache",
  "aws_kms_key.cluster",
  "aws_kms_key.data",
  "aws_kms_key.karpenter-queue",
  "aws_kms_key.logs",
  "aws_msk_cluster.kafka",
  "aws_s3_bucket.models",
];

/**
 * The addresses of every resource that holds data, per environment. A change here is a change of
 * address in a deployed state: if it is intended, write a `moved` block (lib/data/README.md) in
 * the same change, then update this list.
 */
const PINNED: Readonly<Record<string, readonly string[]>> = {
  dev: [...FOUNDATION, "aws_db_instance.postgres-replica-1"].sort(),
  staging: [...FOUNDATION, "aws_db_instance.postgres-replica-1"].sort(),
  prod: [...FOUNDATION, "aws_db_instance.postgres-replica-1"].sort(),
};

type Json = { resource?: Record<string, Record<string, Record<string, any>>> };

function synth(environments: Readonly<Record<string, EnvironmentConfig>>): { outdir: string; stacks: Map<string, Json> } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-safety-")), "out");
  synthesizeAll({ outdir, environments });
  const stacks = new Map<string, Json>();
  for (const name of fs.readdirSync(path.join(outdir, "stacks"))) {
    stacks.set(name, JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")));
  }
  return { outdir, stacks };
}

/** Addresses of the resources that must never be destroyed by a refactoring: the stateful types, the cluster, protected log groups. */
function protectedAddresses(stacks: Map<string, Json>, env: string): string[] {
  const found: string[] = [];
  for (const [name, json] of stacks) {
    if (!name.startsWith(`${env}-`)) continue;
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      for (const [id, config] of Object.entries(resources)) {
        const guarded = STATEFUL_TYPES.includes(type) || type === "aws_eks_cluster" || (type === "aws_cloudwatch_log_group" && config.lifecycle?.prevent_destroy === true);
        if (guarded) found.push(`${type}.${id}`);
      }
    }
  }
  return found.sort();
}

const protectedRun = synth(ENVIRONMENTS);
const teardownRun = synth({ ...ENVIRONMENTS, dev: { ...ENVIRONMENTS.dev, teardown: { reason: "retire dev for the test, ticket OPS-1234" } } });
afterAll(() => {
  for (const run of [protectedRun, teardownRun]) fs.rmSync(path.dirname(run.outdir), { recursive: true, force: true });
});

describe("stateful resources keep their Terraform addresses", () => {
  test.each(Object.keys(ENVIRONMENTS))("%s: the addresses of stateful resources are the pinned ones", (env) => {
    expect(protectedAddresses(protectedRun.stacks, env)).toEqual([...PINNED[env]].sort());
  });

  test("every stateful type the compliance pack knows appears in the pinned lists or is absent from the platform", () => {
    const synthesizedTypes = new Set(protectedAddresses(protectedRun.stacks, "prod").map((a) => a.split(".")[0]));
    for (const type of STATEFUL_TYPES) {
      if (synthesizedTypes.has(type)) expect(PINNED.prod.some((a) => a.startsWith(`${type}.`))).toBe(true);
    }
  });

  test("everything that holds data is protected by default", () => {
    const foundation = protectedRun.stacks.get("prod-foundation")!;
    for (const address of PINNED.prod.filter((a) => !a.startsWith("aws_eks_cluster."))) {
      const [type, id] = address.split(".");
      expect([address, foundation.resource?.[type]?.[id]?.lifecycle?.prevent_destroy]).toEqual([address, true]);
    }
    expect(Object.values(foundation.resource!.aws_eks_cluster)[0].deletion_protection).toBe(true);
    expect(Object.values(foundation.resource!.aws_db_instance).every((db) => db.deletion_protection === true)).toBe(true);
  });
});

describe("teardown", () => {
  const foundation = teardownRun.stacks.get("dev-foundation")!;

  test("drops prevent_destroy and deletion protection everywhere in the environment, and nowhere else", () => {
    for (const [name, json] of teardownRun.stacks) {
      for (const resources of Object.values(json.resource ?? {})) {
        for (const config of Object.values(resources)) {
          if (name.startsWith("dev-")) expect(config.lifecycle?.prevent_destroy).not.toBe(true);
        }
      }
    }
    expect(Object.values(foundation.resource!.aws_eks_cluster)[0].deletion_protection).toBe(false);
    expect(Object.values(foundation.resource!.aws_db_instance).every((db) => db.deletion_protection === false)).toBe(true);
    expect(protectedAddresses(teardownRun.stacks, "staging")).toEqual(protectedAddresses(protectedRun.stacks, "staging"));
    expect(teardownRun.stacks.get("staging-foundation")).toEqual(protectedRun.stacks.get("staging-foundation"));
  });

  test("moves no address: the apply that flips the protections off updates in place", () => {
    const addresses = (json: Json) => Object.entries(json.resource ?? {}).flatMap(([type, r]) => Object.keys(r).map((id) => `${type}.${id}`)).sort();
    expect(addresses(foundation)).toEqual(addresses(protectedRun.stacks.get("dev-foundation")!));
  });

  test("the final snapshots are still taken", () => {
    const primary = foundation.resource!.aws_db_instance.postgres;
    expect(primary).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: "headroom-dev-postgres-final" });
    expect(foundation.resource!.aws_elasticache_replication_group.cache.final_snapshot_identifier).toBe("headroom-dev-cache-final");
  });
});
