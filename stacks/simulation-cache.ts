/**
 * Remembers the simulations synth runs (the gate's verdict, the drills' predictions) across runs of
 * the same synth bundle. The simulator is deterministic (seeded), so its result is a function of the
 * plan, the profile and the code: the key is the SHA-256 of (the bundle that runs, what was asked,
 * the plan as JSON). Any change of code rebuilds the bundle and so misses the cache; any change of
 * input changes the key. Outside the synth bundle (the unbundled entry that `npm run check:synth`
 * compares against, tests) nothing is cached, unless the caller names the code version itself with
 * `HEADROOM_SIMULATION_CACHE_VERSION`: jest does, with a fresh random version and a fresh directory
 * per run (test/helpers/simulation-cache-global.js), so the suites of one run share verdicts and no
 * run ever reads another's.
 *
 * `HEADROOM_SIMULATION_CACHE=0` turns it off; `HEADROOM_SIMULATION_CACHE=<dir>` moves it.
 * Default: `node_modules/.cache/headroom/simulation/` beside the bundle's project.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Name of the synth bundle `scripts/compile.mjs` writes (`.build/bin/main.bundle.js`). */
const SYNTH_BUNDLE = "main.bundle.js";

let codeVersion: string | undefined;

/**
 * SHA-256 of the running synth bundle; outside it, the version the caller names in
 * `HEADROOM_SIMULATION_CACHE_VERSION`, or null (no cache).
 */
function bundleVersion(): string | null {
  if (path.basename(__filename) !== SYNTH_BUNDLE) {
    const named = process.env.HEADROOM_SIMULATION_CACHE_VERSION;
    return named ? `named:${named}` : null;
  }
  if (codeVersion === undefined) codeVersion = createHash("sha256").update(fs.readFileSync(__filename)).digest("hex");
  return codeVersion;
}

function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const setting = env.HEADROOM_SIMULATION_CACHE;
  if (setting === "0") return null;
  if (setting) return setting;
  // .build/bin/main.bundle.js -> <project>/node_modules/.cache/headroom/simulation
  return path.join(path.dirname(__filename), "..", "..", "node_modules", ".cache", "headroom", "simulation");
}

/**
 * The cached result of `compute()` for `(kind, input)`, or `compute()`'s result, stored for the next
 * run. `compute` must return plain JSON data (it is stored with JSON.stringify). A cache that cannot
 * be read or written only costs the simulation.
 */
export function cachedSimulation<T>(kind: string, input: unknown, compute: () => T): T {
  const version = bundleVersion();
  const dir = cacheDir();
  if (version === null || dir === null) return compute();
  const key = createHash("sha256").update(version).update("\0").update(kind).update("\0").update(JSON.stringify(input)).digest("hex");
  const file = path.join(dir, `${kind}-${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    const result = compute();
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(result));
    } catch {
      // A read-only tree only loses the cache.
    }
    return result;
  }
}
