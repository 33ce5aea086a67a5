// `deno bench -A --config deno.json bench/`: the cases of bench/_cases.mjs against the source, as
// Deno users import it. Each case is registered once per round, and the rounds
// interleave, so a slow minute on a shared machine lands on every case of a
// round rather than on one case; bench/run.mjs takes the median over rounds.
// Each round runs the cases in an order of its own (roundOrder).
//
// deno bench reports means; bench/run.mjs also wants each async case's median
// call, so those calls are timed here too and, when BENCH_MEDIANS names a
// file, written there when the run ends.
import * as lib from "@kraken-embed/client";
import { createCases, roundOrder, ROUNDS, warmUp } from "./_cases.mjs";
import { median } from "./_timing.mjs";

const cases = await createCases(lib);
await warmUp(cases);
/** Per async case, per round: the duration of each call, in nanoseconds. */
const calls: Record<string, number[][]> = {};

for (let round = 1; round <= ROUNDS; round++) {
  for (const [id, , isAsync] of roundOrder(round - 1)) {
    const run = cases[id];
    const durations: number[] = [];
    if (isAsync) (calls[id] ??= []).push(durations);
    Deno.bench({
      name: `${id} #${round}`,
      group: `round ${round}`,
      baseline: id === "a",
      // A suggestion for the slow (async) cases; fast ones run longer anyway.
      n: 500,
      warmup: 100,
      // Deno.bench awaits only an async function, not any function that
      // returns a promise.
      fn: isAsync
        ? async () => {
          const start = performance.now();
          await run();
          durations.push((performance.now() - start) * 1e6);
        }
        : () => {
          run();
        },
    });
  }
}

const out = Deno.env.get("BENCH_MEDIANS");
if (out) {
  globalThis.addEventListener("unload", () => {
    const medians = Object.fromEntries(
      Object.entries(calls).map(([id, rounds]) => [id, rounds.map(median)]),
    );
    Deno.writeTextFileSync(out, JSON.stringify(medians));
  });
}
