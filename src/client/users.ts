/**
 * `client.users`: the user endpoints.
 *
 * @module
 */

import { IibanSchema, isIiban } from "../schemas/iiban.ts";
import {
  type GetUserResponse,
  GetUserResponseSchema,
  type UpdateUserResponse,
  UpdateUserResponseSchema,
} from "../schemas/responses.ts";
import { type UserPatch, UserPatchSchema } from "../schemas/user_patch.ts";
import { type Answer, checkAnswer } from "./answer.ts";
import type { PreparedRequest } from "./request_options.ts";
import { validate } from "./validate.ts";
import { unknownKey } from "../issue_path.ts";
import { isPlainObject } from "../is_plain_object.ts";
import { optionValues } from "../option_values.ts";
import { jsonText } from "./json_text.ts";
import { personalPatterns } from "./personal.ts";
import { EmbedValidationError, readable, tookEffect } from "../errors.ts";

/**
 * Per-call options of the user endpoints.
 *
 * @example
 * ```ts
 * import { type CallOptions, EmbedClient } from "@kraken-embed/client";
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   fetch: async () => Response.json({ result: "success" }),
 * });
 * function setLanguage(user: string, options?: CallOptions) {
 *   return client.users.update(user, { language: "de" }, options);
 * }
 * const controller = new AbortController(); // controller.abort() stops the call
 * await setLanguage("AA95 N84G TEST XXXX", { signal: controller.signal });
 * ```
 */
export interface CallOptions {
  /** Stops the call at once, a backoff wait included. */
  signal?: AbortSignal | undefined;
}

/**
 * The path of one user: the IIBAN is checked, then percent-encoded, and that
 * encoded path is the one signed and sent.
 */
export function userPath(user: unknown): string {
  // A valid IIBAN skips the parse; anything else gets the schema's error.
  const iiban = typeof user === "string" && isIiban(user)
    ? user
    : validate(IibanSchema, user, "user");
  return `/b2b/users/${encodeURIComponent(iiban)}`;
}

function signalOf(options: CallOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  // A Map, an array or the signal itself has no own keys to refuse: read
  // as no options, the call could not be stopped.
  if (!isPlainObject(options)) {
    throw new EmbedValidationError("options", [{
      path: "",
      message:
        "Expected a plain object { signal?: AbortSignal } (a signal goes inside it)",
    }]);
  }
  // Refused like an unknown client option: a misspelt `signl` or a
  // `timeout` this call does not take must not be ignored silently.
  const unknown = unknownKey(options, ["signal"]);
  if (unknown !== undefined) {
    throw new EmbedValidationError("options", [{
      path: unknown,
      message: "Unknown option: calls take { signal? }",
    }]);
  }
  const { signal } = optionValues(options, ["signal"]);
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new EmbedValidationError("options", [{
      path: "signal",
      message: "Expected an AbortSignal",
    }]);
  }
  return signal;
}

/**
 * The user endpoints of an `EmbedClient`, reached as `client.users`.
 *
 * @example
 * ```ts
 * import { EmbedClient } from "@kraken-embed/client";
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   fetch: async () => Response.json({ result: "success" }),
 * });
 * await client.users.update("AA95 N84G TEST XXXX", { occupation: "finance" });
 * ```
 */
export interface UsersResource {
  /**
   * Update User: `PATCH /b2b/users/{user}`. Checks the IIBAN and the patch
   * against `UserPatchSchema` before anything is sent, serializes the patch
   * once and signs exactly those bytes.
   *
   * @param user The user's IIBAN, e.g. `AA95 N84G TEST XXXX`.
   * @param patch The fields to change; `null` clears a nullable field.
   * @param options A signal to stop the call.
   * @returns `{ result: "success" }` (or a `null` result, which the reference allows).
   * @throws {EmbedValidationError} Before sending, naming every bad field.
   * @throws {EmbedApiError} When Kraken answers with an error or an unexpected body.
   * @throws {EmbedTimeoutError} When an attempt outlasts `timeoutMs` and no retry is left.
   * @throws {EmbedNetworkError} When the request could not be sent or its answer read, and no retry is left.
   * @throws {EmbedAbortError} When `options.signal` stops the call.
   * @throws {EmbedConfigError} When the client's `nonce` source fails or its `fetch` resolves to something that is not a response.
   *
   * @example
   * ```ts
   * import { EmbedClient } from "@kraken-embed/client";
   * const client = new EmbedClient({
   *   apiKey: "my-api-key",
   *   apiSecret: "c2VjcmV0LWJ5dGVz",
   *   fetch: async () => Response.json({ result: "success" }),
   * });
   * const { result } = await client.users.update("AA95 N84G TEST XXXX", {
   *   full_name: { first_name: "Ada", last_name: "Lovelace" },
   *   nationalities: ["GB"],
   * });
   * ```
   */
  update(
    user: string,
    patch: UserPatch,
    options?: CallOptions,
  ): Promise<UpdateUserResponse>;

  /**
   * Get User: `GET /b2b/users/{user}`. Checks the IIBAN before anything is
   * sent; retried like any idempotent request.
   *
   * @param user The user's IIBAN, e.g. `AA95 N84G TEST XXXX`.
   * @param options A signal to stop the call.
   * @returns The whole body, `{ result: { user, user_type, status, created_at, ... } }`,
   * checked by `GetUserResponseSchema` (fields it does not list are kept,
   * but for `__proto__`, `constructor` and `prototype`; a `null` in an
   * optional field it lists is left out, as absent).
   * @throws {EmbedValidationError} Before sending, for a malformed IIBAN.
   * @throws {EmbedApiError} When Kraken answers with an error (`ENexus:Invalid user ID`
   * for an unknown user) or an unexpected body.
   * @throws {EmbedTimeoutError} When an attempt outlasts `timeoutMs` and no retry is left.
   * @throws {EmbedNetworkError} When the request could not be sent or its answer read, and no retry is left.
   * @throws {EmbedAbortError} When `options.signal` stops the call.
   * @throws {EmbedConfigError} When the client's `nonce` source fails or its `fetch` resolves to something that is not a response.
   *
   * @example
   * ```ts
   * import { EmbedClient } from "@kraken-embed/client";
   * const client = new EmbedClient({
   *   apiKey: "my-api-key",
   *   apiSecret: "c2VjcmV0LWJ5dGVz",
   *   fetch: async () =>
   *     Response.json({
   *       result: {
   *         user: "AA95 N84G TEST XXXX",
   *         user_type: "individual",
   *         status: { state: "ok", required_actions: [] },
   *         created_at: "2025-04-15T09:00:00Z",
   *       },
   *     }),
   * });
   * const { result } = await client.users.get("AA95 N84G TEST XXXX");
   * console.log(result.status.state); // "ok"
   * ```
   */
  get(user: string, options?: CallOptions): Promise<GetUserResponse>;
}

/**
 * Sends a checked request, with the client's signing and retries, and gives
 * the successful answer to `check`, whose result (or throw) settles the call.
 */
export type Send = <T>(
  request: PreparedRequest,
  check: (answer: Answer) => T,
) => Promise<T>;

// The answer Kraken documents is returned as parsed; any other is checked
// against the schema, which names what does not match.
function checkUpdate(answer: Answer): UpdateUserResponse {
  return answer.body.result === "success"
    ? answer.body as UpdateUserResponse
    : checkAnswer(answer, UpdateUserResponseSchema, undefined, true);
}

function checkGet(answer: Answer): GetUserResponse {
  return checkAnswer(answer, GetUserResponseSchema, undefined, true);
}

/** Builds `client.users` over the client's signed, retrying transport. */
export function usersResource(send: Send): UsersResource {
  // Not async functions: an update in flight then holds no suspended frame
  // and promise of its own while it waits on the transport, which 1,000
  // concurrent updates feel. A bad argument still rejects, never throws.
  return {
    update(user, patch, options) {
      try {
        const checked = validate(UserPatchSchema, patch, "patch");
        return send({
          method: "PATCH",
          target: userPath(user),
          body: jsonText(checked),
          signal: signalOf(options),
          // Applying the same patch twice leaves the same record.
          idempotent: true,
          personal: () => personalPatterns(checked),
        }, checkUpdate);
      } catch (error) {
        // Refused before anything was sent.
        return Promise.reject(
          tookEffect(readable(error, "options"), false, []),
        );
      }
    },
    get(user, options) {
      try {
        return send({
          method: "GET",
          target: userPath(user),
          body: undefined,
          signal: signalOf(options),
          idempotent: true,
        }, checkGet);
      } catch (error) {
        // Refused before anything was sent.
        return Promise.reject(
          tookEffect(readable(error, "options"), false, []),
        );
      }
    },
  };
}
