/**
 * The synth path transpiles without type-checking, so what tsc would catch must be caught by
 * scripts/compile.mjs: a duplicated environment key (the later block would silently win).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/** Copies the sources and the compile script into a scratch project and runs the compile there. */
function compileWith(
  edit: (environmentsTs: string) => string,
  after?: (dir: string) => void,
): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-compile-"));
  try {
    for (const sub of ["lib", "stacks", "bin", "examples", "scripts"]) {
      if (fs.existsSync(path.join(ROOT, sub))) fs.cpSync(path.join(ROOT, sub), path.join(dir, sub), { recursive: true });
    }
    for (const file of ["package.json", "tsconfig.json"]) fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const envFile = path.join(dir, "stacks", "environments.ts");
    fs.writeFileSync(envFile, edit(fs.readFileSync(envFile, "utf8")));
    const run = spawnSync(process.execPath, ["scripts/compile.mjs"], { cwd: dir, encoding: "utf8" });
    if (run.status === 0) after?.(dir);
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("scripts/compile.mjs", () => {
  test("a duplicated environment key fails the compile, naming the key", () => {
    const duplicated = (src: string) => {
      const anchor = "  dev: {\n";
      expect(src).toContain(anchor);
      return src.replace(anchor, `  staging: { ...({} as EnvironmentConfig) },\n${anchor}`);
    };
    const run = compileWith(duplicated);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/Duplicate key "staging" in object literal/);
  });

  test("the unmodified sources compile, and plan/simulate read a relative input from the caller's directory (INIT_CWD)", () => {
    let plan: ReturnType<typeof spawnSync> | undefined;
    let simulate: ReturnType<typeof spawnSync> | undefined;
    const status = compileWith(
      (src) => src,
      (dir) => {
        // npm runs scripts in the package root and records where the user typed the command in INIT_CWD.
        const caller = path.join(dir, "work", "team");
        fs.mkdirSync(caller, { recursive: true });
        fs.copyFileSync(path.join(ROOT, "test/capacity/fixtures/small-8b.json"), path.join(caller, "workload.json"));
        fs.writeFileSync(path.join(caller, "burst.json"), "{ not json");
        const env = { ...process.env, INIT_CWD: caller };
        plan = spawnSync(process.execPath, [".build/bin/plan.js", "--input", "workload.json", "--json"], { cwd: dir, env, encoding: "utf8" });
        simulate = spawnSync(process.execPath, [".build/bin/simulate.js", "--env", "dev", "--profile", "burst.json"], { cwd: dir, env, encoding: "utf8" });
      },
    ).status;
    expect(status).toBe(0);
    expect([plan!.status, plan!.stderr]).toEqual([0, ""]);
    expect(JSON.parse(String(plan!.stdout)).inference.replicas.min).toBeGreaterThan(0);
    // The profile file was found (and read) in the caller's directory: its content, not its path, is the problem.
    expect(String(simulate!.stderr)).toMatch(/cannot read profile burst\.json: .*JSON/);
  });
});
