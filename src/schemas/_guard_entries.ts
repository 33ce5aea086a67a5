/**
 * An object schema's entries as valibot's loop may safely read them, for
 * `_strict_object.ts` and `_loose_object.ts`.
 *
 * @module
 */

import type * as v from "valibot";

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
