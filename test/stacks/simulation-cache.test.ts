import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedSimulation } from "../../stacks/simulation-cache";

describe("simulation cache", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-simcache-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("outside the synth bundle every call simulates and nothing is stored, so tests never read a stale verdict", () => {
    process.env.HEADROOM_SIMULATION_CACHE = dir;
    try {
      let runs = 0;
      const compute = () => ({ ok: true, run: ++runs });
      expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 1 });
      expect(cachedSimulation("gate", { plan: 1 }, compute)).toEqual({ ok: true, run: 2 });
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      delete process.env.HEADROOM_SIMULATION_CACHE;
    }
  });
});
