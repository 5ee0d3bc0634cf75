/**
 * `npm run plan -- --env prod [--json]`: prints the capacity plan of an environment.
 * Thin wrapper: the logic is `runPlanCli` in lib/capacity/cli.ts.
 */
import { readFileSync } from "fs";
import { resolve } from "path";
import { runPlanCli } from "../lib/capacity/cli";
import { capacityInputOf, environmentNames, ENVIRONMENTS } from "../stacks/environments";

const code = runPlanCli(
  process.argv.slice(2),
  { stdout: (t) => process.stdout.write(`${t}\n`), stderr: (t) => process.stderr.write(`${t}\n`), readFile: (p) => readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), p), "utf8") },
  {
    names: () => environmentNames(),
    input: (name) => {
      const env = Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name) ? ENVIRONMENTS[name] : undefined;
      return env ? capacityInputOf(env) : undefined;
    },
    simulationProfile: (name) => (Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name) ? ENVIRONMENTS[name].simulationProfile : undefined),
  },
);
process.exitCode = code;
