/**
 * Puts a fast path in front of a valibot schema's own run function, for
 * `_strict_object.ts` and `_picklist.ts`: the fast path either accepts the
 * input and fills in the dataset, or leaves the dataset untouched and hands
 * it to valibot's run, which then decides and reports every issue itself.
 *
 * @module
 */

/** A dataset as a valibot schema's `~run` takes and returns it. */
export interface Dataset {
  value: unknown;
  typed?: boolean;
  issues?: unknown;
}

/** A valibot schema's `~run`. */
export type Run = (dataset: Dataset, config: unknown) => Dataset;

/**
 * Replaces `schema["~run"]` with one that tries `fast` first and falls back
 * to the schema's own run where `fast` returns `false`. `fast` sees the
 * schema being run as `this` (a copy made by valibot's methods too) and must
 * not change the dataset unless it returns `true`.
 *
 * @param schema A schema made by a valibot factory.
 * @param fast Accepts the input (filling in `typed` and `value`), or declines.
 * @returns `schema`, changed in place.
 */
export function withFastPath<S extends object>(
  schema: S,
  fast: (this: S, dataset: Dataset, config: unknown) => boolean,
): S {
  const target = schema as S & { "~run": Run };
  const slow = target["~run"];
  target["~run"] = function (this: S, dataset, config) {
    return fast.call(this, dataset, config)
      ? dataset
      : slow.call(this, dataset, config);
  };
  return schema;
}
