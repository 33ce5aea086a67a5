/**
 * The options objects' check: a plain object, of any value.
 *
 * @module
 */

import { isPlain } from "./is_plain.ts";

/**
 * Whether `value` is an object and a plain one ({@linkcode isPlain}): what
 * every options object must be, since a `Map`, an array or an `AbortSignal`
 * in its place has no option to read, and would be taken for no options.
 */
export function isPlainObject(
  value: unknown,
): value is object {
  return typeof value === "object" && value !== null && isPlain(value);
}
