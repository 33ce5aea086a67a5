/**
 * valibot's `looseObject`, over the object's own keys.
 *
 * valibot's asks `key in input`, which finds keys on the prototype chain,
 * and walks its entries with for...in, which walks keys set on
 * Object.prototype: with a key set there by other code (a merge of
 * untrusted JSON), every answer checked with it failed (the key taken for
 * an entry), and a missing optional field could read as the inherited
 * value. The answers' schemas (`responses.ts`) are made with this one.
 *
 * @module
 */

import * as v from "valibot";
import type { Dataset, Run } from "./_fast_path.ts";
import { runGuarded } from "./_guard_entries.ts";

// The entries made by absentIfNull, which looseObject leaves out when null.
const NULL_AS_ABSENT = new WeakSet<object>();

/**
 * An optional entry that may be `null`, typed as absent or there: an object
 * made by {@linkcode looseObject} leaves a `null` out of its output, as if
 * absent (an answer's field sketched as `"<string>"` may come as `null`).
 *
 * @param schema The entry's schema when it is there.
 */
// @__NO_SIDE_EFFECTS__
export function absentIfNull<T extends v.GenericSchema>(
  schema: T,
): v.ExactOptionalSchema<T, undefined> {
  const entry = v.exactOptional(v.nullable(schema));
  NULL_AS_ABSENT.add(entry);
  return entry as unknown as v.ExactOptionalSchema<T, undefined>;
}

/**
 * `v.looseObject(entries, message)`, run over a copy of the object's own
 * enumerable keys without a prototype, with guarded entries. (Unlike
 * strictObject's, an own key that is not enumerable is left out, as
 * `JSON.parse`, which makes the answers it checks, makes none.) Freezes
 * `entries`.
 *
 * @param entries The object's entries.
 * @param message The message of the object's issues.
 * @returns The schema `v.looseObject` returns.
 */
// @__NO_SIDE_EFFECTS__
export function looseObject<
  const TEntries extends v.ObjectEntries,
  const TMessage extends v.ErrorMessage<v.LooseObjectIssue> | undefined,
>(
  entries: TEntries,
  message: TMessage,
): v.LooseObjectSchema<TEntries, TMessage> {
  // The entries made by absentIfNull, found once.
  const nullable = Object.keys(entries).filter((key) =>
    NULL_AS_ABSENT.has(entries[key]!)
  );
  // Frozen, as strictObject's: their guarded copy is made once.
  const schema = v.looseObject(Object.freeze(entries), message);
  const target = schema as unknown as { "~run": Run };
  const loop = target["~run"];
  target["~run"] = function (
    this: v.LooseObjectSchema<TEntries, TMessage>,
    dataset: Dataset,
    config: unknown,
  ) {
    const input = dataset.value;
    // Not an object at all: valibot's issue.
    if (!input || typeof input !== "object") {
      return loop.call(this, dataset, config);
    }
    runGuarded(
      loop,
      this,
      dataset,
      config,
      Object.assign(Object.create(null), input),
      input,
    );
    // valibot's output is an object of its own making, not the input.
    const output = dataset.value as Record<string, unknown>;
    for (const key of nullable) {
      if (dataset.typed && output[key] === null) delete output[key];
    }
    return dataset;
  };
  return schema;
}
