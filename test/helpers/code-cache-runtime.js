/**
 * jest's runtime with V8 code caching of module sources, kept per worker process.
 *
 * Every test file gets a fresh module registry, so every file evaluates its whole module graph
 * again, and jest compiles each module's source with `vm.compileFunction` from scratch: V8 parses
 * all of it each time. The provider bindings are large (`@cdktf/provider-kubernetes`' Deployment
 * and Job structs alone are ~10 MB of generated JavaScript), so a suite spent ~0.25 s compiling
 * before its first test ran. Here the first compile of a source in a worker produces V8's code
 * cache, and later compiles of the very same source (compared in full) pass it back: V8 then
 * deserializes the top-level code instead of parsing it (22 ms -> 3 ms for the largest file).
 *
 * Nothing else changes: each test file still gets its own context and registry and runs each
 * module's code afresh; only the parse is shared. A cache V8 rejects is compiled as usual.
 * `HEADROOM_JEST_CODE_CACHE=0` turns it off.
 *
 * jest 30 compiles in an internal `ModuleExecutor` (`runtime.executor.compile`); if a jest
 * upgrade moves it, this says so on stderr once and jest compiles as it always did.
 */
const vm = require("node:vm");
const Runtime = require("jest-runtime").default;

/** filename -> { source, data } of the first compile in this worker. */
const cache = new Map();
const enabled = process.env.HEADROOM_JEST_CODE_CACHE !== "0";
let warned = false;

function cachedCompile(executor, compile, scriptSource, filename) {
  const vmContext = executor.environment.getVmContext();
  if (vmContext == null || executor.resolution.isCoreModule(filename)) return compile(scriptSource, filename);
  const known = cache.get(filename);
  const cachedData = known !== undefined && known.source === scriptSource ? known.data : undefined;
  let fn;
  try {
    fn = vm.compileFunction(scriptSource, executor.injectedModuleParameters, {
      filename,
      cachedData,
      produceCachedData: cachedData === undefined,
      importModuleDynamically: (specifier, _function, importAttributes, phase) => executor.dynamicImport(specifier, filename, vmContext, importAttributes, phase),
      parsingContext: vmContext,
    });
  } catch {
    // jest's own compile reports syntax errors its way.
    return compile(scriptSource, filename);
  }
  if (cachedData === undefined && fn.cachedDataProduced) cache.set(filename, { source: scriptSource, data: fn.cachedData });
  return fn;
}

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (!enabled) return;
    if (executor === undefined || typeof executor.compile !== "function" || typeof executor.dynamicImport !== "function" || !Array.isArray(executor.injectedModuleParameters)) {
      if (!warned) process.stderr.write("code-cache-runtime: jest's ModuleExecutor was not found; modules compile without a code cache\n");
      warned = true;
      return;
    }
    const compile = executor.compile.bind(executor);
    executor.compile = (scriptSource, filename) => cachedCompile(executor, compile, scriptSource, filename);
  }
}

module.exports = CodeCacheRuntime;
