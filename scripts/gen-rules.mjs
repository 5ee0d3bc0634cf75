// Regenerates RULES.md from lib/compliance/rules (run: node scripts/gen-rules.mjs).
// esbuild bundles the pure rule modules to a temporary CommonJS file; nothing is type-checked here.
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "headroom-rules-"));
const outfile = join(dir, "rules-table.cjs");
try {
  await build({
    entryPoints: [join(root, "lib/compliance/rules-table.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile,
    logLevel: "warning",
  });
  const { renderRulesMarkdown } = createRequire(import.meta.url)(outfile);
  const markdown = renderRulesMarkdown();
  writeFileSync(join(root, "RULES.md"), markdown);
  console.log(`RULES.md: ${markdown.split("\n").filter((l) => l.startsWith("| HR-")).length} rules`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
