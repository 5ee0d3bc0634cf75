#!/usr/bin/env node
// Transpiles lib/, stacks/, bin/ and examples/ to .build/ with esbuild: types are stripped, not
// checked (the type-check runs once, in CI, with `npm run typecheck`). Takes ~0.1 s, so
// `npm run synth` never pays for a compiler in its path.
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["lib", "stacks", "bin", "examples"].filter((d) => existsSync(d));
const outdir = ".build";

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return full.endsWith(".ts") && !full.endsWith(".d.ts") ? [full] : [];
  });
}

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: roots.flatMap(tsFiles),
  outdir,
  outbase: ".",
  bundle: false,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // A key written twice in an object literal (two `prod:` blocks in stacks/environments.ts) is an
  // error, not a warning: the second block would silently win, and synth does not type-check.
  logOverride: { "duplicate-object-key": "error" },
});
