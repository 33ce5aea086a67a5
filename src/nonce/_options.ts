/**
 * Reading a nonce source's options: `counterNonce`'s and
 * `durableObjectNonce`'s.
 *
 * @module
 */

import { EmbedConfigError, readableOptions } from "../errors.ts";
import { isPlainObject } from "../is_plain_object.ts";
import { unknownKey } from "../issue_path.ts";
import { optionValues } from "../option_values.ts";
import { readU64 } from "./_u64.ts";

/**
 * The values of `options`, each read once: a plain object with no name but
 * `names`. Refused with an {@linkcode EmbedConfigError} naming `options`
 * when it is not a plain object (a `Map` or an array has no option to read:
 * they would be ignored) or reading it threw (a getter or a Proxy trap of
 * the caller's, whose error is not passed on), or naming the unknown name.
 *
 * @param options The options given.
 * @param names The names they may have.
 */
export function readOptions<N extends string>(
  options: unknown,
  names: readonly N[],
): Partial<Record<N, unknown>> {
  try {
    if (!isPlainObject(options)) {
      throw new EmbedConfigError(
        "options",
        `Expected a plain object { ${names.join("?, ")}? }`,
      );
    }
    const unknown = unknownKey(options, names);
    if (unknown !== undefined) {
      throw new EmbedConfigError(unknown, "Unknown option");
    }
    return optionValues(options as Partial<Record<N, unknown>>, names);
  } catch (error) {
    throw readableOptions(error);
  }
}

/**
 * An option that must be an unsigned 64-bit integer, as a bigint, a safe
 * integer or a decimal string.
 *
 * @param value The option's value.
 * @param name The option's name, for the error.
 * @throws {EmbedConfigError} Naming the option, for any other value.
 */
export function u64Option(value: unknown, name: string): bigint {
  const n = readU64(value);
  if (n === undefined) {
    throw new EmbedConfigError(
      name,
      "Expected an unsigned 64-bit integer as a bigint, safe integer or decimal string",
    );
  }
  return n;
}
