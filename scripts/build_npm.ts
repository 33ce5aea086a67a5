/**
 * Builds the npm package into npm/ (what dnt would do; dnt lives on JSR,
 * which these machines cannot reach): tsc emits ES modules into npm/esm and
 * CommonJS into npm/script, each with .d.ts files beside the JavaScript, and
 * npm/package.json is derived from deno.json.
 *
 * Run from anywhere: `node_modules/.bin/deno run -A scripts/build_npm.ts`
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkNeutral, compile, type Format } from "./_build/compile.ts";
import { entriesOf } from "./_build/entries.ts";
import { badImports } from "./_build/imports.ts";
import { packageJson } from "./_build/package_json.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "npm");
const CLI = "src/cli/main.ts";
const COPIED = ["README.md", "LICENSE"];
const FOLDERS: Record<Format, string> = { esm: "esm", cjs: "script" };

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function fail(message: string): never {
  console.error(`build_npm: ${message}`);
  Deno.exit(1);
}

// Emptied first, so that a failed build never leaves an old one to be tested.
await Deno.remove(out, { recursive: true }).catch((error) => {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
});
await Deno.mkdir(out, { recursive: true });

const missing = [];
for (const name of COPIED) {
  if (!await exists(join(root, name))) missing.push(name);
}
if (missing.length > 0) {
  const [verb, it] = missing.length === 1 ? ["is", "it"] : ["are", "them"];
  fail(
    `${missing.join(" and ")} ${verb} missing at the repo root: ` +
      `the npm package ships ${it}, so write ${it} first`,
  );
}

const read = async (name: string) =>
  JSON.parse(await Deno.readTextFile(join(root, name)));
const deno = await read("deno.json");
const dependencies: Record<string, string> =
  (await read("package.json")).dependencies ?? {};
// The CLI reaches npm as the `kraken-embed` bin only, in ES module form: as
// an import (`@kraken-embed/client/cli`, which JSR keeps for `deno run`) it
// would be a module that does nothing, or, before it checked that it is the
// program, one that took over the importing app's argv and exit code.
const entries = entriesOf(deno).filter((entry) => entry.source !== CLI);
for (const { subpath, source } of entries) {
  if (!await exists(join(root, source))) {
    fail(
      `deno.json exports "${subpath}" from ./${source}, which does not exist`,
    );
  }
}
const sources = new Set(entries.map((entry) => entry.source));
// The CLI is built whenever it exists, so that the bin always has a file.
const bin = await exists(join(root, CLI)) ? CLI.slice(0, -3) : undefined;
if (bin) sources.add(CLI);
const files = [...sources].map((source) => join(root, source));
const nodeTypes = [...sources].some((path) => path.startsWith("src/cli/"));

// Only the CLI may use Node's types; when it is built, a third pass checks
// everything else without them.
const neutral = entries.filter((entry) => !entry.source.startsWith("src/cli/"))
  .map((entry) => join(root, entry.source));

let builds: { format: Format; folder: string; written: string[] }[];
try {
  const [, ...passes] = await Promise.all([
    nodeTypes ? checkNeutral(root, neutral) : undefined,
    ...(["esm", "cjs"] as const).map(async (format) => {
      const outDir = join(out, FOLDERS[format]);
      const written = await compile({
        root,
        files: format === "esm" ? files : files.filter((f) => !f.endsWith(CLI)),
        outDir,
        format,
        nodeTypes,
      });
      return { format, folder: FOLDERS[format], written };
    }),
  ]);
  builds = passes;
} catch (error) {
  fail((error as Error).message);
}

const problems: string[] = [];
for (const { folder, written } of builds) {
  for (const file of written) {
    const text = await Deno.readTextFile(join(out, folder, file));
    for (const problem of badImports(file, text, Object.keys(dependencies))) {
      problems.push(`${folder}/${problem}`);
    }
  }
  for (const entry of entries) {
    for (const file of [`${entry.stem}.js`, `${entry.stem}.d.ts`]) {
      if (!written.includes(file)) problems.push(`${folder}/${file} missing`);
    }
  }
}
if (problems.length > 0) {
  fail(`the build cannot be published:\n  ${problems.join("\n  ")}`);
}

await Deno.writeTextFile(
  join(out, "script/package.json"),
  '{ "type": "commonjs" }\n',
);
if (bin) {
  // The bin must start Node, whatever shebang the Deno source carries.
  for (const { folder } of builds.filter((b) => b.format === "esm")) {
    const path = join(out, folder, `${bin}.js`);
    const text = (await Deno.readTextFile(path)).replace(/^#!.*\n/, "");
    await Deno.writeTextFile(path, `#!/usr/bin/env node\n${text}`);
    await Deno.chmod(path, 0o755);
  }
}
const manifest = packageJson({ deno, dependencies, entries, bin });
await Deno.writeTextFile(
  join(out, "package.json"),
  JSON.stringify(manifest, null, 2) + "\n",
);
for (const name of COPIED) {
  await Deno.copyFile(join(root, name), join(out, name));
}
// The README's links to files the package does not ship (bench/README.md,
// in the repository only) would be broken on npm: they become their text.
const readme = await Deno.readTextFile(join(out, "README.md"));
const unshipped: string[] = [];
const shippedReadme = readme.replace(
  /\[([^\]]+)\]\((?![a-z]+:|#)([^)\s#]+)(#[^)\s]*)?\)/g,
  (link, text: string, path: string) => {
    if (COPIED.includes(path)) return link;
    unshipped.push(path);
    return text === path ? `\`${text}\`` : text;
  },
);
await Deno.writeTextFile(join(out, "README.md"), shippedReadme);

let total = 2 + COPIED.length;
for (const { format, folder, written } of builds) {
  const js = written.filter((file) => file.endsWith(".js")).length;
  const dts = written.filter((file) => file.endsWith(".d.ts")).length;
  total += written.length;
  const kind = format === "esm" ? "ES modules" : "CommonJS";
  console.log(`wrote npm/${folder}/: ${js} .js + ${dts} .d.ts (${kind})`);
}
const others = ["script/package.json", "package.json", ...COPIED];
console.log(`wrote ${others.map((name) => `npm/${name}`).join(", ")}`);
if (unshipped.length > 0) {
  console.log(
    `  README.md: ${unshipped.length} links to ${
      [...new Set(unshipped)].join(", ")
    }, not in the package, left as text`,
  );
}
for (const entry of entries) {
  console.log(`  export ${entry.subpath} <- ${entry.source}`);
}
if (bin) console.log(`  bin kraken-embed -> ./esm/${bin}.js`);
const points = entries.map((entry) => entry.subpath).join(", ");
const s = entries.length === 1 ? "" : "s";
console.log(
  `summary: ${entries.length} entry point${s} (${points}), ${total} files in npm/`,
);
