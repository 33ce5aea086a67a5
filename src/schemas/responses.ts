/**
 * The schemas of the responses to `PATCH /b2b/users/{user}` (Update User)
 * and `GET /b2b/users/{user}` (Get User).
 *
 * @module
 */

import * as v from "valibot";
import type { ValibotSchema } from "./schema.ts";
import { absentIfNull, looseObject } from "./_loose_object.ts";
import {
  ARRAY_MESSAGE,
  objectMessage,
  RESULT_MESSAGE,
  STRING_MESSAGE,
} from "./_messages.ts";

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
export const UpdateUserResponseSchema: ValibotSchema<UpdateUserResponse> =
  looseObject(
    { result: v.nullable(v.picklist(["success"], RESULT_MESSAGE)) },
    objectMessage,
  );

/**
 * Something the user must do before the account is fully usable, as listed
 * in `status.required_actions` of the Get User response.
 *
 * @example An identity verification to complete
 * ```ts
 * import type { RequiredAction } from "@kraken-embed/client";
 *
 * const action: RequiredAction = {
 *   action_type: "verification",
 *   verification_type: "identity",
 *   reasons: ["initial_onboarding"],
 *   deadline: "2026-01-31T00:00:00Z",
 * };
 * ```
 */
export interface RequiredAction {
  /** What kind of action, e.g. `"verification"`. */
  action_type: string;
  /** Which verification, for a verification, e.g. `"identity"` (absent when the answer has none, or `null`). */
  verification_type?: string;
  /** Why it is required, e.g. `["initial_onboarding"]` (absent when the answer has none, or `null`). */
  reasons?: string[];
  /** When it must be done by: an RFC 3339 date-time (absent when the answer has none, or `null`). */
  deadline?: string;
  /** Fields the reference does not list, kept as they came. */
  [field: string]: unknown;
}

/**
 * The state of a user's account and what it still requires.
 *
 * @example An account in good standing
 * ```ts
 * import type { UserStatus } from "@kraken-embed/client";
 *
 * const status: UserStatus = { state: "ok", required_actions: [] };
 * ```
 */
export interface UserStatus {
  /** The account's state, e.g. `"ok"`. */
  state: string;
  /** What the user must still do; empty when nothing. */
  required_actions: RequiredAction[];
  /** Fields the reference does not list, kept as they came. */
  [field: string]: unknown;
}

/**
 * The `result` of the Get User response: the user's identity, status and
 * creation time, as the reference's sample shows them. How it shows the
 * profile fields set through Update User is not documented: this library
 * reads them as the emulator answers them (under the names and shapes of
 * the Update User body: `full_name`, `residence`, `phone`, ...), and the
 * type leaves them `unknown`; check one before relying on its shape, with
 * `UserPatchSchema` (`v.safeParse(UserPatchSchema, { phone: details.phone })`)
 * or a field's own exported schema (`CountryCodeSchema`, `LanguageSchema`, ...).
 *
 * @example Reading the state
 * ```ts
 * import type { UserDetails } from "@kraken-embed/client";
 *
 * const details: UserDetails = {
 *   user: "AA95 N84G TEST XXXX",
 *   user_type: "individual",
 *   status: { state: "ok", required_actions: [] },
 *   created_at: "2025-04-15T09:00:00Z",
 *   phone: "+447700900123",
 * };
 * const ready = details.status.required_actions.length === 0;
 * ```
 */
export interface UserDetails {
  /** The user's IIBAN. */
  user: string;
  /** The kind of user; `"individual"` is the one the reference shows. */
  user_type: string;
  /** The account's state and required actions. */
  status: UserStatus;
  /** When the user was created: an RFC 3339 date-time. */
  created_at: string;
  /** The partner's own identifier of the user, when one was given (absent when the answer has none, or `null`). */
  external_id?: string;
  /** Profile fields (`full_name`, `phone`, ...) and fields the reference does not list. */
  [field: string]: unknown;
}

/**
 * The body of a successful Get User response (`GET /b2b/users/{user}`).
 *
 * @example Reading the answer
 * ```ts
 * import type { GetUserResponse } from "@kraken-embed/client";
 *
 * function stateOf(body: GetUserResponse): string {
 *   return body.result.status.state;
 * }
 * ```
 */
export interface GetUserResponse {
  /** The user. */
  result: UserDetails;
  /** Fields the reference does not list, kept as they came. */
  [field: string]: unknown;
}

// Messages of their own: valibot's defaults quote the value received.
const Text = v.string(STRING_MESSAGE);
const Strings = v.array(Text, ARRAY_MESSAGE);

/**
 * The schema of {@linkcode GetUserResponse}. It checks the fields the
 * reference shows (`user`, `user_type`, `status.state`,
 * `status.required_actions`, `created_at`, `external_id`) and keeps every
 * other field as it came, so that the API can add fields without breaking
 * clients (but for fields named `__proto__`, `constructor` or `prototype`,
 * which valibot's objects leave out). An optional field that is `null` is
 * left out, as absent (the reference sketches nullable fields as
 * `"<string>"` too: a user created without an external id must not make its
 * record unreadable, and a type of your own, `{ external_id?: string }`,
 * keeps taking the answer).
 *
 * @example Validating a response body
 * ```ts
 * import * as v from "valibot";
 * import { GetUserResponseSchema } from "@kraken-embed/client";
 *
 * const body = v.parse(GetUserResponseSchema, {
 *   result: {
 *     user: "AA95 N84G TEST XXXX",
 *     user_type: "individual",
 *     status: { state: "ok", required_actions: [] },
 *     created_at: "2025-04-15T09:00:00Z",
 *     language: "en",
 *   },
 * });
 * body.result.language; // "en", kept although the schema does not list it
 * ```
 */
export const GetUserResponseSchema: ValibotSchema<GetUserResponse> =
  looseObject(
    {
      result: looseObject(
        {
          user: Text,
          user_type: Text,
          status: looseObject(
            {
              state: Text,
              required_actions: v.array(
                looseObject(
                  {
                    action_type: Text,
                    verification_type: absentIfNull(Text),
                    reasons: absentIfNull(Strings),
                    deadline: absentIfNull(Text),
                  },
                  objectMessage,
                ),
                ARRAY_MESSAGE,
              ),
            },
            objectMessage,
          ),
          created_at: Text,
          external_id: absentIfNull(Text),
        },
        objectMessage,
      ),
    },
    objectMessage,
  );
