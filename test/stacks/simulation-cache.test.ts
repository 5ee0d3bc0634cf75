import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedSimulation } from "../../stacks/simulation-cache";

describe("simulation cache", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-simcache-"));
  const saved = { dir: process.env.HEADROOM_SIMULATION_CACHE, version: process.env.HEADROOM_SIMULATION_CACHE_VERSION };
  const restore = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterEach(() => {
    restore("HEADROOM_SIMULATION_CACHE", saved.dir);
    restore("HEADROOM_SIMULATION_CACHE_VERSION", saved.version);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("outside the synth bundle and without a named version every call simulates and nothing is stored", () => {
    process.env.HEADROOM_SIMULATION_CACHE = dir;
    delete process.env.HEADROOM_SIMULATION_CACHE_VERSION;
    let runs = 0;
    const compute = () => ({ ok: true, run: ++runs });
    expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 1 });
    expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 2 });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("a named version (jest names one per run) stores each verdict once; another version or input misses", () => {
    process.env.HEADROOM_SIMULATION_CACHE = dir;
    let runs = 0;
    const compute = () => ({ ok: true, run: ++runs });
    process.env.HEADROOM_SIMULATION_CACHE_VERSION = "run-a";
    expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 1 });
    expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 1 });
    expect(cachedSimulation("gate", { plan: 2 }, compute)).toEqual({ ok: true, run: 2 });
    expect(cachedSimulation("drills", { plan: 1 }, compute)).toEqual({ ok: true, run: 3 });
    process.env.HEADROOM_SIMULATION_CACHE_VERSION = "run-b";
    expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 4 });
    expect(fs.readdirSync(dir)).toHaveLength(4);
  });

  test("the test run itself has a fresh cache of its own (test/helpers/simulation-cache-global.js)", () => {
    // Set by jest's globalSetup unless HEADROOM_SIMULATION_CACHE=0 turned it off.
    if (saved.dir === "0") return;
    expect(saved.version).toMatch(/^jest-run-[0-9a-f-]{36}$/);
    expect(saved.dir).toContain("headroom-jest-simulations-");
  });
});
