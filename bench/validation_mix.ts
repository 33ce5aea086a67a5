// `deno run -A bench/validation_mix.ts`: full-patch validation with
// `UserPatchSchema`, timed alone and with a one-field patch every 50th call.
//
// Up to commit 27072f3 the schema used valibot's own strictObject, and the
// second pattern sent V8's Maglev into a deoptimization loop in its shared
// `~run` ("unexpected name in keyed access"; count them with
// --v8-flags=--trace-deopt): about 200 in one run, and the mixed pattern
// took half as long again. The schemas' own strictObject
// (src/schemas/_strict_object.ts) walks an array of keys instead. To see
// both, run this script in a checkout of that commit too:
//
//   git worktree add ../before 27072f3 && ln -s "$PWD/node_modules" ../before/
//   (cd ../before && deno run -A bench/validation_mix.ts)
//
// (bench/README.md).
import * as v from "valibot";
import { UserPatchSchema } from "@kraken-embed/client";
import { FULL_PATCH, ONE_FIELD_PATCH } from "./_cases.mjs";

function time(mixed: boolean): number {
  let k = 0;
  const run = () => {
    if (mixed && ++k % 50 === 0) v.safeParse(UserPatchSchema, ONE_FIELD_PATCH);
    if (!v.safeParse(UserPatchSchema, FULL_PATCH).success) {
      throw new Error("the full patch is refused");
    }
  };
  for (let i = 0; i < 3_000; i++) run();
  const start = performance.now();
  for (let i = 0; i < 20_000; i++) run();
  return (performance.now() - start) * 1e3 / 20_000;
}

// Each pattern in its own fresh isolate would be fairer; one process, alone
// first, keeps the script short: the mixed pattern's deopts only add cost.
console.log(
  `full patch alone:                       ${time(false).toFixed(1)} µs/call`,
);
console.log(
  `full patch, one-field every 50th call:  ${time(true).toFixed(1)} µs/call`,
);
