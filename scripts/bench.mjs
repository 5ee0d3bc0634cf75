#!/usr/bin/env node
// npm run bench [-- --runs N]: wall time and peak RSS (median of N runs, after one warm-up) of
//   1. a full synth of every stack of every environment (plain node on transpiled JS),
//   2. the type-check (tsc --noEmit),
//   3. the whole test suite (jest).
// Measured with GNU time (Debian package `time`): %e wall seconds, %M peak RSS of the largest process in KiB.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const TIME = "/usr/bin/time";
if (!existsSync(TIME)) {
  console.error("GNU time is missing: apt-get install time");
  process.exit(1);
}

const compile = spawnSync("node", ["scripts/compile.mjs"], { stdio: "inherit" });
if (compile.status !== 0) process.exit(compile.status ?? 1);

const scratch = mkdtempSync(join(tmpdir(), "headroom-bench-"));
const cases = [
  { name: "synth (3 environments, 9 stacks)", cmd: ["node", ".build/bin/main.js"], env: { CDKTF_OUTDIR: join(scratch, "out") } },
  { name: "type-check (tsc --noEmit)", cmd: ["node", "node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"] },
  { name: "tests (jest)", cmd: ["node", "node_modules/jest/bin/jest.js", "--silent"] },
];

function measure(c) {
  const report = join(scratch, "time.txt");
  const r = spawnSync(TIME, ["-f", "%e %M", "-o", report, ...c.cmd], { env: { ...process.env, ...(c.env ?? {}) }, stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`);
  const [wall, kib] = readFileSync(report, "utf8").trim().split("\n").pop().split(" ").map(Number);
  return { wall, mib: kib / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.version}, ${runs} runs after 1 warm-up, medians (min-max)`);
for (const c of cases) {
  measure(c);
  const samples = Array.from({ length: runs }, () => measure(c));
  const walls = samples.map((s) => s.wall);
  const mibs = samples.map((s) => s.mib);
  console.log(
    `${c.name.padEnd(36)} wall ${median(walls).toFixed(2)} s (${Math.min(...walls).toFixed(2)}-${Math.max(...walls).toFixed(2)})` +
      `   peak RSS ${median(mibs).toFixed(0)} MiB (${Math.min(...mibs).toFixed(0)}-${Math.max(...mibs).toFixed(0)})`,
  );
}
rmSync(scratch, { recursive: true, force: true });
