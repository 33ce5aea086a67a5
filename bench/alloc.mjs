// How many bytes an update allocates, against the bounds of bench/_cases.mjs
// (bench/README.md), in Deno or Node:
//
//   node --expose-gc --max-semi-space-size=128 --min-semi-space-size=128 bench/alloc.mjs
//   deno run -A --config deno.json \
//     --v8-flags=--expose-gc,--max-semi-space-size=128,--min-semi-space-size=128 bench/alloc.mjs
//
// Each kind runs in waves of 1,000 at once, as in the concurrency target;
// the heap is collected before a wave, and the young generation is made large
// enough (128 MB) that no collection runs during one, so the heap's growth
// over a wave is what the wave allocated. Everything allocated while 1,000
// updates are in flight is still live at every scavenge, so it is also what
// each scavenge has to copy.
//
// To count an earlier commit's (the README quotes 858bd58, which predates this
// script), run these benchmark files in a checkout of it:
//
//   git worktree add ../before <commit> && ln -s "$PWD/node_modules" ../before/
//   cp bench/alloc.mjs bench/_cases.mjs bench/_lib.mjs bench/_timing.mjs ../before/bench/
//   (cd ../before && <either command above>)       (Node: its npm/ built first)
import process from "node:process";
import { createCases } from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { median } from "./_timing.mjs";

const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
if (gc === undefined) {
  throw new Error("gc() is not exposed: see the flags in this file's header");
}
const cases = await createCases(lib);
const kinds = {
  "the floor then the canned fetch": cases.a_fetch,
  "what every update must do": cases.least,
  "users.update, full patch": cases.d_full,
  "new AbortController().signal": () => new AbortController().signal,
};
const WAVE = 1_000;
console.log(
  `${
    isDeno ? "deno" : "node"
  }: bytes allocated per operation, median of 7 waves of ${
    WAVE.toLocaleString("en-US")
  } at once`,
);
for (const [name, f] of Object.entries(kinds)) {
  for (let i = 0; i < 3; i++) {
    await Promise.all(Array.from({ length: WAVE }, f));
  }
  const perOp = [];
  for (let wave = 0; wave < 7; wave++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const results = await Promise.all(Array.from({ length: WAVE }, f));
    perOp.push((process.memoryUsage().heapUsed - before) / WAVE);
    globalThis.benchSink = results;
  }
  console.log(
    `  ${name.padEnd(32)} ${
      Math.round(median(perOp)).toLocaleString("en-US").padStart(7)
    } B`,
  );
}
