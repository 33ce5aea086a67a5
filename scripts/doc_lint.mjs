// `deno doc --lint` over every entry point in deno.json, and the READMEs'
// links to headings (scripts/_anchors.mjs): any finding fails.
// (The exported schemas are typed with the package's own ValibotSchema, not
// valibot's GenericSchema, because Deno treats types from npm packages as
// private: denoland/deno#27364. tests/schema_compat_test.ts keeps the two
// interchangeable.)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { brokenAnchors } from "./_anchors.mjs";

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
if (result.status !== 0 || problems.length > 0) {
  console.log(output);
  process.exit(1);
}
const readmes = ["README.md", "bench/README.md"];
const broken = brokenAnchors(readmes);
if (broken.length > 0) {
  console.log(
    `summary: links to no heading: ${broken.length}\n${broken.join("\n")}`,
  );
  process.exit(1);
}
console.log(
  `summary: ${entries.length} entry points, 0 problems; ` +
    `${readmes.length} READMEs' links to headings all resolve`,
);
