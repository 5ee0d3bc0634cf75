#!/usr/bin/env node
// npm run bench [-- --runs N] [-- --quick] [-- --write-readme]
//
// Measures, interleaved (round 1 runs every case once, then round 2, ...; so a load change on a
// shared machine hits every case alike), after one warm-up round, the median wall time and peak
// RSS (GNU time: %e, %M = largest process, KiB) of:
//   synth          `npm run synth` as it runs: the cached compile step, then plain node on the bundle
//   peer synth     bench/peer: cdk-eks-blueprints, 3 environments of EKS + add-ons, plain node
//   require root   node -e 'require("@cdktf/provider-aws")' (what one root import costs)
//   simulator      24 h at 100 req/s (8.6 M requests), the simulator's own timing
//   typecheck      tsgo (npm run typecheck) and tsc 5.9 (npm run typecheck:tsc)
//   tests          the whole jest suite (skipped with --quick)
// and prints the ratios the performance targets are stated in. --write-readme replaces the table
// between the bench markers of README.md with this run's figures and the machine they came from.
//
// The peer is installed on first use into bench/peer/node_modules from its own package-lock.json
// (npm ci); it is not a dependency of this project.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const arg = (name) => process.argv.indexOf(name);
const runs = arg("--runs") > 0 ? Number(process.argv[arg("--runs") + 1]) : 5;
const quick = arg("--quick") > 0;
const writeReadme = arg("--write-readme") > 0;
const TIME = "/usr/bin/time";
if (!existsSync(TIME)) {
  console.error("GNU time is missing: apt-get install time");
  process.exit(1);
}

const PEER = resolve("bench/peer");
if (!existsSync(join(PEER, "node_modules", "@aws-quickstart", "eks-blueprints"))) {
  console.log("installing the benchmark peer into bench/peer/node_modules (npm ci, once)");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: PEER, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const compile = spawnSync("node", ["scripts/compile.mjs"], { stdio: "inherit" });
if (compile.status !== 0) process.exit(compile.status ?? 1);

const scratch = mkdtempSync(join(tmpdir(), "headroom-bench-"));
const node = process.execPath;
const cases = [
  {
    key: "synth",
    name: "synth: npm run synth (compile step + 3 environments, 9 stacks)",
    cmd: ["sh", "-c", `${node} scripts/compile.mjs --synth && ${node} .build/bin/main.js`],
    env: { CDKTF_OUTDIR: join(scratch, "out") },
  },
  { key: "peer", name: "peer synth: cdk-eks-blueprints, 3 environments, plain node", cmd: [node, "app.js"], cwd: PEER, env: { CDK_OUTDIR: join(scratch, "peer-out") } },
  { key: "root", name: 'require("@cdktf/provider-aws") from the root', cmd: [node, "-e", 'require("@cdktf/provider-aws")'] },
  { key: "sim", name: "simulator: 24 h at 100 req/s", cmd: [node, ".build/lib/capacity/simulate/bench.js", "100", "24"], parse: (out) => Number(/^24 h at 100 req\/s\s+([\d.]+) s/m.exec(out)?.[1]) },
  { key: "tsgo", name: "type-check: tsgo (npm run typecheck)", cmd: [node, "node_modules/@typescript/native-preview/bin/tsgo", "--noEmit", "-p", "tsconfig.json"] },
  { key: "tsc", name: "type-check: tsc 5.9 (npm run typecheck:tsc)", cmd: [node, "node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"] },
  ...(quick ? [] : [{ key: "jest", name: "tests: jest (2 workers)", cmd: [node, "node_modules/jest/bin/jest.js", "--silent"] }]),
];

function measure(c) {
  const report = join(scratch, "time.txt");
  const r = spawnSync(TIME, ["-f", "%e %M", "-o", report, ...c.cmd], {
    cwd: c.cwd ?? process.cwd(),
    env: { ...process.env, ...(c.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`);
  const [wall, kib] = readFileSync(report, "utf8").trim().split("\n").pop().split(" ").map(Number);
  const own = c.parse ? c.parse(String(r.stdout)) : NaN;
  return { wall: Number.isFinite(own) ? own : wall, mib: kib / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const samples = Object.fromEntries(cases.map((c) => [c.key, []]));
try {
  for (const c of cases) measure(c); // warm-up: disk cache, JIT caches
  for (let i = 0; i < runs; i++) {
    for (const c of cases) samples[c.key].push(measure(c));
    process.stderr.write(`round ${i + 1}/${runs} done\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const stat = (key) => {
  const walls = samples[key].map((s) => s.wall);
  const mibs = samples[key].map((s) => s.mib);
  return { wall: median(walls), min: Math.min(...walls), max: Math.max(...walls), mib: median(mibs) };
};
const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpus().length} cores (nproc), ${cpu}, node ${process.version}`;
const command = `npm run bench -- --runs ${runs}${quick ? " --quick" : ""}`;
const rows = cases.map((c) => {
  const s = stat(c.key);
  return `| ${c.name} | ${s.wall.toFixed(2)} s (${s.min.toFixed(2)}-${s.max.toFixed(2)}) | ${s.mib.toFixed(0)} MiB |`;
});
const ratio = (a, b) => stat(a).wall / stat(b).wall;
const ratios = [
  `synth / peer synth = ${ratio("synth", "peer").toFixed(2)}x (target <= 1.0x)`,
  `synth / require root = ${ratio("synth", "root").toFixed(2)}x (target <= 0.5x)`,
  `tsgo / tsc = ${ratio("tsgo", "tsc").toFixed(2)}x`,
];
const table = [
  `\`${command}\` on ${machine}. Medians of ${runs} interleaved rounds after one warm-up round, min-max in`,
  "parentheses; peak RSS is that of the largest process (median).",
  "",
  "| Case | Wall | Peak RSS |",
  "|---|---|---|",
  ...rows,
  "",
  ...ratios.map((r) => `- ${r}`),
].join("\n");
console.log(table);

if (writeReadme) {
  const START = "<!-- bench:start (generated by npm run bench -- --write-readme) -->";
  const END = "<!-- bench:end -->";
  const readme = readFileSync("README.md", "utf8");
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) {
    console.error(`README.md has no ${START} ... ${END} markers`);
    process.exit(1);
  }
  writeFileSync("README.md", `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`);
  console.log("README.md performance table updated");
}
