/**
 * Jest runs TypeScript through @swc/jest: it strips types without checking them,
 * so a test file starts in milliseconds. Types are checked once, by `npm run typecheck`.
 * The environment is jest's node environment on an ordinary global object
 * (test/helpers/node-environment.js): jest's default proxied global made every global
 * lookup (Math, Object, JSON ...) slow, simulations about 7x slower than in plain node.
 * test/helpers/lazy-token-stacks.js skips cdktf's per-token stack trace, as the synth bundle does.
 */
module.exports = {
  testEnvironment: "<rootDir>/test/helpers/node-environment.js",
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
