#!/usr/bin/env node
// Builds .build/ with esbuild: types are stripped, not checked (the type-check runs once, in CI,
// with `npm run typecheck`).
//
// - The synth entry, bin/main.ts, is bundled into one file, .build/bin/main.js, with the deep
//   provider modules it imports: one file to read and compile instead of ~840 small ones. So are
//   the plan and simulate CLIs and the simulator bench. A bundle is rebuilt only when one of its
//   inputs changed (size or mtime, recorded next to it in <name>.inputs.json).
// - Everything else in lib/, stacks/, bin/ and examples/ is transpiled file per file (the plan,
//   simulate and example CLIs and the simulator bench run from there).
//
// `node scripts/compile.mjs --synth` builds only the synth bundle (what `npm run synth` needs).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createHash } from "node:crypto";

const outdir = ".build";
const SYNTH_ENTRY = "bin/main.ts";
// Entry points run as programs: each is one bundle at the path the file-per-file build would use.
// Bundled, a constant imported from another module (READY, K_REPLICA) is a plain variable instead
// of a getter on the module's exports object, which is ~20% of the simulator's time.
const BUNDLED = [SYNTH_ENTRY, "bin/plan.ts", "bin/simulate.ts", "lib/capacity/simulate/bench.ts"];
// The synth bundle is main.bundle.js; main.js is a small loader that runs it with V8's code cache.
const outOf = (entry) => join(outdir, entry === SYNTH_ENTRY ? "bin/main.bundle.js" : entry.replace(/\.ts$/, ".js"));
const stampOf = (entry) => join(outdir, entry.replace(/\.ts$/, ".inputs.json"));
const synthOnly = process.argv.includes("--synth");
// esbuild is loaded only when something must be built: an up-to-date `npm run synth` skips its load.
const build = async (options) => (await import("esbuild")).build(options);
// A change to this script (its plugin, its options) rebuilds the bundle too.
const SELF = createHash("sha256").update(readFileSync(new URL(import.meta.url))).digest("hex");

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return full.endsWith(".ts") && !full.endsWith(".d.ts") ? [full] : [];
  });
}

/**
 * cdktf records a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER, formatted to strings)
 * on every token it creates, only to print it when that token later fails to resolve. In the synth
 * bundle the capture is off unless HEADROOM_TOKEN_STACKS=1 is set, the way to debug such an error:
 * the synthesized JSON is the same either way (checked by scripts/check-synth-identical.mjs).
 */
const lazyTokenStacks = {
  name: "token-stacks-on-demand",
  setup(b) {
    b.onLoad({ filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, (args) => {
      const original = readFileSync(args.path, "utf8");
      const patched = original.replace(
        "function captureStackTrace(below) {",
        "function captureStackTrace(below) {\n    if (process.env.HEADROOM_TOKEN_STACKS !== \"1\") return [];",
      );
      if (patched === original) throw new Error(`compile: ${args.path} changed shape; update the token-stacks plugin`);
      return { contents: patched, loader: "js" };
    });
  },
};

/** True when the bundle exists and none of its recorded inputs (nor this script) changed. */
function bundleIsFresh(entry) {
  if (!existsSync(outOf(entry)) || !existsSync(stampOf(entry))) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampOf(entry), "utf8"));
  } catch {
    return false;
  }
  if (stamp.compiler !== SELF) return false;
  for (const [file, [size, mtimeMs]] of Object.entries(stamp.inputs)) {
    let st;
    try {
      st = statSync(file);
    } catch {
      return false;
    }
    if (st.size !== size || st.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

async function bundle(entry) {
  if (bundleIsFresh(entry)) return;
  mkdirSync(dirname(outOf(entry)), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile: outOf(entry),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    metafile: true,
    // re2-wasm reads its .wasm next to its own file: it stays a runtime require from node_modules.
    external: ["re2-wasm"],
    // Some dependencies ship ESM that calls createRequire(import.meta.url).
    banner: { js: 'var __bundleUrl = require("url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__bundleUrl" },
    plugins: [lazyTokenStacks],
    // Two environments with the same key must fail the build, not silently keep the last one.
    logOverride: { "duplicate-object-key": "error" },
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const st = statSync(resolve(file));
    inputs[file] = [st.size, st.mtimeMs];
  }
  writeFileSync(stampOf(entry), JSON.stringify({ compiler: SELF, inputs }));
}

/**
 * .build/bin/main.js: compiles the 8 MB synth bundle with the V8 code cache of its last run
 * (node_modules/.cache/headroom/v8/, keyed by node version and the bundle's size and mtime), and
 * writes that cache when it was missing or rejected. V8 checks the cache against the source and
 * its flags and ignores one that does not match, so a stale cache only costs the compile.
 */
const LOADER = `"use strict";
// Generated by scripts/compile.mjs: runs main.bundle.js with V8's code cache.
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Module = require("module");
const file = path.join(__dirname, "main.bundle.js");
const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
const st = fs.statSync(file);
const cacheFile = path.join(__dirname, "..", "..", "node_modules", ".cache", "headroom", "v8", \`main-\${process.version}-\${st.size}-\${Math.round(st.mtimeMs)}.bin\`);
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, __dirname);
if (cachedData === undefined || script.cachedDataRejected) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, script.createCachedData());
  } catch {
    // A read-only tree only loses the cache.
  }
}
`;

if (!synthOnly) {
  const roots = ["lib", "stacks", "bin", "examples"].filter((d) => existsSync(d));
  await build({
    entryPoints: roots.flatMap(tsFiles).filter((f) => !BUNDLED.map((e) => join(e)).includes(f)),
    outdir,
    outbase: ".",
    bundle: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    logOverride: { "duplicate-object-key": "error" },
  });
  // The same entry unbundled, for scripts/check-synth-identical.mjs.
  await build({
    entryPoints: [SYNTH_ENTRY],
    outfile: join(outdir, "bin", "main.unbundled.js"),
    bundle: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
}
await Promise.all((synthOnly ? [SYNTH_ENTRY] : BUNDLED).map(bundle));
const loaderFile = join(outdir, "bin", "main.js");
if (!existsSync(loaderFile) || readFileSync(loaderFile, "utf8") !== LOADER) writeFileSync(loaderFile, LOADER);
