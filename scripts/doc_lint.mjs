// `deno doc --lint` over every entry point in deno.json, failing on any
// problem except one: Deno reports types from npm packages (valibot's
// GenericSchema) as "private" (denoland/deno#27364). The exported schemas are
// typed with valibot's own public GenericSchema on purpose, so those lines
// are counted and shown, not fatal.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const exports = JSON.parse(readFileSync("deno.json", "utf8")).exports;
const entries = typeof exports === "string"
  ? [exports]
  : Object.values(exports);
const result = spawnSync("node_modules/.bin/deno", [
  "doc",
  "--lint",
  ...entries,
], {
  encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1" },
});
const output = result.stdout + result.stderr;
const problems = output.split("\n").filter((line) => /^error\[/.test(line));
const tolerated = problems.filter((line) =>
  /^error\[private-type-ref\]: .* references private type '(GenericSchema|BaseSchema|BaseIssue)'$/
    .test(line)
);
const fatal = problems.filter((line) => !tolerated.includes(line));
if (fatal.length > 0 || (result.status !== 0 && problems.length === 0)) {
  console.log(output);
  process.exit(1);
}
console.log(
  `summary: ${entries.length} entry points, 0 problems (${tolerated.length} references to valibot's public types tolerated: denoland/deno#27364)`,
);
