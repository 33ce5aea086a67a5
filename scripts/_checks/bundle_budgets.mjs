// What the package costs a browser or worker bundle: the minified, gzipped
// size of a snippet that imports from the built package (valibot included)
// must stay within budget. Over budget, the report lists what the bundle
// holds, biggest first, so it can be shrunk.
import { bundle, formatBytes } from "./bundle.mjs";

// `budget` is the target the project set itself; `ceiling` is what fails the
// check. The first target is not met: the schemas with the valibot they need
// and the signer take nearly all of it before any of the client (see FLOORS
// and the README's "Bundle size" for the last figures), and the client
// (options checking, retries, timeouts, errors, `request()`, the response
// schemas) adds more than as much again. The ceiling
// sits just above the size reached, so that it cannot regrow unnoticed;
// bench/README.md's "Bundle size: the ceiling's history" has one row per
// raise, with what took the bytes.
export const BUDGETS = [
  {
    label: "EmbedClient+UserPatchSchema",
    readme: "`{ EmbedClient, UserPatchSchema }`",
    contents:
      'export { EmbedClient, UserPatchSchema } from "@kraken-embed/client";',
    budget: 6000,
    ceiling: 16725,
  },
  {
    label: "signRequest",
    readme: "`{ signRequest }`",
    contents: 'export { signRequest } from "@kraken-embed/client";',
    budget: 1500,
    ceiling: 1500,
  },
];

// What parts cost on their own, printed beside the budgets so that the
// reason the first target is missed can be rerun rather than believed (the
// README's "Bundle size" has the last figures).
export const FLOORS = [
  {
    label: "UserPatchSchema + valibot.safeParse",
    readme: "floor: `{ UserPatchSchema }` + valibot's `safeParse`",
    contents:
      'export { UserPatchSchema } from "@kraken-embed/client"; export { safeParse } from "valibot";',
  },
  {
    label: "UserPatchSchema + safeParse + signRequest, no client",
    readme:
      "floor: `{ UserPatchSchema, signRequest }` + `safeParse`, no client at all",
    contents:
      'export { UserPatchSchema, signRequest } from "@kraken-embed/client"; export { safeParse } from "valibot";',
  },
];

function topInputs(output, count = 15) {
  return Object.entries(output.inputs)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    .slice(0, count)
    .map(([path, { bytesInOutput }]) =>
      `    ${formatBytes(bytesInOutput).padStart(7)} B  ${path}`
    );
}

/**
 * @returns {Promise<{ problems: string[], measured: string[], sizes: { readme: string, gzipped: number, budget?: number, ceiling?: number }[] }>}
 * `sizes`: each bundle's and floor's gzipped size, with its row's name in
 * the README's "Bundle size" table, for scripts/_checks/readme_sizes.mjs.
 */
export async function checkBudgets(root) {
  const problems = [];
  const measured = [];
  const sizes = [];
  for (const { label, readme, contents, budget, ceiling } of BUDGETS) {
    const { bytes, gzipped, output } = await bundle(root, contents);
    sizes.push({
      readme,
      gzipped,
      budget,
      ceiling: gzipped > budget ? ceiling : undefined,
    });
    const size = `${formatBytes(gzipped)} B gz`;
    const verdict = gzipped <= budget
      ? `budget ${formatBytes(budget)}`
      : `target ${formatBytes(budget)} MISSED, ceiling ${formatBytes(ceiling)}`;
    console.log(
      `bundle ${label}: ${formatBytes(bytes)} B minified, ${size} (${verdict})`,
    );
    measured.push(`${label} ${size} (${verdict})`);
    if (gzipped > budget) {
      if (gzipped > ceiling) {
        problems.push(
          `bundle ${label} is ${size}, over its ceiling of ${
            formatBytes(ceiling)
          }`,
        );
      }
      console.log(
        `  what it holds (minified bytes per input):\n` +
          topInputs(output).join("\n"),
      );
    }
  }
  for (const { label, readme, contents } of FLOORS) {
    const { gzipped } = await bundle(root, contents);
    sizes.push({ readme, gzipped });
    measured.push(`floor: ${label} ${formatBytes(gzipped)} B gz`);
  }
  return { problems, measured, sizes };
}
