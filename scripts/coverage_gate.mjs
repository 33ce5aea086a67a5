// Fails unless `deno coverage` reports at least 95% line coverage of src/
// (the CLI excluded: it is tested end to end as spawned processes, which
// Deno's in-process coverage cannot see).
import { spawnSync } from "node:child_process";

const MIN = 95;
const result = spawnSync(
  "node_modules/.bin/deno",
  ["coverage", "coverage", "--include=^file:.*/src/", "--exclude=/src/cli/"],
  { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
);
const output = result.stdout + result.stderr;
if (result.status !== 0) {
  console.log(output);
  process.exit(1);
}
// The summary row reads: "All files | <branch %> | <line %>".
const row = output.split("\n").find((line) => /^\s*\|?\s*All files/.test(line));
const numbers = row?.match(/[\d.]+/g)?.map(Number) ?? [];
const lines = numbers.at(-1);
if (lines === undefined) {
  console.log(output);
  console.log("Could not read the coverage summary");
  process.exit(1);
}
const below = output.split("\n").filter((line) =>
  /\|/.test(line) && !/All files|File/.test(line)
)
  .filter((line) => Number(line.match(/[\d.]+/g)?.at(-1)) < MIN);
console.log(output);
console.log(`summary: src/ line coverage ${lines}% (minimum ${MIN}%)`);
if (below.length > 0) console.log(`files under ${MIN}%:\n${below.join("\n")}`);
process.exit(lines >= MIN ? 0 : 1);
