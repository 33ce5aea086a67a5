/**
 * The schema of the `language` field of the Update User body.
 *
 * @module
 */

import { picklist } from "./_picklist.ts";
import type { ValibotSchema } from "./schema.ts";
import { LANGUAGE_CODES, type LanguageCode } from "./codes.ts";
import { LANGUAGE_MESSAGE } from "./_messages.ts";

/**
 * An ISO 639-1 language code from {@linkcode LANGUAGE_CODES}: two lowercase
 * letters that name a language, not any two letters (`"xx"` and `"EN"` fail).
 *
 * @example Validating a language code
 * ```ts
 * import * as v from "valibot";
 * import { LanguageSchema } from "@kraken-embed/client";
 *
 * v.is(LanguageSchema, "en"); // true
 * v.is(LanguageSchema, "xx"); // false
 * ```
 */
export const LanguageSchema: ValibotSchema<LanguageCode> = picklist(
  LANGUAGE_CODES,
  LANGUAGE_MESSAGE,
);
