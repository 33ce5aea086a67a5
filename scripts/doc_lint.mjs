// `deno doc --lint` over every entry point in deno.json, an `@example` on
// every symbol they export (the project's rule, which `--lint` does not
// check), and the READMEs' links to headings (scripts/_anchors.mjs): any
// finding fails.
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
// A symbol declared more than once (an overload, a merged declaration) needs
// the example on one of them. A symbol that one entry point exports and
// another documents (a `reference` to that declaration) takes its example
// from there.
const json = spawnSync(
  "node_modules/.bin/deno",
  ["doc", "--json", ...entries],
  {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 1 << 28,
  },
);
if (json.status !== 0) {
  console.log(json.stdout + json.stderr);
  process.exit(1);
}
const root = new URL("..", import.meta.url).href;
const place = ({ filename, line, col }) => `${filename}:${line}:${col}`;
const exported = Object.entries(JSON.parse(json.stdout).nodes).flatMap((
  [entry, { symbols }],
) => symbols.map((symbol) => ({ entry, symbol })));
const documented = new Set(
  exported.flatMap(({ symbol }) => symbol.declarations).filter((declaration) =>
    declaration.jsDoc?.tags?.some((tag) => tag.kind === "example")
  ).map((declaration) => place(declaration.location)),
);
const withoutExample = exported.filter(({ symbol }) =>
  !symbol.declarations.some((declaration) =>
    documented.has(place(declaration.location)) ||
    (declaration.kind === "reference" &&
      documented.has(place(declaration.def.target)))
  )
).map(({ entry, symbol }) => {
  const { filename, line } = symbol.declarations[0].location;
  return `${symbol.name} (exported by ${entry.replace(root, "")}), ` +
    `${filename.replace(root, "")}:${line}`;
});
if (withoutExample.length > 0) {
  console.log(
    `summary: exported symbols without an @example: ${withoutExample.length}\n` +
      withoutExample.join("\n"),
  );
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
  `summary: ${entries.length} entry points, 0 problems, ` +
    `${exported.length} exported symbols each with an @example; ` +
    `${readmes.length} READMEs' links to headings all resolve`,
);
