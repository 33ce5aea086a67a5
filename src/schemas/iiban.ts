/**
 * The schema of the `{user}` path parameter: the user's IIBAN.
 *
 * @module
 */

import * as v from "valibot";
import type { ValibotSchema } from "./schema.ts";
import { IIBAN_MESSAGE } from "./_messages.ts";

// The groups must each start with one space, so the match is linear.
const IIBAN = /^(?=.{14,42}$)[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;

/**
 * Whether a string is an IIBAN: the check of {@linkcode IibanSchema}, for a
 * caller that wants it without a parse (the client's hot path). Internal.
 */
export function isIiban(s: string): boolean {
  return IIBAN.test(s);
}

/**
 * An Internet International Bank Account Number (IIBAN), the identifier of a
 * user in the path of `/b2b/users/{user}`: 14 to 42 characters, ASCII letters
 * and digits in groups separated by single spaces, with no space at either
 * end.
 *
 * @example Validating an IIBAN
 * ```ts
 * import * as v from "valibot";
 * import { IibanSchema } from "@kraken-embed/client";
 *
 * v.is(IibanSchema, "AA95 N84G TEST XXXX"); // true
 * v.is(IibanSchema, "AA95  N84G TEST XXXX"); // false: double space
 * ```
 */
export const IibanSchema: ValibotSchema<string> = v.pipe(
  v.string(IIBAN_MESSAGE),
  v.check(isIiban, IIBAN_MESSAGE),
);
