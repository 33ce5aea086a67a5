// The ratios the (b)/(a) and (d)/(a) targets are judged on, in paired blocks:
//
//   node bench/paired.mjs                                   (npm/esm, built)
//   deno run -A --config deno.json bench/paired.mjs         (the source)
//
// The cases of bench/_cases.mjs that those targets name, with the floor a
// second time as a control, take turns in blocks of 64 calls, 250 times over.
// Each turn the order is rotated by one and every other turn reversed
// (bench/_timing.mjs's pairedBlocks). A case's ratio is taken between
// its block and the floor's of the same turn, a few milliseconds apart, and
// the median over turns is printed. The rounds of deno bench and mitata
// (bench/run.mjs's table) are 80 ms a case, a second apart: on a shared
// virtual machine the floor moves between them, and timed against itself it
// came out anywhere from 0.93 to 1.16 of itself in six runs, wider than the
// 5% the (b)/(a) target allows. Paired blocks put it at 0.980 to 1.030 in
// every run of 2026-12-07.
//
// Calls are not paired one by one: a call is quicker after a call of the same
// case than after another, so single calls in turn would measure who runs
// before whom as much as the case.
//
// With --json it prints the numbers for bench/run.mjs. With `--against
// <checkout>` (its npm/ built, for Node: `deno run -A scripts/build_npm.ts`
// there) it also times that checkout's
// signRequest and update in the same blocks, as `b_key@other` and
// `d_full@other`: a change too small for separate runs to show.
import process from "node:process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createCases, warmUp } from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { median, pairedBlocks, turnRatios } from "./_timing.mjs";

/** Calls per block, turns. */
export const BLOCK = 64;
export const TURNS = 250;
// With what every update must do and the bare client, for what of (d)'s
// ratio the client could still take away.
const IDS = ["a", "a_again", "b_key", "b_string", "d_full", "least", "bare"];

const all = await createCases(lib);
const cases = Object.fromEntries(IDS.map((id) => [id, all[id]]));
const args = globalThis.Deno?.args ?? process.argv.slice(2);
const at = args.indexOf("--against");
if (at !== -1) {
  const against = args[at + 1];
  if (!against) throw new Error("usage: paired.mjs --against <checkout>");
  const entry = isDeno ? "mod.ts" : "npm/esm/mod.js";
  const other = await createCases(
    await import(pathToFileURL(resolve(against, entry)).href),
  );
  cases["b_key@other"] = other.b_key;
  cases["d_full@other"] = other.d_full;
}
await warmUp(cases);

const perCall = await pairedBlocks(cases, { block: BLOCK, turns: TURNS });

/** Per case: the median of the turns' own ratios to the floor, and their quartiles. */
const ratios = {};
for (const id of Object.keys(cases).slice(1)) {
  const each = turnRatios(perCall, id, "a");
  ratios[id] = {
    median: median(each),
    q1: each[each.length >> 2],
    q3: each[(3 * each.length) >> 2],
  };
}
const floorNs = median(perCall.a) * 1e6;

if (args.includes("--json")) {
  console.log(JSON.stringify({ block: BLOCK, turns: TURNS, floorNs, ratios }));
} else {
  console.log(
    `${isDeno ? "deno" : `node ${process.version}`}: ` +
      `floor ${Math.round(floorNs).toLocaleString("en-US")} ns/op; ` +
      `÷ (a), median of ${TURNS} turns of ${BLOCK} calls (quartiles):`,
  );
  for (const [id, { median, q1, q3 }] of Object.entries(ratios)) {
    console.log(
      `  ${id.padEnd(12)} ${median.toFixed(3)} (${q1.toFixed(3)}-${
        q3.toFixed(3)
      })`,
    );
  }
}
