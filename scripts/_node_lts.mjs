// The current Node LTS, beside the machine's Node (20 here: the oldest the
// package supports, out of support since April 2026). `npm test` runs the
// Node tests in it too (tests/runtimes/node_lts.mjs), and `npm run bench`
// gives it a column of its own. It is not a devDependency: its npm package
// names its binary `node`, which would shadow the machine's Node in every npm
// script. So it is fetched once, pinned, with `npm pack` (which checks the
// registry's integrity hash), into node_modules/.cache/ (which `npm ci`
// clears).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The Node LTS the tests and the benchmark also run on. */
export const NODE_LTS = "24.22.3";

/**
 * The path of the pinned Node LTS binary, fetched into
 * `<root>/node_modules/.cache/` the first time, and checked to report the
 * pinned version: a damaged or stale cache must not pass for it. Throws when
 * npm cannot fetch it (offline, or no build for this platform), with npm's
 * message, or when the binary reports another version.
 *
 * @param {string} root The repository's root.
 * @returns {string}
 */
export function nodeLts(root) {
  const binary = fetchNodeLts(root);
  const version = execFileSync(binary, ["--version"], { encoding: "utf8" })
    .trim();
  if (version !== `v${NODE_LTS}`) {
    throw new Error(`${binary} is ${version}, not v${NODE_LTS}`);
  }
  return binary;
}

function fetchNodeLts(root) {
  const platform = process.platform === "win32" ? "win" : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const dir = join(
    root,
    "node_modules/.cache/kraken-embed",
    `${name}-${NODE_LTS}`,
  );
  const binary = join(
    dir,
    "bin",
    process.platform === "win32" ? "node.exe" : "node",
  );
  if (existsSync(binary)) return binary;
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    let packed;
    try {
      [packed] = JSON.parse(
        execFileSync(
          "npm",
          ["pack", `${name}@${NODE_LTS}`, "--json", "--pack-destination", work],
          { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        ),
      );
    } catch (error) {
      throw new Error(
        `cannot fetch Node ${NODE_LTS} from npm: ${
          String(error.stderr || error.message).trim()
        }`,
        { cause: error },
      );
    }
    const tarball = join(work, packed.filename);
    execFileSync("tar", ["-xzf", tarball, "-C", work]);
    // Renamed into place only once whole, so a run stopped half-way leaves
    // nothing that looks usable.
    renameSync(join(work, "package"), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

// `node scripts/_node_lts.mjs` prints the binary's path, fetching it first,
// so that one benchmark file can be run in it by hand:
//   "$(node scripts/_node_lts.mjs)" bench/segments.mjs
if (
  process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href
) {
  console.log(nodeLts(join(dirname(fileURLToPath(import.meta.url)), "..")));
}
