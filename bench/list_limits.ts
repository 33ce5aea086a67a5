// `deno run -A --config deno.json bench/list_limits.ts`: how long
// `UserPatchSchema` takes to judge a patch with a very long `nationalities` or
// `tax_ids`, as a patch built from untrusted input may carry, and how many
// issues it reports.
//
// Both lists take at most 262 entries, and a longer one is refused before any
// entry is read (src/schemas/user_patch.ts). To see the time without the
// limit, run this script in a checkout of c1cecdc, from before it:
//
//   git worktree add ../before c1cecdc && ln -s "$PWD/node_modules" ../before/
//   cp bench/list_limits.ts ../before/bench/
//   (cd ../before && deno run -A --config deno.json bench/list_limits.ts)
//
// Unknown keys: each object's first 20 are named, one issue each, and the
// 20th issue counts the rest (src/schemas/_strict_object.ts); in a checkout
// of c036c81, from before that, every one had an issue. The time left is
// walking the keys, which JSON.parse has done once already: the script
// prints its time for the same object, as JSON.
//
// One run of each, one call per case: these are seconds against
// milliseconds, not a comparison that needs rounds (bench/README.md).
import * as v from "valibot";
import { UserPatchSchema } from "@kraken-embed/client";

const cases: Record<string, unknown> = {
  'nationalities: 1,000,000 x "GB"': {
    nationalities: new Array(1_000_000).fill("GB"),
  },
  "tax_ids: 300,000 bad entries": {
    tax_ids: new Array(300_000).fill({ id: "" }),
  },
  "tax_ids: 300,000 valid entries": {
    tax_ids: new Array(300_000).fill({ id: "1", issuing_country: "GB" }),
  },
  "1,000,000 unknown keys": Object.fromEntries(
    Array.from({ length: 1_000_000 }, (_, i) => [`k${i}`, i]),
  ),
  "tax_ids: 262 entries of 1,000 unknown keys each": {
    tax_ids: Array.from({ length: 262 }, () => ({
      id: "1",
      issuing_country: "GB",
      ...Object.fromEntries(
        Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]),
      ),
    })),
  },
};
const parseMs = (value: unknown) => {
  const json = JSON.stringify(value);
  const start = performance.now();
  JSON.parse(json);
  return performance.now() - start;
};
for (const [name, patch] of Object.entries(cases)) {
  const start = performance.now();
  const result = v.safeParse(UserPatchSchema, patch);
  const ms = performance.now() - start;
  const count = result.success ? 0 : result.issues.length;
  console.log(
    `${name}: ${ms.toFixed(1)} ms, ${count} issues (JSON.parse of it: ${
      parseMs(patch).toFixed(1)
    } ms)`,
  );
}
