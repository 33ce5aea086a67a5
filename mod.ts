/**
 * A client for Kraken's Embed API (the B2B "Payward" API), starting with
 * Update User (`PATCH /b2b/users/{user}`). Requests are signed with WebCrypto
 * and sent with `fetch`, so the same code runs in Deno, Node 20+, Bun and
 * Cloudflare Workers. Every field of the user patch is checked by valibot
 * schemas before anything is sent.
 *
 * @example
 * ```ts
 * import { EmbedClient } from "@kraken-embed/client";
 *
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   // Leave `fetch` out to reach https://nexus.kraken.com.
 *   fetch: async () => Response.json({ result: "success" }),
 * });
 * await client.users.update("AA95 N84G TEST XXXX", { language: "en" });
 * ```
 *
 * @module
 */

export { EmbedClient } from "./src/client/client.ts";
export type {
  EmbedClientOptions,
  EmbedFetch,
  EmbedFetchInit,
  EmbedFetchResponse,
  NonceSource,
} from "./src/client/options.ts";
export type {
  EmbedMethod,
  EmbedQueryValue,
  RequestOptions,
} from "./src/client/request_options.ts";
export type { CallOptions, UsersResource } from "./src/client/users.ts";
export { signRequest } from "./src/auth/sign_request.ts";
export type { SignRequestOptions } from "./src/auth/sign_request.ts";
export { importSecret } from "./src/auth/import_secret.ts";
export type { WebCryptoKey } from "./src/auth/web_crypto_key.ts";
export { createNonceGenerator } from "./src/auth/nonce.ts";
export {
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  EmbedError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
} from "./src/errors.ts";
export type {
  EmbedApiErrorDetails,
  EmbedErrorCode,
  EmbedValidationIssue,
} from "./src/errors.ts";
export { type AnyEmbedError, isEmbedError } from "./src/is_embed_error.ts";
export {
  COUNTRY_CODES,
  type CountryCode,
  LANGUAGE_CODES,
  type LanguageCode,
  type Occupation,
  OCCUPATIONS,
} from "./src/schemas/codes.ts";
export type {
  ValibotIssue,
  ValibotPathItem,
  ValibotSchema,
  ValibotStandardResult,
} from "./src/schemas/schema.ts";
export { CountryCodeSchema } from "./src/schemas/country_code.ts";
export { OccupationSchema } from "./src/schemas/occupation.ts";
export { LanguageSchema } from "./src/schemas/language.ts";
export { IibanSchema } from "./src/schemas/iiban.ts";
export {
  type ClientIdentifier,
  type FullName,
  type Residence,
  type TaxId,
  type UserPatch,
  UserPatchSchema,
} from "./src/schemas/user_patch.ts";
export {
  type UpdateUserResponse,
  UpdateUserResponseSchema,
} from "./src/schemas/responses.ts";
export {
  type GetUserResponse,
  GetUserResponseSchema,
  type RequiredAction,
  type UserDetails,
  type UserStatus,
} from "./src/schemas/responses.ts";
export { counterNonce, type CounterNonceOptions } from "./src/nonce/counter.ts";
