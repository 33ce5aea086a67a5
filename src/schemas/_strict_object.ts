/**
 * valibot's `strictObject`, with a fast path for a valid object that V8
 * keeps optimized.
 *
 * valibot's own loop walks `this.entries` with `for...in` and reads each
 * entry by key. When one function serves objects with different keys (the
 * five objects of the Update User body share it, 27 keys in all), V8's
 * Maglev compiler deoptimizes that read whenever a key it has not seen there
 * comes by ("unexpected name in keyed access") and compiles it again: about
 * 200 times in bench/validation_mix.ts, where a one-field patch every 50th
 * call made full-patch validation in Deno take 6.7 µs instead of 4.2 µs
 * (README, "Performance").
 *
 * The fast path walks an array of the keys, listed once, and builds the same
 * output valibot would. At the first sign of trouble (a value with an issue,
 * a required key missing, a key the object does not know) it hands the
 * input to valibot's own loop, which reports the issues: the result is then
 * valibot's by construction. tests/strict_object_test.ts compares the two on
 * generated inputs. The schema is the one `v.strictObject` made, so `type`,
 * `reference`, `entries`, `~standard` and valibot's methods (`pick`, `omit`,
 * `partial`, ...) behave as with valibot's; a copy with other entries runs
 * valibot's loop.
 *
 * @module
 */

import * as v from "valibot";
import { type Dataset, type Run, withFastPath } from "./_fast_path.ts";

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `v.strictObject(entries, message)` with a fast path for valid input. Freezes
 * `entries`: the keys are listed once, and a schema in use should not change
 * under its callers anyway. Entries with a default or a fallback (which the
 * fast path does not apply) keep valibot's loop.
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
  const schemas = keys.map((key) =>
    entries[key] as v.GenericSchema & { default?: unknown; fallback?: unknown }
  );
  if (
    schemas.some((s) => s.default !== undefined || s.fallback !== undefined)
  ) {
    return schema;
  }
  // Whether a missing key is allowed.
  const optional = schemas.map((s) =>
    s.type === "optional" || s.type === "exact_optional" || s.type === "nullish"
  );
  return withFastPath(schema, function (dataset, config) {
    const input = dataset.value as Record<string, unknown>;
    if (this.entries !== entries || !input || typeof input !== "object") {
      return false;
    }
    const output: Record<string, unknown> = {};
    // One dataset for every entry: the fast path leaves at the first issue,
    // so none is carried over, and no schema keeps the dataset it is given.
    // `typed` from the start, so that setting it does not grow the object.
    const item: Dataset = { value: undefined, typed: false };
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key in input) {
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
      if (!hasOwn.call(entries, key)) return false;
    }
    dataset.typed = true;
    dataset.value = output;
    return true;
  });
}
