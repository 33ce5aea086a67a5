/**
 * The schema of the `occupation` field of the Update User body.
 *
 * @module
 */

import { picklist } from "./_picklist.ts";
import type { ValibotSchema } from "./schema.ts";
import { type Occupation, OCCUPATIONS } from "./codes.ts";
import { OCCUPATION_MESSAGE } from "./_messages.ts";

/**
 * One of the {@linkcode OCCUPATIONS} the endpoint lists.
 *
 * @example Validating an occupation
 * ```ts
 * import * as v from "valibot";
 * import { OccupationSchema } from "@kraken-embed/client";
 *
 * v.is(OccupationSchema, "computers_and_it"); // true
 * v.is(OccupationSchema, "astronaut"); // false
 * ```
 */
export const OccupationSchema: ValibotSchema<Occupation> = picklist(
  OCCUPATIONS,
  OCCUPATION_MESSAGE,
);
