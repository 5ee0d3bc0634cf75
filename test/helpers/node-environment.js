/**
 * jest's node environment on an ordinary global object.
 *
 * jest-environment-node 30 builds each test file's vm context around a Proxy (to find the
 * globals a test leaves behind) and Node contextifies that global with interceptors, so every
 * global lookup in the code under test (Math, Infinity, Object, JSON, Array ...) leaves V8's
 * inline caches for a C++ interceptor and a Proxy trap. In the simulator's hot loop that made a
 * run about 7x slower than in plain node. `vm.constants.DONT_CONTEXTIFY` (node >= 20.18) gives
 * the context an ordinary global object instead; everything else is jest's own environment.
 * The context is still one per test file, so test files stay isolated from each other.
 */
const vm = require("node:vm");
const { TestEnvironment } = require("jest-environment-node");

class PlainGlobalNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    const createContext = vm.createContext;
    const plain = vm.constants && vm.constants.DONT_CONTEXTIFY;
    if (plain !== undefined) vm.createContext = () => createContext(plain);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }
}

module.exports = PlainGlobalNodeEnvironment;
