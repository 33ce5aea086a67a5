/**
 * A check for the package's errors that works across copies of it.
 *
 * @module
 */

import type {
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  EmbedErrorCode,
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

const isString = (value: unknown) => typeof value === "string";
const isNumber = (value: unknown) => typeof value === "number";

// Each code, with the fields its class has and a check of each: an error
// with the code but not the fields is none of the six, and narrowing it
// would promise what is not there.
// Keyed by EmbedErrorCode, so that a code added there must be added here.
const FIELDS: Record<
  EmbedErrorCode,
  Record<string, (value: unknown) => boolean>
> = {
  ERR_EMBED_CONFIG: { field: isString },
  ERR_EMBED_VALIDATION: { target: isString, issues: Array.isArray },
  ERR_EMBED_API: {
    status: isNumber,
    errors: Array.isArray,
    attempts: isNumber,
  },
  ERR_EMBED_TIMEOUT: { timeoutMs: isNumber, attempts: isNumber },
  ERR_EMBED_NETWORK: { attempts: isNumber },
  ERR_EMBED_ABORTED: {},
};

/**
 * Whether `value` is one of the package's errors, made by this copy of the
 * package or by another (an app that imports the ES module while a
 * dependency requires the CommonJS build has two, and an error of one is not
 * an `instanceof` the other's classes): an `Error`, of any realm, whose
 * `code` is one of the six and which has the fields of that code's class
 * (`status`, `errors` and `attempts` for `ERR_EMBED_API`, ...). Then checking
 * `code` narrows it to that class. Never throws: a property that throws when
 * read makes it none.
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
    // Error.isError (where the runtime has it) knows an error of any realm
    // and is not fooled by a Symbol.toStringTag; elsewhere (Node 20), the
    // same check by hand: an error of any realm is tagged "Error" by its
    // internal slot, and has no Symbol.toStringTag of its own to say so; one
    // whose class gives it a Symbol.toStringTag is known by instanceof. Not
    // by instanceof alone, which an object made from Error.prototype passes
    // and Error.isError does not.
    const isError = (Error as { isError?: (value: unknown) => boolean })
      .isError;
    if (
      !(isError ? isError(value) : (
        Symbol.toStringTag in (value as object)
          ? value instanceof Error
          : Object.prototype.toString.call(value) === "[object Error]"
      ))
    ) {
      return false;
    }
    const error = value as Record<string, unknown>;
    const code = error.code;
    if (
      typeof code !== "string" || !Object.hasOwn(FIELDS, code) ||
      typeof error.message !== "string"
    ) {
      return false;
    }
    return Object.entries(FIELDS[code as EmbedErrorCode]).every((
      [key, check],
    ) => check(error[key]));
  } catch {
    return false;
  }
}
