// What the package costs a browser or worker bundle: the minified, gzipped
// size of a snippet that imports from the built package (valibot included)
// must stay within budget. Over budget, the report lists what the bundle
// holds, biggest first, so it can be shrunk.
import { bundle, formatBytes } from "./bundle.mjs";

export const BUDGETS = [
  {
    label: "EmbedClient+UserPatchSchema",
    contents:
      'export { EmbedClient, UserPatchSchema } from "@kraken-embed/client";',
    budget: 6000,
  },
  {
    label: "signRequest",
    contents: 'export { signRequest } from "@kraken-embed/client";',
    budget: 1500,
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

/** @returns {Promise<{ problems: string[], measured: string[] }>} */
export async function checkBudgets(root) {
  const problems = [];
  const measured = [];
  for (const { label, contents, budget } of BUDGETS) {
    const { bytes, gzipped, output } = await bundle(root, contents);
    const size = `${formatBytes(gzipped)} B gz`;
    console.log(
      `bundle ${label}: ${formatBytes(bytes)} B minified, ${size} ` +
        `(budget ${formatBytes(budget)})`,
    );
    measured.push(`${label} ${size} (budget ${formatBytes(budget)})`);
    if (gzipped > budget) {
      problems.push(
        `bundle ${label} is ${size}, over its budget of ${formatBytes(budget)}`,
      );
      console.log(
        `  what it holds (minified bytes per input):\n` +
          topInputs(output).join("\n"),
      );
    }
  }
  return { problems, measured };
}
