/**
 * valibot's `strictObject`, over what `JSON.stringify` would send, with a
 * fast path for a valid object that V8 keeps optimized.
 *
 * Four differences from valibot's, each about what reaches the request:
 *
 * - Only the object's own keys count. valibot's `key in input` also finds
 *   keys on the prototype chain and copies them into its output: with
 *   `Object.prototype.occupation` set by some other code, every patch would
 *   be sent with that occupation. (An unknown key counts when it is
 *   enumerable, as `JSON.stringify` sends only those; a known key the object
 *   owns counts even when it is not.)
 * - Only a plain object is an object: one whose prototype is an
 *   `Object.prototype` (of any realm) or `null` (`isPlainRecord`). An array,
 *   a `Date`, a `Map`, a class instance or an object made on another is
 *   refused as "Expected a plain object" (valibot takes any of them, and
 *   reads the keys it looks for off it, inherited ones too).
 * - Every unknown key is reported, not only the first (valibot stops at the
 *   first), so that one error names every misspelt field: up to 20 per
 *   object, the 20th issue's message counting the rest.
 * - An entry's `fallback` (and an optional entry's `default`) is its own,
 *   never one set on `Object.prototype`, which valibot's loop would put in
 *   every missing field, unchecked (`_guard_entries.ts`).
 *
 * Otherwise it is valibot's: the schema is the one `v.strictObject` made (so
 * `type`, `reference`, `entries`, `~standard` and valibot's methods behave as
 * with valibot's), and every issue but the further unknown keys comes from
 * valibot's own loop, run over a copy of the object's own keys.
 *
 * The fast path: valibot's loop walks `this.entries` with `for...in` and
 * reads each entry by key. When one function serves objects with different
 * keys (the five objects of the Update User body share it, 27 keys in all),
 * V8's Maglev compiler deoptimizes that read whenever a key it has not seen
 * there comes by ("unexpected name in keyed access") and compiles it again:
 * about 200 times in bench/validation_mix.ts, where a one-field patch every
 * 50th call made full-patch validation in Deno take 6.7 µs instead of 4.2 µs
 * (bench/README.md, "Where the time goes"). The fast path walks an array of the keys, listed
 * once, and builds the same output. At the first sign of trouble (a value
 * with an issue, a required key missing, a key the object does not know) it
 * hands the object to the loop above, which reports the issues.
 * tests/strict_object_test.ts holds the fast path to that loop, and the loop
 * to valibot's, on generated inputs. A copy of the schema with other entries
 * (from valibot's `pick`, `omit`, ...) always runs the loop.
 *
 * @module
 */

import * as v from "valibot";
import { type Dataset, type Run, withFastPath } from "./_fast_path.ts";
import { isPlainRecord } from "../is_plain_record.ts";
import { guardEntries, runGuarded } from "./_guard_entries.ts";

const hasOwn = Object.prototype.hasOwnProperty;

// How many unknown keys of one object are named, each with an issue of its
// own; the last one's message counts the rest. Every issue costs a few
// microseconds, and a patch built from untrusted input (the Workers example
// passes a request's JSON on) must not cost seconds of checking: a million
// unknown keys took 2.6 to 3.6 s to refuse, one issue each (README, "What is
// checked before sending").
const MAX_UNKNOWN_NAMED = 20;

type Schema = v.StrictObjectSchema<v.ObjectEntries, undefined>;

/**
 * `v.strictObject(entries, message)` over the own keys of plain
 * objects, reporting every unknown key, with a fast path for valid input.
 * Freezes `entries`: the keys are listed once, and a schema in use should not
 * change under its callers anyway. Entries with a default or a fallback
 * (which the fast path does not apply) always run valibot's loop.
 *
 * @param entries The object's entries.
 * @param message The message of the object's issues.
 * @returns The schema `v.strictObject` returns.
 */
// @__NO_SIDE_EFFECTS__
export function strictObject<
  const TEntries extends v.ObjectEntries,
  const TMessage extends v.ErrorMessage<v.StrictObjectIssue> | undefined,
>(
  entries: TEntries,
  message: TMessage,
): v.StrictObjectSchema<TEntries, TMessage> {
  const schema = v.strictObject(Object.freeze(entries), message);
  const keys = Object.keys(entries);
  const schemas = keys.map((key) => entries[key]);
  // Read through the guarded entries, which own their `default` and
  // `fallback`: not ones set on Object.prototype.
  const fast = !Object.values(guardEntries(entries)).some((s) =>
    (s as { default?: unknown }).default !== undefined ||
    (s as { fallback?: unknown }).fallback !== undefined
  );
  // Whether a missing key is allowed.
  const optional = schemas.map((s) =>
    s.type === "optional" || s.type === "exact_optional" || s.type === "nullish"
  );
  const target = schema as unknown as { "~run": Run };
  const loop = target["~run"];

  // The loop: valibot's, over a copy of the object's own keys, then an issue
  // for each unknown key after the first, which valibot's loop reported.
  target["~run"] = function (this: Schema, dataset: Dataset, config: unknown) {
    const input = dataset.value as Record<string, unknown>;
    const cfg = config as v.Config<v.BaseIssue<unknown>>;
    // Not an object at all: valibot's issue.
    if (!input || typeof input !== "object") {
      return loop.call(this, dataset, config);
    }
    if (!isPlainRecord(input)) {
      v._addIssue(this, "type", dataset as v.UnknownDataset, cfg);
      return dataset;
    }
    const known = guardEntries(this.entries);
    const copy: Record<string, unknown> = Object.create(null);
    const unknown: string[] = [];
    // Each value read once here, and valibot's loop checks this copy, so the
    // output is what was checked (the fast path, which gave up, may have
    // read a getter before). A known key counts when the object owns it,
    // enumerable or not, as in the fast path.
    for (const key in known) {
      if (hasOwn.call(input, key)) copy[key] = input[key];
    }
    // Every unknown key is counted; the first MAX_UNKNOWN_NAMED are named.
    let unknownCount = 0;
    for (const key of Object.keys(input)) {
      if (!(key in known) && unknownCount++ < MAX_UNKNOWN_NAMED) {
        unknown.push(key), copy[key] = input[key];
      }
    }
    runGuarded(loop, this, dataset, cfg, copy, input);
    for (let i = 1; i < unknown.length && !cfg.abortEarly; i++) {
      const key = unknown[i];
      v._addIssue(this, "key", dataset as v.UnknownDataset, cfg, {
        input: key,
        expected: "never",
        path: [{ type: "object", origin: "key", input, key, value: copy[key] }],
      });
    }
    // The last issue, that of the last key named, says how many were not.
    const more = unknownCount - unknown.length;
    if (more > 0 && !cfg.abortEarly) {
      const issues = dataset.issues as { message: string }[];
      issues[issues.length - 1].message +=
        `; unknown fields here not named: ${more} more`;
    }
    return dataset;
  };
  if (!fast) return schema;
  return withFastPath(schema, function (dataset, config) {
    const input = dataset.value as Record<string, unknown>;
    if (
      this.entries !== entries || !input || typeof input !== "object" ||
      !isPlainRecord(input)
    ) {
      return false;
    }
    const output: Record<string, unknown> = {};
    // One dataset for every entry: the fast path leaves at the first issue,
    // so none is carried over, and no schema keeps the dataset it is given.
    // `typed` from the start, so that setting it does not grow the object.
    const item: Dataset = { value: undefined, typed: false };
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (hasOwn.call(input, key)) {
        item.value = input[key];
        item.typed = false;
        const result = (schemas[i]["~run"] as unknown as Run)(item, config);
        if (result.issues || !result.typed) return false;
        output[key] = result.value;
      } else if (!optional[i]) {
        return false;
      }
    }
    for (const key in input) {
      if (!hasOwn.call(entries, key) && hasOwn.call(input, key)) return false;
    }
    dataset.typed = true;
    dataset.value = output;
    return true;
  });
}
