// The current Node LTS, for bench/run.mjs's second Node column. The machine's
// own Node runs the benchmark (20 on ours: the oldest the package supports,
// and out of support since April 2026); users on a current Node get what this
// one measures. It is not a devDependency: its npm package names its binary
// `node`, which would shadow the machine's Node in every npm script. So it is
// fetched once, pinned, with `npm pack` (which checks the registry's
// integrity hash), into .bench/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

/** The Node LTS the benchmark also runs on. */
export const NODE_LTS = "24.22.3";

/**
 * The path of the pinned Node LTS binary, fetched into `<root>/.bench/` the
 * first time. Throws when npm cannot fetch it (offline, or no build for this
 * platform), with npm's message.
 *
 * @param {string} root The repository's root.
 * @returns {string}
 */
export function nodeLts(root) {
  const platform = process.platform === "win32" ? "win" : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const dir = join(root, ".bench", `${name}-${NODE_LTS}`);
  const binary = join(
    dir,
    "bin",
    process.platform === "win32" ? "node.exe" : "node",
  );
  if (existsSync(binary)) return binary;
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync(
      "npm",
      ["pack", `${name}@${NODE_LTS}`, "--json", "--pack-destination", work],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
  const tarball = join(work, packed.filename);
  execFileSync("tar", ["-xzf", tarball, "-C", work]);
  rmSync(tarball);
  // Renamed into place only once whole, so a run stopped half-way leaves
  // nothing that looks usable.
  renameSync(join(work, "package"), dir);
  rmSync(work, { recursive: true, force: true });
  return binary;
}
