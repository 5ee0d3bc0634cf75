import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import Ajv, { ValidateFunction } from "ajv";
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

/** A custom resource: apiVersion, kind, metadata and the rest of the body. */
export interface CustomResourceBody {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** The parts of a CustomResourceDefinition {@link crdModel} reads (see `lib/serving/crds`). */
export interface CrdSchemaSource {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly scope: string;
    readonly versions: readonly { readonly name: string; readonly served: boolean; readonly schema?: { readonly openAPIV3Schema: Record<string, unknown> } }[];
  };
}

// One compiled validator per CRD version, shared by every object and every stack of a synth:
// compiling the HTTPRoute schema is the expensive part (~tens of ms), validating is cheap.
const compiled = new Map<string, ValidateFunction>();
let ajv: Ajv | undefined;

function validatorFor(crd: CrdSchemaSource, version: string): ValidateFunction | undefined {
  const key = `${crd.metadata.name}/${version}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const schema = crd.spec.versions.find((v) => v.name === version && v.served)?.schema?.openAPIV3Schema;
  if (!schema) return undefined;
  // strict: false because OpenAPI v3 CRD schemas carry `x-kubernetes-*` extension keywords, which
  // JSON Schema does not define; they (and the CEL rules in x-kubernetes-validations) are the API
  // server's to enforce. No `format` appears in the vendored schemas.
  ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const fn = ajv.compile(closeSchema(schema) as Record<string, unknown>);
  compiled.set(key, fn);
  return fn;
}

/**
 * The API server prunes fields a structural schema does not declare, silently: for an object
 * written here that is always a typo or a field of another version. So every object schema
 * (`type: object`) with declared `properties` (and no `x-kubernetes-preserve-unknown-fields`;
 * value-only branches of `oneOf`/`anyOf` stay open) is closed with
 * `additionalProperties: false`, which turns the silent prune into a synth error.
 */
function closeSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    out[k] = k === "properties" && v && typeof v === "object"
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, sub]) => [name, closeSchema(sub)]))
      : closeSchema(v);
  }
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) out.additionalProperties = false;
  return out;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A {@link SchemaModel} for a custom resource that has no typed npm package (Gateway API,
 * InferencePool): `validate()` checks the apiVersion and kind against the CRD, the metadata
 * name (DNS-1123 subdomain, at most 253 characters) and namespace scope, then the whole
 * object against the served version's `openAPIV3Schema` with ajv (every error, with its JSON
 * pointer). CEL rules (`x-kubernetes-validations`) are left to the API server.
 *
 * @example
 * checkSchema(problems, "pool", crdModel(INFERENCE_POOL_CRD, { apiVersion: "inference.networking.k8s.io/v1", kind: "InferencePool", metadata: { name: "p", namespace: "ns" }, spec: {} }));
 */
export function crdModel(crd: CrdSchemaSource, body: CustomResourceBody): SchemaModel {
  return {
    toJSON: () => body,
    validate: () => {
      const [group, version] = body.apiVersion.includes("/") ? body.apiVersion.split("/", 2) : ["", body.apiVersion];
      const errors: string[] = [];
      if (group !== crd.spec.group) errors.push(`apiVersion ${body.apiVersion}: group must be ${crd.spec.group}`);
      if (body.kind !== crd.spec.names.kind) errors.push(`kind ${body.kind}: must be ${crd.spec.names.kind}`);
      const name = body.metadata?.name ?? "";
      if (name.length === 0 || name.length > 253 || !DNS_SUBDOMAIN.test(name)) errors.push(`metadata.name "${name}": must be a DNS-1123 subdomain`);
      if (crd.spec.scope === "Namespaced" && !body.metadata?.namespace) errors.push("metadata.namespace: required for a namespaced resource");
      const validate = validatorFor(crd, version ?? "");
      if (!validate) {
        errors.push(`apiVersion ${body.apiVersion}: ${crd.metadata.name} serves ${crd.spec.versions.filter((v) => v.served).map((v) => `${crd.spec.group}/${v.name}`).join(", ")}`);
      } else if (!validate(JSON.parse(JSON.stringify(body)))) {
        for (const e of validate.errors ?? []) errors.push(`${e.instancePath || "/"} ${e.message ?? "invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
      }
      if (errors.length > 0) throw new Error(`${body.kind} ${name}: ${errors.join("; ")}`);
    },
  };
}
