/**
 * Synth-time findings (the compliance pack runs as each stack's validation) of every stack of
 * every environment are reported together; cdktf's own `App.synth` stops at the first stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { CapacityPlan } from "../../lib/capacity/types";
import { ValidationError } from "../../lib/core/validation";
import { synthesizeAll } from "../../stacks/app";
import { ENVIRONMENTS, EnvironmentConfig } from "../../stacks/environments";
import * as platform from "../../stacks/platform";

jest.mock("../../stacks/platform", () => {
  const actual = jest.requireActual("../../stacks/platform");
  return {
    ...actual,
    // Weakens two environments the way an escape hatch could: an unencrypted primary database.
    buildPlatform: (app: App, env: EnvironmentConfig, plan: CapacityPlan) => {
      const built = actual.buildPlatform(app, env, plan) as platform.Platform;
      if (env.name !== "staging") built.foundation.database.resource.addOverride("storage_encrypted", false);
      return built;
    },
  };
});

test("a compliance violation in two environments' stacks is listed for both, and nothing is written", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "headroom-aggc-")), "out");
  let error: unknown;
  try {
    synthesizeAll({ outdir, environments: ENVIRONMENTS });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const paths = (error as ValidationError).problems.map((p) => p.path);
  const stacksWithFindings = [...new Set(paths.map((p) => p.match(/^environments\.(\w+) \(stack ([\w-]+)\)\./)?.slice(1).join(" ")))];
  expect(stacksWithFindings).toEqual(["dev dev-foundation", "prod prod-foundation"]);
  expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/^environments\.prod \(stack prod-foundation\)\.aws_db_instance\.postgres /)]));
  expect(fs.existsSync(outdir)).toBe(false);
  expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
});
