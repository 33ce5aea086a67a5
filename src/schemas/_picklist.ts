/**
 * valibot's `picklist`, checking membership with a `Set`.
 *
 * valibot's picklist runs `options.includes(value)`, a scan of the list: for
 * the 262 country codes that was a quarter of a full patch's validation time
 * in Deno. A `Set` answers in one step, with the same equality
 * (SameValueZero). The list is frozen, so a set built from it once stays
 * right. A value not in the set, and any copy of the schema with other
 * options, goes to valibot's own check, which reports the issue. The schema
 * is the one `v.picklist` made (`type`, `reference`, `options`, `expects`,
 * `~standard`).
 *
 * @module
 */

import * as v from "valibot";
import { withFastPath } from "./_fast_path.ts";

/**
 * `v.picklist(options, message)` that finds an allowed value with a `Set`
 * lookup. Freezes `options`.
 *
 * @param options The values allowed.
 * @param message The message of the issue for any other value.
 * @returns The schema `v.picklist` returns.
 */
// @__NO_SIDE_EFFECTS__
export function picklist<
  const TOptions extends v.PicklistOptions,
  const TMessage extends v.ErrorMessage<v.PicklistIssue> | undefined,
>(options: TOptions, message: TMessage): v.PicklistSchema<TOptions, TMessage> {
  const schema = v.picklist(Object.freeze(options), message);
  const set = new Set<unknown>(options);
  return withFastPath(schema, function (dataset) {
    if (this.options !== options || !set.has(dataset.value)) return false;
    dataset.typed = true;
    return true;
  });
}
