/**
 * The schema of the response to `PATCH /b2b/users/{user}`.
 *
 * @module
 */

import * as v from "valibot";
import { objectMessage, RESULT_MESSAGE } from "./_messages.ts";

/**
 * The body of a successful Update User response.
 *
 * @example Reading the result
 * ```ts
 * import type { UpdateUserResponse } from "@kraken-embed/client";
 *
 * const body: UpdateUserResponse = { result: "success" };
 * const ok = body.result === "success";
 * ```
 */
export interface UpdateUserResponse {
  /** `"success"` when the user was updated; the reference also allows `null`. */
  result: "success" | null;
  /** Fields the reference does not list, kept as they came. */
  [field: string]: unknown;
}

/**
 * The schema of {@linkcode UpdateUserResponse}: `{ "result": "success" }`
 * (or `null`). Fields the reference does not list are kept, not rejected, so
 * that the API can add fields without breaking clients.
 *
 * @example Validating a response body
 * ```ts
 * import * as v from "valibot";
 * import { UpdateUserResponseSchema } from "@kraken-embed/client";
 *
 * const body = v.parse(UpdateUserResponseSchema, { result: "success" });
 * body.result; // "success"
 * ```
 */
export const UpdateUserResponseSchema: v.GenericSchema<UpdateUserResponse> = v
  .looseObject(
    { result: v.nullable(v.literal("success", RESULT_MESSAGE)) },
    objectMessage,
  );
