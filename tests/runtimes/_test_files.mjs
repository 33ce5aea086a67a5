// Which tests/*_test.ts files a runtime runs. A file that cannot run somewhere
// says so itself, with a reason, in a comment among its first lines:
//
//   // runtimes: deno, node-esm, bun — reason: uses top-level await
//
// Runtimes: deno, node (both node-esm and node-cjs), node-esm, node-cjs, bun.
// The runners print every file they leave out and why, so nothing is skipped
// silently; a marker without a reason, or naming an unknown runtime, is an error.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const RUNTIMES = ["deno", "node-esm", "node-cjs", "bun"];
const ALIASES = { node: ["node-esm", "node-cjs"] };
const MARKER = /^\/\/\s*runtimes:\s*(.*?)\s*(?:—|--|-)\s*reason:\s*(.*\S)\s*$/;

/** Reads the marker of one test file: undefined when the file runs everywhere. */
export function markerOf(file, text) {
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (/^\/\/\s*runtimes\s*:/.test(trimmed)) {
      const match = MARKER.exec(trimmed);
      if (!match) {
        throw new Error(
          `${file}: malformed runtimes marker (expected "// runtimes: deno, node-esm — reason: why"): ${trimmed}`,
        );
      }
      const runtimes = match[1].split(/[\s,]+/).filter(Boolean).flatMap(
        (name) => {
          if (ALIASES[name]) return ALIASES[name];
          if (RUNTIMES.includes(name)) return [name];
          throw new Error(
            `${file}: unknown runtime "${name}" in marker (known: node, ${
              RUNTIMES.join(", ")
            })`,
          );
        },
      );
      return { runtimes, reason: match[2] };
    }
    // The marker belongs to the file's leading comments; stop at the first code line.
    if (trimmed !== "" && !/^(?:\/\/|\/\*|\*)/.test(trimmed)) return undefined;
  }
  return undefined;
}

/**
 * Splits tests/*_test.ts into the files `runtime` runs and those it leaves out.
 *
 * @param {string} root The repo root.
 * @param {string} runtime One of RUNTIMES.
 * @returns {{ files: string[], excluded: { file: string, reason: string }[] }}
 */
export function selectTests(root, runtime) {
  if (!RUNTIMES.includes(runtime)) {
    throw new Error(`unknown runtime ${runtime}`);
  }
  const dir = join(root, "tests");
  const files = [];
  const excluded = [];
  for (
    const name of readdirSync(dir).filter((n) => n.endsWith("_test.ts")).sort()
  ) {
    const marker = markerOf(name, readFileSync(join(dir, name), "utf8"));
    if (marker && !marker.runtimes.includes(runtime)) {
      excluded.push({ file: name, reason: marker.reason });
    } else files.push(join(dir, name));
  }
  return { files, excluded };
}

/**
 * The `summary: ` tail that names the excluded files, e.g.
 * `, 1 file excluded (a_test.ts; why: ...)`. The reasons are long and the
 * same in every runtime: the step's log has them, one line each, as does each
 * file's first line.
 */
export function excludedSummary(excluded) {
  if (excluded.length === 0) return "";
  const list = excluded.map(({ file }) => file).join(", ");
  return `, ${excluded.length} file${
    excluded.length === 1 ? "" : "s"
  } excluded (${list}; why: each file's first line, and .test-logs/)`;
}

/** Prints the excluded files, one line each, before a run. */
export function printExcluded(runtime, excluded) {
  for (const { file, reason } of excluded) {
    console.log(`excluded from ${runtime}: ${file} (${reason})`);
  }
}
