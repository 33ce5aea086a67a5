/**
 * A check for the package's errors that works across copies of it.
 *
 * @module
 */

import type {
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
} from "./errors.ts";

/**
 * Any of the six errors the package throws on purpose. Each has its own
 * literal `code`, so checking `code` narrows this union to one class, with
 * its fields.
 *
 * @example
 * ```ts
 * import type { AnyEmbedError } from "@kraken-embed/client";
 * function describe(error: AnyEmbedError): string {
 *   switch (error.code) {
 *     case "ERR_EMBED_API":
 *       return `Kraken answered ${error.status}`;
 *     case "ERR_EMBED_VALIDATION":
 *       return `${error.issues.length} field(s) refused`;
 *     default:
 *       return error.message;
 *   }
 * }
 * ```
 */
export type AnyEmbedError =
  | EmbedConfigError
  | EmbedValidationError
  | EmbedApiError
  | EmbedTimeoutError
  | EmbedNetworkError
  | EmbedAbortError;

const CODES: readonly string[] = [
  "ERR_EMBED_CONFIG",
  "ERR_EMBED_VALIDATION",
  "ERR_EMBED_API",
  "ERR_EMBED_TIMEOUT",
  "ERR_EMBED_NETWORK",
  "ERR_EMBED_ABORTED",
];

/**
 * Whether `value` is one of the package's errors, made by this copy of the
 * package or by another (an app that imports the ES module while a
 * dependency requires the CommonJS build has two, and an error of one is not
 * an `instanceof` the other's classes): an `Error`, of any realm, whose
 * `code` is one of the six. Then checking `code` narrows it to that error's
 * class. Never throws: a `code` that throws when read is no code.
 *
 * @param value What was caught.
 * @returns `true` when `value` is an {@linkcode AnyEmbedError}.
 *
 * @example
 * ```ts
 * import { EmbedClient, isEmbedError } from "@kraken-embed/client";
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0",
 *   maxRetries: 0,
 *   fetch: () => Promise.resolve(new Response('{"error":["EAPI:Invalid key"]}', { status: 403 })),
 * });
 * try {
 *   await client.users.update("AA95 N84G TEST XXXX", { language: "en" });
 * } catch (error) {
 *   if (isEmbedError(error) && error.code === "ERR_EMBED_API") {
 *     console.log(error.status); // 403
 *   }
 * }
 * ```
 */
export function isEmbedError(value: unknown): value is AnyEmbedError {
  try {
    return (value instanceof Error ||
      Object.prototype.toString.call(value) === "[object Error]") &&
      CODES.includes((value as { code?: unknown }).code as string);
  } catch {
    return false;
  }
}
