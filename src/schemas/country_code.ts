/**
 * The schema of one country code of the Update User body.
 *
 * @module
 */

import { picklist } from "./_picklist.ts";
import type { ValibotSchema } from "./schema.ts";
import { COUNTRY_CODES, type CountryCode } from "./codes.ts";
import { COUNTRY_CODE_MESSAGE } from "./_messages.ts";

/**
 * A country code from {@linkcode COUNTRY_CODES}: uppercase, as the endpoint
 * lists them (`"fr"` fails).
 *
 * @example Validating a country code
 * ```ts
 * import * as v from "valibot";
 * import { CountryCodeSchema } from "@kraken-embed/client";
 *
 * v.is(CountryCodeSchema, "FR"); // true
 * v.is(CountryCodeSchema, "ZZ"); // false
 * ```
 */
export const CountryCodeSchema: ValibotSchema<CountryCode> = picklist(
  COUNTRY_CODES,
  COUNTRY_CODE_MESSAGE,
);
