import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { Problems } from "../core/validation";

/** A `kubernetes-models` object: typed data with a schema check. */
export interface SchemaModel {
  validate(): void;
  toJSON(): unknown;
}

/**
 * The schema packages whose versions decide a validation verdict: a verdict cached under one
 * set of versions is never reused under another.
 */
const SCHEMA_PACKAGES = ["kubernetes-models", "@kubernetes-models/istio", "@kubernetes-models/keda", "@kubernetes-models/prometheus-operator"] as const;

let schemaVersions: string | undefined;
function schemaVersionKey(): string {
  if (schemaVersions === undefined) {
    schemaVersions = SCHEMA_PACKAGES.map((p) => `${p}@${(require(`${p}/package.json`) as { version: string }).version}`).join(",");
  }
  return schemaVersions;
}

/** Where verdicts of objects that validated are kept: one empty file per content hash. */
function cacheDir(): string | undefined {
  const setting = process.env.HEADROOM_SCHEMA_CACHE;
  if (setting === "0") return undefined;
  return setting && setting !== "1" ? setting : path.join(process.cwd(), "node_modules", ".cache", "headroom", "manifest-schema");
}

/** Content hashes validated (or found valid in the cache) by this process. */
const validThisRun = new Set<string>();

/**
 * Validates `model` against its upstream JSON schema and records a
 * `MANIFEST_SCHEMA_INVALID` problem (with the schema's own message) instead of throwing,
 * so a constructor can report it together with its other problems.
 *
 * Compiling a CRD schema with ajv costs far more than the rest of a synth's work on the object,
 * and the verdict is a pure function of the object and the schema packages' versions. So an
 * object that validated is remembered by the SHA-256 of (schema package versions, constructor,
 * JSON) in this process and, across processes, as an empty file under
 * `node_modules/.cache/headroom/manifest-schema/` (`HEADROOM_SCHEMA_CACHE=<dir>` moves it,
 * `HEADROOM_SCHEMA_CACHE=0` turns it off). An object that fails is never cached: it is
 * validated again on every run and reports the same error.
 */
export function checkSchema(problems: Problems, path_: string, model: SchemaModel): void {
  const dir = cacheDir();
  let key: string | undefined;
  if (dir !== undefined) {
    key = createHash("sha256")
      .update(schemaVersionKey())
      .update("\0")
      .update((model as { constructor?: { name?: string } }).constructor?.name ?? "")
      .update("\0")
      .update(JSON.stringify(model.toJSON()))
      .digest("hex");
    if (validThisRun.has(key) || fs.existsSync(path.join(dir, key))) {
      validThisRun.add(key);
      return;
    }
  }
  try {
    model.validate();
  } catch (error) {
    problems.add("MANIFEST_SCHEMA_INVALID", path_, (error as Error).message, "an object that validates against the CRD's OpenAPI schema");
    return;
  }
  if (dir !== undefined && key !== undefined) {
    validThisRun.add(key);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, key), "");
    } catch {
      // A read-only tree only loses the cache, never a check.
    }
  }
}

/**
 * Creates a `kubernetes_manifest` from an already validated model. The plain JSON is
 * passed through a round trip so that class instances and `undefined` fields never
 * reach the Terraform JSON.
 */
export function manifestFrom(scope: Construct, id: string, model: SchemaModel): Manifest {
  return new Manifest(scope, id, { manifest: JSON.parse(JSON.stringify(model.toJSON())) as Record<string, unknown> });
}
