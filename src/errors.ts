/**
 * The error family of the client. Every error the client, `signRequest`
 * and `importSecret` throw on purpose is an {@linkcode EmbedError}
 * with a stable, machine-readable `code`; none of them ever carries the API
 * secret, its bytes or an `API-Sign` value. (The emulator throws a
 * `TypeError` for a misuse of its own API, and a nonce source used on its
 * own rejects with a plain `Error` when its store fails; the client reports
 * the latter as an `EmbedConfigError` on `nonce`.)
 *
 * @module
 */

import { isPlain } from "./is_plain.ts";
import { lineText } from "./issue_path.ts";
import { optionValues } from "./option_values.ts";

/**
 * Every `code` an {@linkcode EmbedError} can have.
 *
 * @example
 * ```ts
 * import { EmbedError, type EmbedErrorCode } from "@kraken-embed/client";
 * // What your own API answers; a code added later fails to compile here.
 * const STATUS: Record<EmbedErrorCode, number> = {
 *   ERR_EMBED_CONFIG: 500,
 *   ERR_EMBED_VALIDATION: 400,
 *   ERR_EMBED_API: 502,
 *   ERR_EMBED_TIMEOUT: 504,
 *   ERR_EMBED_NETWORK: 502,
 *   ERR_EMBED_ABORTED: 499,
 * };
 * const statusOf = (error: unknown) => error instanceof EmbedError ? STATUS[error.code] : 500;
 * ```
 */
export type EmbedErrorCode =
  | "ERR_EMBED_CONFIG"
  | "ERR_EMBED_VALIDATION"
  | "ERR_EMBED_API"
  | "ERR_EMBED_TIMEOUT"
  | "ERR_EMBED_NETWORK"
  | "ERR_EMBED_ABORTED";

/**
 * Base class of every error the client, `signRequest` and `importSecret`
 * throw (or reject with) on purpose. The schemas used on their own
 * (`v.parse(UserPatchSchema, x)`) throw valibot's `ValiError`; the client
 * reports what they refuse as an {@linkcode EmbedValidationError}.
 *
 * @example
 * ```ts
 * import { EmbedError } from "@kraken-embed/client";
 * try {
 *   // await client.users.update(user, patch);
 * } catch (error) {
 *   if (error instanceof EmbedError) console.error(error.code, error.message);
 * }
 * ```
 */
export class EmbedError extends Error {
  /** A stable, machine-readable code, e.g. `ERR_EMBED_API`. */
  readonly code: EmbedErrorCode;
  /**
   * Whether the request a call of the client (`users.update`, `users.get`,
   * `request`) made may have been carried out, on every error the call
   * rejects with. `true` when, for a request other than a GET, an attempt was
   * handed to `fetch` and nothing answered showed that it was refused: a
   * timeout or a network failure after sending (a refused connection
   * counts: each runtime says which failure it was in errors of its own,
   * which the client does not read), an abort while in flight, a 2xx other
   * than one holding only an `error`, a 5xx other than Kraken's 503, a 2xx
   * whose `error` is not Kraken's or reports a failure (internal, a
   * timeout, an unknown error),
   * a 503 whose `error` holds anything but `EService:Unavailable`,
   * `EService:Busy`, `EAPI:Rate limit exceeded` and
   * `EGeneral:Temporary lockout` (which say the service took nothing in), a
   * redirect, an answer holding a `result`, a body lost after a status other
   * than a 4xx; in any attempt of the call, not only the last. `false` when
   * the client knows nothing was done: nothing was sent (bad input or
   * options, the nonce source failed, an abort or a timeout before sending),
   * every attempt sent was refused (a 4xx, Kraken's 503 of those four
   * entries without a `result`, a 2xx with only an `error` of a refusal), or
   * the request was a GET.
   *
   * Absent on errors from outside a call (a constructor, `signRequest`,
   * `importSecret`), which send nothing, and on a call's errors from a copy
   * of the package older than the field: read it missing there as unknown.
   * Before sending again a request that must not run twice, check whether it
   * ran unless this is `false`.
   *
   * @example
   * ```ts
   * import { EmbedError } from "@kraken-embed/client";
   * try {
   *   // await client.request({ method: "POST", path: "/b2b/quotes", body });
   * } catch (error) {
   *   if (error instanceof EmbedError && error.mayHaveTakenEffect !== false) {
   *     // look the quote up before asking for another
   *   }
   * }
   * ```
   */
  declare readonly mayHaveTakenEffect?: boolean;

  /**
   * The `x-trace-id` of every answer a call of the client got, oldest first,
   * each as {@linkcode EmbedApiError.traceId} keeps it: that of an earlier
   * attempt that may have acted (a 500 before the 404 that ended the call),
   * which Kraken's support needs to tell whether it did, is here when
   * `traceId` holds the last one's, or when the call ended in a timeout, a
   * network error or an abort. `[]` when no answer came, or nothing was
   * sent; absent on errors from outside a call, as `mayHaveTakenEffect` is.
   *
   * @example
   * ```ts
   * import { EmbedError } from "@kraken-embed/client";
   * try {
   *   // await client.request({ method: "PUT", path: "/b2b/quotes/q1" });
   * } catch (error) {
   *   if (error instanceof EmbedError && error.mayHaveTakenEffect !== false) {
   *     console.error("ask Kraken about", error.traceIds);
   *   }
   * }
   * ```
   */
  declare readonly traceIds?: readonly string[];

  /**
   * Creates an error with a stable code.
   *
   * @param code The stable code.
   * @param message A sentence-case description, never containing a secret.
   * @param options The standard `cause` option.
   */
  constructor(
    code: EmbedErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A client option or secret is unusable: thrown by `new EmbedClient()`, and
 * the rejection of `importSecret()` and `signRequest()`, before anything is
 * sent. A call rejects with it too for what only shows at request time: a
 * nonce source that fails or returns a bad value (field `nonce`), a `toJSON`
 * that other code put on `Object.prototype` or `Array.prototype` (field
 * `toJSON`; nothing is sent), and a `fetch` that resolves to something other
 * than a `Response` (field `fetch`; the request may have gone out). `field`
 * names the option; the message never quotes a secret.
 *
 * @example
 * ```ts
 * import { EmbedClient, EmbedConfigError } from "@kraken-embed/client";
 * try {
 *   new EmbedClient({ apiKey: "key\r\nX-Evil: 1", apiSecret: "c2VjcmV0" });
 * } catch (error) {
 *   if (error instanceof EmbedConfigError) console.log(error.field); // "apiKey"
 * }
 * ```
 */
export class EmbedConfigError extends EmbedError {
  /** `ERR_EMBED_CONFIG`, for a check that works across copies of the package. */
  declare readonly code: "ERR_EMBED_CONFIG";
  /** `"EmbedConfigError"`. */
  override readonly name: "EmbedConfigError" = "EmbedConfigError";
  /** The option at fault, e.g. `apiKey`, `baseUrl`, `timeoutMs`. */
  readonly field: string;

  /**
   * Creates an error about the option `field`.
   *
   * @param field The option at fault.
   * @param message What was expected, without the value when it is secret.
   * @param options The standard `cause` option.
   */
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super("ERR_EMBED_CONFIG", `${field}: ${message}`, options);
    this.field = field;
  }
}

/**
 * One problem found in an input, with the dotted path of the field.
 *
 * @example
 * ```ts
 * import { EmbedClient, EmbedValidationError, type EmbedValidationIssue } from "@kraken-embed/client";
 * // A bad patch is refused before anything is sent: no `fetch` is called.
 * const client = new EmbedClient({ apiKey: "my-api-key", apiSecret: "c2VjcmV0LWJ5dGVz" });
 * const byField = (issues: readonly EmbedValidationIssue[]) =>
 *   Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
 * try {
 *   await client.users.update("AA95 N84G TEST XXXX", { phone: "not a phone" });
 * } catch (error) {
 *   if (error instanceof EmbedValidationError) console.log(byField(error.issues));
 * }
 * ```
 */
export interface EmbedValidationIssue {
  /**
   * Dotted path from the top of the input, e.g. `residence.country`; `""`
   * for the input itself. A key of the input is shown only when it has a
   * field name's shape (ASCII letters, `_`, `$` or `-`, then at most two
   * digits; 64 characters at most; one with a `-` quoted as JSON), any other
   * by its length, as it may be personal data: `tax_ids.0.[11-character
   * key]` for `{ "123-45-6789": "US" }`; a path longer than 200 characters
   * is cut there, and ends in `...`.
   */
  readonly path: string;
  /** What was expected there. Never quotes the rejected value (it is personal data). */
  readonly message: string;
}

/**
 * An input was refused before any request was sent. `issues` lists every
 * problem with its dotted path and what was expected; the message names the
 * first ten, and how many more there are, so that a log line stays short.
 *
 * @example
 * ```ts
 * import { EmbedValidationError } from "@kraken-embed/client";
 * try {
 *   // await client.users.update(user, { residence: { country: "XX" } });
 * } catch (error) {
 *   if (error instanceof EmbedValidationError) {
 *     for (const issue of error.issues) console.log(issue.path, issue.message);
 *   }
 * }
 * ```
 */
export class EmbedValidationError extends EmbedError {
  /** `ERR_EMBED_VALIDATION`, for a check that works across copies of the package. */
  declare readonly code: "ERR_EMBED_VALIDATION";
  /** `"EmbedValidationError"`. */
  override readonly name: "EmbedValidationError" = "EmbedValidationError";
  /** What was being validated: `patch`, `user`, `nonce`, `path`, ... */
  readonly target: string;
  /** Every problem found, in input order. */
  readonly issues: readonly EmbedValidationIssue[];

  /**
   * Creates an error listing every issue found in `target`.
   *
   * @param target What was being validated, e.g. `patch`.
   * @param issues The problems found (at least one).
   */
  constructor(target: string, issues: readonly EmbedValidationIssue[]) {
    const list = issues
      .slice(0, 10)
      .map((issue) =>
        `${issue.path === "" ? target : issue.path}: ${issue.message}`
      )
      .join("; ");
    super(
      "ERR_EMBED_VALIDATION",
      `Invalid ${target}: ${list}${
        issues.length > 10 ? `; and ${issues.length - 10} more` : ""
      }`,
    );
    this.target = target;
    this.issues = issues;
  }
}

// The names of EmbedApiErrorDetails, read by EmbedApiError's constructor.
const DETAILS: (keyof EmbedApiErrorDetails)[] = [
  "status",
  "errors",
  "traceId",
  "body",
  "attempts",
  "cause",
];

/**
 * Fields of an {@linkcode EmbedApiError}.
 *
 * @example
 * ```ts
 * import { EmbedApiError, type EmbedApiErrorDetails } from "@kraken-embed/client";
 * // What the client rejects with for an unknown user, for tests of your own code.
 * const details: EmbedApiErrorDetails = {
 *   status: 404,
 *   errors: ["ENexus:Invalid user ID"],
 *   traceId: "trace-123",
 * };
 * const error = new EmbedApiError("Kraken refused the request", details);
 * console.assert(error.attempts === 1);
 * ```
 */
export interface EmbedApiErrorDetails {
  /** HTTP status of the answer. */
  status: number;
  /** Kraken error strings from the body's `error` array, e.g. `EAPI:Invalid nonce`. */
  errors?: readonly string[] | undefined;
  /** The `x-trace-id` response header, worth quoting to Kraken support. */
  traceId?: string | undefined;
  /** The start of the answer's body: see {@linkcode EmbedApiError.body}. */
  body?: string | undefined;
  /** How many attempts were made, retries included. */
  attempts?: number | undefined;
  /**
   * The runtime's error, for an answer whose body was cut off, or the error
   * a `schema` of the caller's threw on the answer: kept as
   * {@linkcode EmbedNetworkError} keeps its cause.
   */
  cause?: unknown;
}

/**
 * The service answered, and the answer was an error or not understood: a
 * non-2xx status, a body with an `error` (any value but an empty array,
 * `null`, `false`, `0` or `""`, whatever the status), a body that is not
 * JSON, or JSON of the wrong shape. With a 2xx status and a `result` (beside
 * an `error`, or of the wrong shape) or no `error` at all, a request other
 * than a GET was accepted and may have taken effect (the message says so):
 * check before sending it again. So may one whose answer of another status
 * holds a `result` other than `null`, is a redirect, or is a 5xx other than
 * Kraken's 503 (with an `error` list of the entries that say the service
 * took nothing in, such as `EService:Unavailable`). A 2xx with an `error`
 * and no `result` is read as a refusal, as Kraken's other APIs send them,
 * unless an entry is not Kraken's or reports a failure. For a
 * request not retried as idempotent (a POST or a PUT by default), after a
 * status that is not retried (a redirect, a 4xx but 408 and 429, a 5xx but
 * 500, 502, 503 and 504), or on the last attempt, also an answer whose
 * status arrived but whose body was cut off or ran past the timeout (no
 * `body`; after a status other than a 4xx, the message says it may have
 * taken effect). {@linkcode EmbedError.mayHaveTakenEffect} says it
 * for a program.
 *
 * @example
 * ```ts
 * import { EmbedApiError } from "@kraken-embed/client";
 * try {
 *   // await client.users.update(user, patch);
 * } catch (error) {
 *   if (error instanceof EmbedApiError) {
 *     console.log(error.status, error.errors, error.traceId);
 *   }
 * }
 * ```
 */
export class EmbedApiError extends EmbedError {
  /** `ERR_EMBED_API`, for a check that works across copies of the package. */
  declare readonly code: "ERR_EMBED_API";
  /** `"EmbedApiError"`. */
  override readonly name: "EmbedApiError" = "EmbedApiError";
  /** HTTP status of the answer. */
  readonly status: number;
  /**
   * Kraken error strings from the body's `error` array (the first 100, each
   * cut at 1,000 characters with `...` after; an entry that is not a string
   * as JSON, but in an answer to a GET or a 2xx one to `users.update`, where
   * an entry that is or holds JSON is left out); empty when there were none.
   */
  readonly errors: readonly string[];
  /**
   * The `x-trace-id` response header, when present: its first 500
   * characters, the request's API key and `API-Sign` left out.
   */
  readonly traceId: string | undefined;
  /**
   * The first 500 characters of the answer's body, the request's API key and
   * `API-Sign` left out: of a body that was not JSON, of a non-2xx JSON body
   * without an `error` list, and of a 2xx answer the client could not take
   * (with an `error` beside its `result`, or of the wrong shape), or of a
   * non-2xx answer with a `result` other than `null`, to a request other
   * than a GET, which may then have taken effect: the message says so.
   * Never of a GET's answer that is JSON or starts as JSON does (`{`, `[`, `"`:
   * cut short, or holding a `NaN`), whatever its status, nor of such a 2xx
   * answer to `users.update`, which may echo the user's record: either may
   * hold a user's personal data.
   */
  readonly body: string | undefined;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  /**
   * Creates an error describing the service's answer.
   *
   * @param message A description of what went wrong.
   * @param given The answer's status, errors, trace id and body.
   */
  constructor(message: string, given: EmbedApiErrorDetails) {
    // Its fields as given (own, a class's getter), not ones set on
    // Object.prototype by other code.
    const details = optionValues(Object(given), DETAILS);
    super(
      "ERR_EMBED_API",
      message,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.status = details.status as number;
    this.errors = details.errors ?? [];
    this.traceId = details.traceId;
    this.body = details.body;
    this.attempts = details.attempts ?? 1;
  }
}

/**
 * The last attempt ran past the per-attempt timeout (`timeoutMs`); earlier
 * attempts may have ended otherwise (a 503, a dropped connection) and been
 * retried. When the last attempt's answer's status had arrived before the
 * timeout, the error is an {@linkcode EmbedApiError} with that status.
 *
 * @example
 * ```ts
 * import { EmbedTimeoutError } from "@kraken-embed/client";
 * const error = new EmbedTimeoutError(30_000, 3);
 * console.log(error.message); // "Request timed out after 30000 ms (3 attempts)"
 * ```
 */
export class EmbedTimeoutError extends EmbedError {
  /** `ERR_EMBED_TIMEOUT`, for a check that works across copies of the package. */
  declare readonly code: "ERR_EMBED_TIMEOUT";
  /** `"EmbedTimeoutError"`. */
  override readonly name: "EmbedTimeoutError" = "EmbedTimeoutError";
  /** The per-attempt timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  /** How many attempts were made. */
  readonly attempts: number;

  /**
   * Creates an error for a call whose last attempt ran out of time.
   *
   * @param timeoutMs The per-attempt timeout in milliseconds.
   * @param attempts How many attempts were made.
   * @param detail What the last attempt was doing, appended to the message,
   * e.g. `"the last attempt sent nothing (waiting for the nonce source)"`.
   */
  constructor(timeoutMs: number, attempts: number, detail?: string) {
    super(
      "ERR_EMBED_TIMEOUT",
      `Request timed out after ${timeoutMs} ms (${attempts} attempt${
        attempts === 1 ? "" : "s"
      })${detail ? `: ${detail}` : ""}`,
    );
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}

/**
 * The request never got an answer: DNS, connection refused or reset, TLS, or
 * a connection closed before the answer's status arrived (a body cut off
 * after it is an {@linkcode EmbedApiError} with that status). The message
 * ends with the runtime's error message and, where its causes (four levels)
 * say more, as under Node's and Deno's "fetch failed", the deepest cause's
 * message and the deepest code (`fetch failed: getaddrinfo ENOTFOUND
 * nexus.kraken.com`, `fetch failed (ECONNREFUSED)`), on one line (a control
 * character, a line separator or a direction override as a `\uXXXX` escape),
 * cut at 500 characters; `cause` keeps them whole. `cause` holds the runtime's own error,
 * or, when anything in it (its message, stack, cause or other properties, a
 * few levels deep) quotes the request's API key or `API-Sign`, as a fetch
 * wrapper that describes its request may, or it holds what cannot be looked
 * through (a `Map`, `Headers`, a class instance, more than a few hundred
 * values), a copy (an `Error` with the name, message, stack, code and cause)
 * with those replaced by `[redacted]`.
 *
 * @example
 * ```ts
 * import { EmbedNetworkError } from "@kraken-embed/client";
 * const error = new EmbedNetworkError(3, new TypeError("fetch failed"));
 * console.log(error.code); // "ERR_EMBED_NETWORK"
 * ```
 */
export class EmbedNetworkError extends EmbedError {
  /** `ERR_EMBED_NETWORK`, for a check that works across copies of the package. */
  declare readonly code: "ERR_EMBED_NETWORK";
  /** `"EmbedNetworkError"`. */
  override readonly name: "EmbedNetworkError" = "EmbedNetworkError";
  /** How many attempts were made. */
  readonly attempts: number;

  /**
   * Creates an error for attempts that got no answer.
   *
   * @param attempts How many attempts were made.
   * @param cause The runtime's error.
   * @param sent The credentials the attempt sent (API key, API-Sign), and
   * a global pattern for personal data it sent: taken out of the cause
   * where it quotes them, as a fetch wrapper that describes its request
   * may.
   */
  constructor(
    attempts: number,
    cause: unknown,
    sent: readonly (string | RegExp | undefined)[] = [],
  ) {
    cause = keepable(cause, sent);
    // Read once more, and guarded: a getter may throw, and one on a class
    // that is not an error's is not looked through above.
    let detail = "";
    try {
      // The runtime's words, and the reason under them ("fetch failed" in
      // Node and Deno): the deepest message and code-shaped code of four
      // levels, each unless said already.
      let under = "";
      let code = "";
      for (
        let level = cause as Record<string, unknown> | null, i = 0;
        level && i < 4;
        level = level.cause as typeof level, i++
      ) {
        const { message, code: own } = level;
        if (typeof message === "string") {
          if (!i) detail = message;
          else if (message) under = message;
        }
        if (typeof own === "string" && /^[\w-]{1,64}$/.test(own)) code = own;
      }
      if (!detail.includes(under)) detail += (detail && ": ") + under;
      if (!detail.includes(code)) detail += `${detail && " "}(${code})`;
    } catch { /* no more detail */ }
    detail &&= `: ${lineText(redact(detail, ...sent))}`;
    super(
      "ERR_EMBED_NETWORK",
      `Network error after ${attempts} attempt${
        attempts === 1 ? "" : "s"
      }${detail}`,
      { cause },
    );
    this.attempts = attempts;
  }
}

/**
 * The caller's `AbortSignal` fired; the call stopped at once, a backoff wait
 * included. `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * import { EmbedAbortError } from "@kraken-embed/client";
 * const error = new EmbedAbortError("user navigated away");
 * console.log(error.code); // "ERR_EMBED_ABORTED"
 * ```
 */
export class EmbedAbortError extends EmbedError {
  /** `ERR_EMBED_ABORTED`, for a check that works across copies of the package. */
  declare readonly code: "ERR_EMBED_ABORTED";
  /** `"EmbedAbortError"`. */
  override readonly name: "EmbedAbortError" = "EmbedAbortError";
  /**
   * Creates an error for a call the caller's signal stopped.
   *
   * @param reason The abort signal's reason.
   */
  constructor(reason?: unknown) {
    super("ERR_EMBED_ABORTED", "Request aborted by the caller's signal", {
      cause: reason,
    });
  }
}

/**
 * Whether `value` holds one of `sent`, in any form {@linkcode redact} takes
 * out: as itself, or as any string it reaches through its own properties'
 * names or values (`message`, `stack` and `cause` included, as `inspect`
 * would show them) within a few levels, a symbol key's description, and an
 * error's `name`, `message`, `stack`, `cause`, `code`, `errors`, `toJSON`
 * and custom inspect methods as read through its class, which may compute
 * them (a method counts as holding one), and what `String()` makes of it.
 * Only plain objects, arrays and errors are looked through: anything else
 * (a `Map`, `Headers`, a `Request`, a typed array) may hold one where its
 * own properties do not show it, and counts as holding one, as does a value
 * too large or too deep to look through, or one that throws when read.
 */
function quotes(
  value: unknown,
  sent: readonly (string | RegExp | undefined)[],
): boolean {
  let budget = 256;
  const seen = new Set<unknown>();
  // Made here, not at import: signRequest's bundle holds this module.
  // What inspect, a logger or JSON.stringify show of an error, besides its
  // own properties: its class may compute each (a getter, a method; an
  // inherited `errors` Node's inspect shows too). What String() shows is
  // read by making it (as a template does: `${item}`).
  const shown: PropertyKey[] = [
    "name",
    "message",
    "stack",
    "cause",
    "code",
    "errors",
    "toJSON",
    Symbol.for("nodejs.util.inspect.custom"),
    Symbol.for("Deno.customInspect"),
  ];
  // Every form of every credential, made once for all the strings visited.
  const needles = forms(sent);
  const visit = (item: unknown, depth: number): boolean => {
    if (typeof item === "string") {
      return needles.some((needle) => item.includes(needle)) ||
        // (search() reads a pattern from the start, whatever its lastIndex.)
        // Longer than what a pattern looks through, it is cut: a copy.
        sent.some((value) =>
          value instanceof RegExp &&
          (item.length > SCANNED || item.search(value) >= 0)
        );
    }
    // A symbol's description shows where it is a key.
    if (typeof item === "symbol") return visit(item.description, depth);
    if (Object(item) !== item || seen.has(item)) return false;
    seen.add(item);
    if (
      depth > 4 ||
      !(isPlain(item as object) || Array.isArray(item) ||
        item instanceof Error ||
        Object.prototype.toString.call(item) === "[object Error]")
    ) {
      return true;
    }
    // Each property read counts against the budget, so a large array is
    // not walked, nor even listed.
    if (Array.isArray(item) && item.length >= budget) return true;
    const keys = Reflect.ownKeys(item as object);
    // An error's class may compute more that inspect shows (`getters:
    // true`): each getter of its prototypes, up to `Object.prototype`.
    for (
      let proto = Object.getPrototypeOf(item);
      proto && !isPlain(proto);
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const key of Reflect.ownKeys(proto)) {
        if (Object.getOwnPropertyDescriptor(proto, key)!.get) keys.push(key);
      }
    }
    if ((budget -= 1 + keys.length) < 0) return true;
    // A name can quote one too (`{ [`API-Sign: ${sign}`]: true }`); and
    // what logging an error shows of it may be computed by its class (a
    // getter on a prototype, a toJSON), which its own properties do not
    // show: read those too (a toJSON, a function, counts as quoting).
    return [...keys, ...shown].some((key) =>
      visit(key, depth) ||
      visit((item as Record<PropertyKey, unknown>)[key], depth + 1)
    ) || (
      // An error's string, which its class may make; a plain object's or an
      // array's shows nothing its entries do not (and a null-prototype
      // object has none).
      !isPlain(item as object) && !Array.isArray(item) &&
      visit(`${item}`, depth)
    );
  };
  try {
    return visit(value, 0);
  } catch {
    return true;
  }
}

/**
 * What an error may keep of a fetch's failure: `cause` as thrown when it
 * quotes none of `sent`, and otherwise a redacted copy: a string redacted,
 * anything else an `Error` with its name, message, stack, code and (a few
 * levels of) cause redacted. The caller's own value is left as it was.
 * Internal, not exported by the package.
 */
export function keepable(
  cause: unknown,
  sent: readonly (string | RegExp | undefined)[],
  depth = 0,
): unknown {
  if (!quotes(cause, sent)) return cause;
  if (typeof cause === "string") return redact(cause, ...sent);
  const copy: Error & { code?: unknown } = new Error();
  const unread = "The fetch's error could not be read";
  // Each field read on its own: one that throws (a getter) leaves the others.
  const read = (key: string, failed?: string): unknown => {
    try {
      return (cause as Record<string, unknown>)[key];
    } catch {
      return failed;
    }
  };
  let message = read("message", unread);
  if (typeof message !== "string") {
    try {
      message = String(cause);
    } catch {
      message = unread;
    }
  }
  copy.message = redact(message as string, ...sent);
  const name = read("name");
  if (typeof name === "string") copy.name = redact(name, ...sent);
  const stack = read("stack");
  copy.stack = typeof stack === "string"
    ? redact(stack, ...sent)
    : `${copy.name}: ${copy.message}`;
  const code = read("code");
  if (typeof code === "string") copy.code = redact(code, ...sent);
  if (typeof code === "number") copy.code = code;
  const inner = read("cause");
  if (inner !== undefined && depth < 3) {
    copy.cause = keepable(inner, sent, depth + 1);
  }
  return copy;
}

// What a pattern looks through of a text; see redact().
const SCANNED = 16_384;

// The most characters one text of a patch (255 UTF-16 units) takes as an
// echo spells it (src/client/personal.ts): 34 a unit, as a named HTML
// reference (`&eacute;`, up to 32 letters); the bytes of an astral
// character in `\\xHH` take 28 for its two. (34 × 256, written out: an
// expression would stay in signRequest's bundle, which this file is in.)
// Internal, not exported by the package.
export const SPELLED = 8_704;

/**
 * `text` with every occurrence of each of `values` replaced by `[redacted]`,
 * as sent, JSON-escaped (`\"`, `\\`, `\/`) or percent-encoded: for what an
 * error quotes from outside (a fetch's error, an answer's body), which may
 * echo the request's credentials. Internal, not exported by the package.
 *
 * @param text The text quoted.
 * @param values The credentials to take out; missing or empty ones are
 * skipped. A pattern (a global one) is replaced where it matches: the
 * personal data of a patch, which is taken out as whole words only.
 */
export function redact(
  text: string,
  ...values: readonly (string | RegExp | undefined)[]
): string {
  for (const form of forms(values)) text = text.replaceAll(form, "[redacted]");
  // Patterns (the personal data of a patch) after them, each in one pass,
  // over the first 16 KiB, the rest cut off: a megabyte page against the
  // patterns of a patch of hundreds of long texts would take seconds.
  const patterns = values.filter((value) => value instanceof RegExp);
  if (patterns.length && text.length > SCANNED) {
    text = head(text, SCANNED, values) + " [cut]";
  }
  for (const pattern of patterns) text = text.replace(pattern, "[redacted]");
  return text;
}

/**
 * The first `n` characters of `text`, or fewer, so as not to keep the start
 * of a match of one of the patterns among `values` (personal data) that
 * runs past `n`; `[redacted]` when that leaves nothing. Internal, not
 * exported by the package.
 */
export function head(
  text: string,
  n: number,
  values: readonly (string | RegExp | undefined)[],
): string {
  if (text.length <= n) return text;
  // A text as an echo spells it takes at most SPELLED characters.
  const window = text.slice(0, n + SPELLED);
  let end = n;
  for (const value of values) {
    if (!(value instanceof RegExp)) continue;
    value.lastIndex = Math.max(0, n - SPELLED);
    for (let found; (found = value.exec(window)) && found.index < end;) {
      if (found.index + found[0].length > end) end = found.index;
    }
  }
  return text.slice(0, end) || "[redacted]";
}

// The credentials as an echo may show them: as sent, JSON-escaped (`\"` for
// `"` and `\\` for `\`, as JSON.stringify writes a printable ASCII key; and
// with `\/` for `/` too, as PHP's json_encode writes it) and
// percent-encoded (a signature always ends in `==`, so an encoded echo never
// matches it as sent); and, for any other encoding, which rewrites the `+`,
// `/` and `=` but not the letters and digits (`\u002B`, `&#43;`, `%2b`), each
// run of 8 or more letters and digits of one that holds any of those three
// (not of a key like `emulator-...`, whose runs are words). Longest first, so
// that a credential found inside another does not cut the longer one before
// it is taken out. Escaping only `"` and `\`, not JSON.stringify itself:
// none of the values has a control character (a key is printable ASCII, the
// rest base64), and this form kept `signRequest`'s bundle, which holds this
// file, within its 1,500 B (esbuild names the bundle's variables from what
// the whole file holds, so an edit here can move that bundle by a byte).
function forms(values: readonly (string | RegExp | undefined)[]): string[] {
  return values.flatMap((value) => {
    if (!value || typeof value !== "string") return [];
    const json = value.replace(/[\\"]/g, "\\$&");
    return [
      value,
      json,
      json.replaceAll("/", "\\/"),
      encodeURIComponent(value),
      ...(/[+/=]/.test(value) && value.match(/[A-Za-z0-9]{8,}/g) || []),
    ];
  }).sort((a, b) => b.length - a.length);
}

/**
 * Sets `error`'s {@linkcode EmbedError.mayHaveTakenEffect}: `true` when
 * `maybe` is or it was already, `false` otherwise, and its
 * {@linkcode EmbedError.traceIds} when given; returns it. Set here,
 * by the client, rather than in the class: `signRequest`'s bundle holds the
 * class and must stay within 1,500 B. Internal, not exported by the package.
 */
export function tookEffect<E>(
  error: E,
  maybe: unknown,
  traceIds?: readonly string[],
): E {
  if (error instanceof EmbedError) {
    (error as { mayHaveTakenEffect?: boolean }).mayHaveTakenEffect = !!maybe ||
      error.mayHaveTakenEffect === true;
    if (traceIds) {
      (error as { traceIds?: readonly string[] }).traceIds = traceIds;
    }
  }
  return error;
}

const UNREADABLE = "Expected data that can be read: reading it threw";

// One of the package's errors, of this copy or of another (an app that
// imports the package while a dependency requires its CommonJS build), by
// its code: isEmbedError's whole check would cost the client's bundle
// 215 B. A code that throws when read is no code.
function ours(error: unknown): boolean {
  try {
    // Its own code: not one set on Object.prototype by other code.
    const code = Object.hasOwn(Object(error), "code") &&
      (error as { code?: unknown }).code;
    return error instanceof EmbedError ||
      typeof code === "string" && code.startsWith("ERR_EMBED_");
  } catch {
    return false;
  }
}

/**
 * `error` when it is one of the package's (of any copy of it); otherwise an
 * {@linkcode EmbedValidationError} on `target` saying that reading the input
 * threw (a getter or a Proxy trap of the caller's), without the caller's
 * error, which may quote what it guards, as `validate` does for a patch.
 * Internal, not exported by the package.
 */
export function readable(error: unknown, target: string): unknown {
  return ours(error) ? error : unreadable(target);
}

/**
 * The {@linkcode EmbedValidationError} on `target` for input whose reading
 * threw (a getter or a Proxy trap of the caller's). Internal.
 */
export function unreadable(target: string): EmbedValidationError {
  return new EmbedValidationError(target, [{ path: "", message: UNREADABLE }]);
}

/**
 * The same for options read when a client or a nonce source is made: an
 * {@linkcode EmbedConfigError} on `options`. Internal.
 */
export function readableOptions(error: unknown): unknown {
  return ours(error) ? error : new EmbedConfigError("options", UNREADABLE);
}
