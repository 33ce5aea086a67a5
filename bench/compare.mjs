// Two checkouts' clients side by side in one process, to measure a change
// smaller than the spread between runs (bench/README.md):
//
//   git worktree add ../before <commit> && ln -s "$PWD/node_modules" ../before/
//   deno run -A --config deno.json bench/compare.mjs ../before
//   node bench/compare.mjs ../before     (both checkouts' npm/ built first:
//   deno run -A scripts/build_npm.ts, here and in ../before)
//
// The two clients take turns, wave by wave, 1,000 full-patch updates one at
// a time and then 1,000 at once, against the canned fetch; it prints each
// one's medians and the median of the paired differences (this checkout
// minus the other), in µs per update.
import process from "node:process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cannedClient, FULL_PATCH, USER } from "./_cases.mjs";
import { allAtOnce, median, oneAtATime } from "./_timing.mjs";

const other = process.argv[2] ?? globalThis.Deno?.args[0];
if (!other) throw new Error("usage: compare.mjs <path of the other checkout>");
const isDeno = "Deno" in globalThis;
const entry = isDeno ? "mod.ts" : "npm/esm/mod.js";
const here = new URL("..", import.meta.url);
const libs = {
  other: await import(pathToFileURL(resolve(other, entry)).href),
  this: await import(new URL(entry, here).href),
};
const update = Object.fromEntries(
  Object.entries(libs).map(([name, lib]) => {
    const client = cannedClient(lib);
    return [name, () => client.users.update(USER, FULL_PATCH)];
  }),
);
const modes = { "one at a time": oneAtATime, "1,000 at once": allAtOnce };
for (let i = 0; i < 5; i++) {
  for (const f of Object.values(update)) {
    for (const run of Object.values(modes)) await run(f);
  }
}
const ROUNDS = 25;
const times = {};
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which goes first, so that neither always follows the other.
  const order = round % 2 ? ["other", "this"] : ["this", "other"];
  for (const [mode, run] of Object.entries(modes)) {
    for (const name of order) {
      ((times[mode] ??= {})[name] ??= []).push(await run(update[name]));
    }
  }
}
console.log(
  `${
    isDeno ? "deno" : "node"
  }: µs per full-patch update, median of ${ROUNDS} waves of 1,000`,
);
for (const [mode, byName] of Object.entries(times)) {
  const diffs = byName.this.map((t, i) => t - byName.other[i]);
  console.log(
    `  ${mode.padEnd(13)}  other ${median(byName.other).toFixed(1)}, this ${
      median(byName.this).toFixed(1)
    }, this minus other (paired) ${median(diffs).toFixed(1)}`,
  );
}
