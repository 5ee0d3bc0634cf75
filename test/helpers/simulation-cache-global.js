/**
 * jest globalSetup / globalTeardown: one simulation cache per test run (stacks/simulation-cache.ts).
 *
 * Many suites synthesize every environment, and each synth runs the simulation gate and the chaos
 * drill predictions of every environment: the same deterministic simulations of the same plans,
 * once per suite. Setup names a fresh random code version and an empty directory, which the
 * workers inherit through their environment, so the first suite to need a verdict simulates it and
 * the others of this run read it; teardown deletes the directory. A run never reads a verdict of
 * another run (other code), and a suite run alone simulates everything itself.
 */
const { randomUUID } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports.setup = async function setup() {
  if (process.env.HEADROOM_SIMULATION_CACHE === "0") return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-jest-simulations-"));
  process.env.HEADROOM_SIMULATION_CACHE = dir;
  process.env.HEADROOM_SIMULATION_CACHE_VERSION = `jest-run-${randomUUID()}`;
};

module.exports.teardown = async function teardown() {
  const dir = process.env.HEADROOM_SIMULATION_CACHE;
  if (dir && process.env.HEADROOM_SIMULATION_CACHE_VERSION?.startsWith("jest-run-")) fs.rmSync(dir, { recursive: true, force: true });
};
