#!/usr/bin/env node
// npm run check:synth: the synth bundle (.build/bin/main.js: the loader of main.bundle.js, V8 code cache, token stacks off) must write the same
// bytes as the plain file-per-file transpile of the same entry with cdktf untouched
// (.build/bin/main.unbundled.js, HEADROOM_TOKEN_STACKS=1, HEADROOM_SCHEMA_CACHE=0: every
// manifest validated by ajv, none taken from the verdict cache). Compares every file of both outputs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const compile = spawnSync("node", ["scripts/compile.mjs"], { stdio: "inherit" });
if (compile.status !== 0) process.exit(compile.status ?? 1);

const scratch = mkdtempSync(join(tmpdir(), "headroom-synth-check-"));
function synth(entry, name, env) {
  const outdir = join(scratch, name);
  const r = spawnSync("node", [entry], { env: { ...process.env, ...env, CDKTF_OUTDIR: outdir }, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`${entry} exited ${r.status}`);
  return outdir;
}
function files(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}
try {
  const a = synth(".build/bin/main.js", "bundle", { HEADROOM_TOKEN_STACKS: "0" });
  const b = synth(".build/bin/main.unbundled.js", "unbundled", { HEADROOM_TOKEN_STACKS: "1", HEADROOM_SCHEMA_CACHE: "0" });
  const fa = files(a).map((f) => relative(a, f)).sort();
  const fb = files(b).map((f) => relative(b, f)).sort();
  const problems = [];
  if (fa.join("\n") !== fb.join("\n")) problems.push(`file lists differ:\n  bundle: ${fa.join(", ")}\n  unbundled: ${fb.join(", ")}`);
  for (const f of fa.filter((x) => fb.includes(x))) {
    if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) problems.push(`${f} differs`);
  }
  if (problems.length > 0) {
    console.error(`synth bundle output differs from the unbundled synth:\n${problems.join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(`synth bundle and unbundled synth wrote the same ${fa.length} files, byte for byte`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
