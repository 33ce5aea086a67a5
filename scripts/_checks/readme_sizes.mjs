// The README's bundle figures against the ones just measured: in its
// "Bundle size" section, each row's size and target (met; or missed, with
// the ceiling the check fails above, which bench/README.md's ceiling history
// must have a row for) and the client's share; and the sizes its
// "Performance" section quotes. Figures there must come from a rerunnable
// command, and a figure left behind by a change (as 14,027 B was, and a
// share of 7,860 B) is a wrong one. The sizes are gzip's, through Node's
// zlib: another zlib may differ by some bytes, as it may against the
// ceiling.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatBytes } from "./bundle.mjs";

// The text of the section under `heading` (a line of its own), to the next
// heading of its level or above: empty when there is none.
function section(text, heading) {
  const level = heading.match(/^#+/)[0].length;
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) return "";
  const end = lines.findIndex((line, i) =>
    i > start && /^#+ /.test(line) && line.match(/^#+/)[0].length <= level
  );
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/**
 * @param {string} root The repository.
 * @param {{ readme: string, gzipped: number, budget?: number, ceiling?: number }[]} sizes
 * What checkBudgets measured: the bundles (with their budget and, over it,
 * their ceiling), then the floors, the last of them the schemas and the
 * signer without the client.
 * @returns {string[]} What the README states otherwise.
 */
export function checkReadmeSizes(root, sizes) {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const table = section(text, "### Bundle size");
  const rows = new Map(
    table.split("\n").filter((line) => line.startsWith("| ")).map((line) => {
      const cells = line.split(" | ").map((cell) =>
        cell.replace(/^\|/, "").replace(/\|$/, "").trim()
      );
      return [cells[0], cells];
    }),
  );
  const performance = section(text, "## Performance").replace(/\s+/g, " ");
  const history = section(
    readFileSync(join(root, "bench/README.md"), "utf8"),
    "## Bundle size: the ceiling's history",
  );
  const problems = [];
  for (const { readme, gzipped, budget, ceiling } of sizes) {
    const size = `${formatBytes(gzipped)} B`;
    const row = rows.get(readme);
    if (!row) {
      problems.push(`README.md has no "Bundle size" row for ${readme}`);
      continue;
    }
    if (row[1] !== size) {
      problems.push(`README.md gives ${readme} as ${row[1]}; measured ${size}`);
    }
    // A bundle's target: met, or missed with the ceiling the check holds.
    const target = budget === undefined
      ? true
      : ceiling === undefined
      ? row[2]?.startsWith(`${formatBytes(budget)} B: met`)
      : row[2]?.includes("**missed**") &&
        row[2].includes(`above ${formatBytes(ceiling)} B`);
    if (!target) {
      problems.push(
        `README.md's row for ${readme} says "${row[2]}", against a target of ${
          formatBytes(budget)
        } B${
          ceiling === undefined
            ? " met"
            : ` missed, ceiling ${formatBytes(ceiling)} B`
        }`,
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
      budget !== undefined &&
      !performance.includes(`${readme} ${size} gzipped`)
    ) {
      problems.push(
        `README.md's "Performance" does not give ${readme} as ${size} gzipped`,
      );
    }
  }
  // The client's own share: the first bundle less the last floor (the
  // schemas and the signer alone), to the nearest ten bytes.
  const share = Math.round((sizes[0].gzipped - sizes.at(-1).gzipped) / 10) *
    10;
  if (
    !table.replace(/\s+/g, " ").includes(`take about ${formatBytes(share)} B`)
  ) {
    problems.push(
      `README.md's "Bundle size" does not give the client's share as about ${
        formatBytes(share)
      } B`,
    );
  }
  return problems;
}
