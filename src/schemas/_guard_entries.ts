/**
 * An object schema's entries as valibot's loop may safely read them, and
 * that loop run over a copy of an object, for `_strict_object.ts` and
 * `_loose_object.ts`.
 *
 * @module
 */

import type * as v from "valibot";
import type { Dataset, Run } from "./_fast_path.ts";

// A schema's own `name`: not one set on Object.prototype by other code.
function own(schema: object, name: "default" | "fallback"): unknown {
  return Object.hasOwn(schema, name)
    ? (schema as Record<string, unknown>)[name]
    : undefined;
}

// Made once per entries object: a copy of a schema (from valibot's
// `partial`, `omit`, ...) has entries of its own, used at every parse.
const guarded = new WeakMap<v.ObjectEntries, v.ObjectEntries>();

/**
 * `entries` without a prototype (valibot's loop walks them with for...in,
 * which would also walk keys set on Object.prototype, and call a string's
 * `~run`), each owning its `default` and `fallback`. For a missing key
 * valibot's loop reads the entry's `fallback` (and an optional entry's
 * `default`) as a plain property: with `Object.prototype.fallback` set by
 * other code (a merge of untrusted JSON), that value would fill every
 * missing field, unchecked, and a patch of one field would be sent with all
 * of them. Internal, not exported by the package.
 *
 * @param entries An object schema's entries.
 */
export function guardEntries(entries: v.ObjectEntries): v.ObjectEntries {
  let known = guarded.get(entries);
  if (known) return known;
  known = Object.create(null) as v.ObjectEntries;
  guarded.set(entries, known);
  for (const key of Object.keys(entries)) {
    const schema = entries[key];
    known[key] = Object.create(schema, {
      default: { value: own(schema, "default") },
      fallback: { value: own(schema, "fallback") },
    });
  }
  return known;
}

// The schema as the loop sees it, its entries guarded: made once per schema
// and entries (a schema's `entries` may be replaced).
const views = new WeakMap<object, { entries: object; view: object }>();

/**
 * Runs valibot's object loop `loop` of `schema` over `copy` (the caller's
 * `input`, copied without a prototype), with guarded entries; then points
 * the issues' paths at `input`, not the copy. Internal, not exported by the
 * package.
 *
 * @param loop The schema's own `~run`, valibot's.
 * @param schema The schema being run (`this`).
 * @param dataset The dataset, whose value becomes `copy`.
 * @param config valibot's config.
 * @param copy The object the loop reads.
 * @param input The caller's object.
 */
export function runGuarded(
  loop: Run,
  schema: { entries: v.ObjectEntries },
  dataset: Dataset,
  config: unknown,
  copy: object,
  input: object,
): void {
  dataset.value = copy;
  let seen = views.get(schema);
  if (seen?.entries !== schema.entries) {
    seen = {
      entries: schema.entries,
      view: Object.create(schema, {
        entries: { value: guardEntries(schema.entries) },
      }),
    };
    views.set(schema, seen);
  }
  loop.call(seen.view, dataset, config);
  for (const issue of (dataset.issues ?? []) as v.BaseIssue<unknown>[]) {
    const item = issue.path?.[0];
    if (item?.input === copy) (item as { input: unknown }).input = input;
  }
}
