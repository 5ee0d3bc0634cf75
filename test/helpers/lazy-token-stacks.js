/**
 * jest setup file: cdktf records a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER,
 * formatted to strings, through jest's source-map-aware stack formatting) for every token it
 * creates, to name the token's origin if it ever fails to resolve. That was half of every
 * synthesizeAll in the tests. The synth bundle skips the capture the same way
 * (scripts/compile.mjs, lazyTokenStacks) and check:synth shows the Terraform JSON is the same
 * bytes either way; `HEADROOM_TOKEN_STACKS=1 npx jest ...` brings the stacks back to debug an
 * unresolved token.
 */
if (process.env.HEADROOM_TOKEN_STACKS !== "1") {
  // cdktf's compiled modules call it as `(0, stack_trace_1.captureStackTrace)()`, reading the export on every call.
  require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];
}
