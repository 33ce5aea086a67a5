// The README's bundle figures against the ones just measured: its "Bundle
// size" table, each row's size (and, for a bundle over its target, the
// ceiling the check fails above, which bench/README.md's ceiling history
// must have a row for), and the sizes its "Performance" section quotes. Figures there must come from a rerunnable command, and a figure
// left behind by a change (as 14,027 B was, and a share of 7,860 B) is a
// wrong one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatBytes } from "./bundle.mjs";

/**
 * @param {string} root The repository.
 * @param {{ readme: string, gzipped: number, ceiling?: number }[]} sizes
 * What checkBudgets measured.
 * @returns {string[]} What the README states otherwise.
 */
export function checkReadmeSizes(root, sizes) {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const rows = new Map(
    text.split("\n").filter((line) => line.startsWith("| ")).map((line) => {
      const cells = line.split(" | ").map((cell) =>
        cell.replace(/^\|/, "").replace(/\|$/, "").trim()
      );
      return [cells[0], cells];
    }),
  );
  const flat = text.replace(/\s+/g, " ");
  const history = readFileSync(join(root, "bench/README.md"), "utf8");
  const problems = [];
  for (const { readme, gzipped, ceiling } of sizes) {
    const size = `${formatBytes(gzipped)} B`;
    const row = rows.get(readme);
    if (!row) {
      problems.push(`README.md has no "Bundle size" row for ${readme}`);
      continue;
    }
    if (row[1] !== size) {
      problems.push(`README.md gives ${readme} as ${row[1]}; measured ${size}`);
    }
    if (
      ceiling !== undefined &&
      !row[2]?.includes(`above ${formatBytes(ceiling)} B`)
    ) {
      problems.push(
        `README.md's row for ${readme} does not give its ceiling, ${
          formatBytes(ceiling)
        } B`,
      );
    }
    if (
      ceiling !== undefined &&
      !history.includes(`\n| ${formatBytes(ceiling)} B |`)
    ) {
      problems.push(
        `bench/README.md's ceiling history has no row for ${
          formatBytes(ceiling)
        } B`,
      );
    }
    // The bundles (not the floors) are quoted in "Performance" too.
    if (
      !readme.startsWith("floor") && !flat.includes(`${readme} ${size} gzipped`)
    ) {
      problems.push(
        `README.md's "Performance" does not give ${readme} as ${size} gzipped`,
      );
    }
  }
  return problems;
}
