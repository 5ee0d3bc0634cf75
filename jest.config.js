/**
 * Jest runs TypeScript through @swc/jest: it strips types without checking them,
 * so a test file starts in milliseconds. Types are checked once, by `npm run typecheck`.
 * The environment is jest's node environment on an ordinary global object
 * (test/helpers/node-environment.js): jest's default proxied global made every global
 * lookup (Math, Object, JSON ...) slow, simulations about 7x slower than in plain node.
 * test/helpers/lazy-token-stacks.js skips cdktf's per-token stack trace, as the synth bundle does.
 * test/helpers/code-cache-runtime.js is jest's runtime with V8 code caching per worker: a module
 * source compiled once in a worker is not parsed again by the next test file.
 * test/helpers/simulation-cache-global.js gives the run one simulation cache, so the suites that
 * synthesize every environment share the gate's and the drills' verdicts instead of each simulating them.
 */
module.exports = {
  testEnvironment: "<rootDir>/test/helpers/node-environment.js",
  runtime: "<rootDir>/test/helpers/code-cache-runtime.js",
  globalSetup: "<rootDir>/test/helpers/simulation-cache-setup.js",
  globalTeardown: "<rootDir>/test/helpers/simulation-cache-teardown.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFiles: ["<rootDir>/test/helpers/lazy-token-stacks.js"],
  // Provider bindings are large: let each worker keep its module registry small.
  maxWorkers: 2,
  snapshotFormat: { printBasicPrototype: false },
};
