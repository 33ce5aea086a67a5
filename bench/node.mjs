// The cases of bench/_cases.mjs under Node with mitata, against the built
// package (npm/esm, what `npm install` gives a user). Rounds interleave like
// the Deno bench file's, each in an order of its own (roundOrder).
// `node bench/node.mjs` prints a table;
// with --json it prints the numbers for bench/run.mjs.
import process from "node:process";
import { measure } from "mitata";
import { CASES, createCases, roundOrder, ROUNDS, warmUp } from "./_cases.mjs";
import { median } from "./_timing.mjs";

const packageUrl = new URL("../npm/esm/mod.js", import.meta.url);
const lib = await import(packageUrl.href).catch((error) => {
  throw new Error(
    "npm/esm is not built: run node_modules/.bin/deno run -A scripts/build_npm.ts",
    { cause: error },
  );
});
const cases = await createCases(lib);
await warmUp(cases);

// Async cases are timed one call per sample, as deno bench times them; sync
// ones in batches of 256. Short rounds (about 0.1 s per case), many of them:
// the whole Node run takes 24 to 31 s (Node 24, Node 20; bench/run.mjs prints
// each step's time).
//
// `gc: false`: when gc() is exposed, mitata forces a full collection before
// every measurement, i.e. every 80 ms here. A forced full GC frees the
// short-lived hidden classes that V8's optimized code for Node's own web
// streams, undici and WebCrypto embeds, so that code is thrown away ("marking
// dependent code for deoptimization, reason: weak objects": about 16
// functions per collection) and every measurement starts on unoptimized code
// while TurboFan recompiles it on the second core. The canned fetch and the
// update measured 2-3 times slower that way than in a loop that is left alone
// (see bench/README.md). No server collects garbage by hand every
// 80 ms, so the cases are timed without it. `node --expose-gc bench/node.mjs
// --forced-gc` times them the old way, to compare.
const gc = process.argv.includes("--forced-gc") ? undefined : false;
const ASYNC = { min_cpu_time: 80e6, min_samples: 12, batch_threshold: 0, gc };
const SYNC = { min_cpu_time: 80e6, min_samples: 12, batch_samples: 256, gc };

/** @type {Record<string, number[]>} mean ns per call, one entry per round */
const results = Object.fromEntries(CASES.map(([id]) => [id, []]));
/** @type {Record<string, number[]>} median ns per call of the async cases */
const medians = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [id, , isAsync] of roundOrder(round)) {
    const stats = await measure(cases[id], isAsync ? ASYNC : SYNC);
    results[id].push(stats.avg);
    if (isAsync) (medians[id] ??= []).push(stats.p50);
  }
}

if (process.argv.includes("--json")) {
  console.log(
    JSON.stringify({
      runtime: `node ${process.version} (V8 ${process.versions.v8})`,
      results,
      medians,
    }),
  );
} else {
  for (const [id, label] of CASES) {
    const ns = Math.round(median(results[id])).toLocaleString("en-US");
    console.log(`${label.padEnd(52)} ${ns.padStart(10)} ns/op`);
  }
}
