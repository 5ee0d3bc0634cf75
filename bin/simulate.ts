/**
 * `npm run simulate -- --env prod --profile festival-spike`: plays a traffic
 * profile against an environment's capacity plan, prints the summary and writes
 * `reports/<env>/<profile>.svg`. All logic is in lib/capacity/simulate/cli.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { runSimulateCli } from "../lib/capacity/simulate/cli";
import { ENVIRONMENTS, capacityInputOf } from "../stacks/environments";

process.exitCode = runSimulateCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    readFile: (path) => readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), path), "utf8"),
    writeFile: (path, text) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    },
  },
  {
    names: () => Object.keys(ENVIRONMENTS),
    input: (name) => (ENVIRONMENTS[name] ? capacityInputOf(ENVIRONMENTS[name]) : undefined),
    profile: (name) => ENVIRONMENTS[name]?.simulationProfile,
  },
);
