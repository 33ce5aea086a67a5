// `deno run -A --config deno.json bench/sign_overhead.ts`: what signRequest
// adds to the floor of bench/_cases.mjs, in microseconds rather than as a
// ratio. The floor (a), signRequest with a CryptoKey and with a string
// secret seen before (b), and the floor again take turns, 1,000 calls each
// per turn, 15 rounds (every other one in reverse order); each case's
// median per call is printed. (a) against "(a) again" is how far two runs
// of the same work differ here.
import * as lib from "@kraken-embed/client";
import { createCases } from "./_cases.mjs";
import { median } from "./_timing.mjs";

const cases = await createCases(lib);
const names = ["a", "b_key", "b_string", "a_again"];
for (let i = 0; i < 5_000; i++) for (const name of names) await cases[name]();
const perCall: Record<string, number[]> = {};
for (let round = 0; round < 15; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) {
    const start = performance.now();
    for (let i = 0; i < 1_000; i++) await cases[name]();
    // 1,000 calls in milliseconds: microseconds per call.
    (perCall[name] ??= []).push(performance.now() - start);
  }
}
for (const name of names) {
  console.log(`${name.padEnd(8)} ${median(perCall[name]).toFixed(1)} µs/call`);
}
