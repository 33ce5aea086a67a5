// What npm would publish: `npm pack --dry-run` must list exactly the built
// files, README.md, LICENSE and package.json, nothing more and nothing less,
// and the README's relative links must reach files in that list; and a real
// tarball for publint and attw to read.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { run } from "./run.mjs";

const SHIPPED_BESIDES_BUILD = ["package.json", "README.md", "LICENSE"];

function builtFiles(npmDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(npmDir, path).split("\\").join("/"));
    }
  };
  for (const folder of ["esm", "script"]) walk(join(npmDir, folder));
  return files;
}

async function npmPack(npmDir, args) {
  const { code, stdout, stderr } = await run("npm", [
    "pack",
    "--json",
    "--ignore-scripts",
    ...args,
  ], { cwd: npmDir });
  if (code !== 0) {
    throw new Error(`npm pack ${args.join(" ")} failed:\n${stderr || stdout}`);
  }
  return JSON.parse(stdout)[0];
}

/**
 * Checks the dry-run file list against npm/.
 *
 * @returns {Promise<{ problems: string[], count: number }>}
 */
export async function checkPackList(npmDir) {
  const { files } = await npmPack(npmDir, ["--dry-run"]);
  const listed = new Set(files.map((file) => file.path));
  const expected = new Set([...builtFiles(npmDir), ...SHIPPED_BESIDES_BUILD]);
  const problems = [
    ...[...listed].filter((path) => !expected.has(path)).map((path) =>
      `npm pack would publish ${path}, which is not part of the build`
    ),
    ...[...expected].filter((path) => !listed.has(path)).map((path) =>
      `npm pack leaves out ${path}`
    ),
  ];
  const builtJs =
    [...listed].filter((path) => /\.(?:js|d\.ts)$/.test(path)).length;
  if (builtJs === 0) problems.push("npm pack lists no built .js or .d.ts file");
  // A relative link in the README that npm shows must reach a file it ships.
  const readme = readFileSync(join(npmDir, "README.md"), "utf8");
  for (const [, path] of readme.matchAll(/\]\((?![a-z]+:|#)([^)\s#]+)/g)) {
    if (!listed.has(path)) {
      problems.push(`README.md links to ${path}, which npm pack leaves out`);
    }
  }
  return { problems, count: listed.size };
}

/** Packs npm/ into `destination`; returns the tarball's path. */
export async function packTarball(npmDir, destination) {
  const { filename } = await npmPack(npmDir, [
    "--pack-destination",
    destination,
  ]);
  return join(destination, filename);
}
