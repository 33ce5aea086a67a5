/**
 * `EmbedClient`: signed requests to Kraken's Embed API with retries.
 *
 * @module
 */

import { importSecretBytes } from "../auth/import_secret.ts";
import { createNonceGenerator } from "../auth/nonce.ts";
import {
  EmbedApiError,
  EmbedConfigError,
  EmbedNetworkError,
  EmbedTimeoutError,
  readable,
  readableOptions,
  tookEffect,
} from "../errors.ts";
import { deadlines, type StartDeadline } from "./deadlines.ts";
import { Limiter } from "./limiter.ts";
import {
  type EmbedClientOptions,
  type ResolvedOptions,
  resolveOptions,
} from "./options.ts";
import {
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
} from "./retry.ts";
import { attempt, type Outcome } from "./transport.ts";
import { headerOf } from "./header_of.ts";
import {
  type Answer,
  checkAnswer,
  readAnswer,
  traceIdOf,
  unreadAnswer,
} from "./answer.ts";
import {
  checkRequest,
  type EmbedQueryValue,
  type PreparedRequest,
  type RequestOptions,
} from "./request_options.ts";
import { type UsersResource, usersResource } from "./users.ts";
import type { WebCryptoKey } from "../auth/web_crypto_key.ts";

// One generator for every client in the thread (a worker thread has a global
// object, and so a generator, of its own), so two clients sharing a key
// still send increasing nonces: kept on the global object, so that copies of
// this module (an app that imports the package and a dependency that
// requires it, or two versions) share it too. Created on first use. Where
// the global object takes no new property (frozen, as a hardened runtime's
// is), this copy of the module keeps one of its own: writing it would throw
// at every request.
const SHARED_NONCE = Symbol.for("@kraken-embed/client nonce");
let ownNonce: (() => string) | undefined;

function sharedNonce(): string {
  const global = globalThis as { [SHARED_NONCE]?: () => string };
  return (global[SHARED_NONCE] ??
    (Object.isExtensible(global)
      ? global[SHARED_NONCE] = createNonceGenerator()
      : ownNonce ??= createNonceGenerator()))();
}

// What a timeout says of its last attempt when it ended before fetch.
function lastSentNothing(waiting: boolean): string {
  return `the last attempt sent nothing${
    waiting ? " (waiting for the nonce source)" : ""
  }`;
}

const INSPECT_NODE = Symbol.for("nodejs.util.inspect.custom");
const INSPECT_DENO = Symbol.for("Deno.customInspect");

/**
 * A client for Kraken's Embed API. Every request is signed with WebCrypto,
 * so one client works in Deno, Node 20+, Bun and Cloudflare Workers.
 *
 * Options are checked at construction ({@linkcode EmbedConfigError}); inputs
 * are checked before anything is sent ({@linkcode EmbedValidationError}).
 * The secret is held in private fields and never appears in `inspect`,
 * `JSON.stringify` or an error.
 *
 * @example
 * ```ts
 * import { EmbedClient } from "@kraken-embed/client";
 *
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
 *   // A stand-in for the network, so the example runs offline.
 *   fetch: async () => Response.json({ result: "success" }),
 * });
 * const answer = await client.users.update("AA95 N84G TEST XXXX", {
 *   phone: "+447700900123",
 *   residence: { line1: "1 High St", city: "London", postal_code: "N1 9GU", country: "GB" },
 * });
 * console.log(answer.result); // "success"
 * ```
 */
export class EmbedClient {
  /** The user endpoints: `update` (PATCH /b2b/users/{user}) and `get` (GET /b2b/users/{user}). */
  readonly users: UsersResource;
  readonly #options: ResolvedOptions;
  // The key, or its import while it runs: once imported, requests use it
  // without awaiting a settled promise.
  #key: Promise<WebCryptoKey> | WebCryptoKey | undefined;
  readonly #limiter: Limiter | undefined;
  readonly #deadline: StartDeadline;

  /**
   * Creates a client; checks every option now, before any request, and
   * throws on the first that is unusable.
   *
   * @param options API key and secret, and optional settings.
   * @throws {EmbedConfigError} When an option is unusable.
   */
  constructor(options: EmbedClientOptions) {
    try {
      this.#options = resolveOptions(options);
    } catch (error) {
      // A getter or a Proxy trap of the caller's threw: said so, and named.
      throw readableOptions(error);
    }
    const { maxConcurrency } = this.#options;
    this.#deadline = deadlines(this.#options.timeoutMs);
    this.#limiter = maxConcurrency === Infinity
      ? undefined
      : new Limiter(maxConcurrency);
    this.users = usersResource((request, check) => this.#send(request, check));
    // Bound, as `users`' methods are closures: `const { request } = client`
    // and a Proxy of the client (whose private fields it cannot reach) work.
    // Defined, not assigned: a frozen prototype (SES's harden) or a
    // subclass's accessor would refuse the assignment; not enumerable, so
    // that the keys and a spread of the client are what they were.
    Object.defineProperty(this, "request", {
      value: this.request.bind(this),
      writable: true,
      configurable: true,
    });
  }

  /**
   * Signs and sends any Embed endpoint, with the same checks as
   * `users.update`, and returns the answer's `result`. Retried as
   * `options.idempotent` allows: a POST or a PUT (not idempotent unless it
   * says so) only when it was not acted on (a 429, Kraken's 503 saying the
   * service took nothing in, such as `EService:Unavailable`, an invalid
   * nonce, or before it reached `fetch`); see the README's "Retries".
   *
   * @param options Method, path, query, JSON body and signal.
   * @returns The `result` of the answer, checked by `options.schema` when given;
   * without a schema it is `unknown`, and a type argument is an unchecked
   * claim, like a cast.
   * @throws {EmbedValidationError} Before sending, for a malformed path, query or body.
   * @throws {EmbedApiError} When the service answers with an error or an unexpected body.
   * @throws {EmbedTimeoutError} When an attempt outlasts `timeoutMs` and no retry is left.
   * @throws {EmbedNetworkError} When the request could not be sent or its answer read, and no retry is left.
   * @throws {EmbedAbortError} When `options.signal` stops the call.
   * @throws {EmbedConfigError} When the client's `nonce` source fails, there is no `fetch` (none given, and `globalThis.fetch` is not a function), or its `fetch` resolves to something that is not a response.
   *
   * @example
   * ```ts
   * import { EmbedClient } from "@kraken-embed/client";
   * const client = new EmbedClient({
   *   apiKey: "my-api-key",
   *   apiSecret: "c2VjcmV0LWJ5dGVz",
   *   fetch: async () => Response.json({ result: { limits: [] } }),
   * });
   * const result = await client.request({
   *   method: "GET",
   *   path: "/b2b/quotes/limits",
   *   query: { user: "AA95 N84G TEST XXXX" },
   * });
   * ```
   */
  async request<
    T = unknown,
    Q extends { [K in keyof Q]: EmbedQueryValue } = Record<
      string,
      EmbedQueryValue
    >,
  >(options: RequestOptions<T, Q>): Promise<T> {
    let checked;
    try {
      checked = checkRequest(options);
    } catch (error) {
      // Refused before anything was sent.
      throw tookEffect(readable(error, "request"), false, []);
    }
    const { prepared, schema } = checked;
    return await this.#send(prepared, (answer) => {
      const { result } = answer.body;
      return schema === undefined
        ? result as T
        : checkAnswer(answer, schema, result);
    });
  }

  // Sends a checked request with retries; any error answer becomes a thrown
  // EmbedApiError, so what `check` is given is a 2xx JSON object with a
  // `result`, and what it returns (or throws) settles the call.
  async #send<T>(
    request: PreparedRequest,
    check: (answer: Answer) => T,
  ): Promise<T> {
    const options = this.#options;
    const fetch = options.fetch ?? globalThis.fetch;
    // No fetch at all (an old runtime, or one removed): nothing can be
    // sent, which is the caller's setup to fix, not a network failure.
    // Before the key's import starts, whose failure would then go unheard.
    if (typeof fetch !== "function") {
      throw tookEffect(
        new EmbedConfigError(
          "fetch",
          "Expected a fetch function: none was given and globalThis.fetch is not one",
        ),
        false,
        [],
      );
    }
    const key = this.#keyOrImport();
    let retries = 0;
    let nonceRetried = false;
    // Its own `nonce`, not one set on Object.prototype by other code.
    const drawn: { nonce: string | undefined } = { nonce: undefined };
    // Whether an attempt so far may have been carried out: the error that
    // ends the call says so, whichever attempt it comes from.
    let maybe: unknown = false;
    // The credentials the call has sent, left out of what its errors quote:
    // an answer may echo an earlier attempt's API-Sign (a proxy's page that
    // lists the requests it saw), which is replayable while its nonce is
    // unused, as after a 503 that says the request was not processed.
    const sent: (string | RegExp | undefined)[] = [options.apiKey];
    // The personal data the body holds, added to what errors leave out once
    // an attempt fails (an answer that is read as one, or its check).
    let personal = request.personal;
    const hide = () => {
      if (personal) sent.push(...personal());
      personal = undefined;
    };
    // The trace id of every answer so far, and whether the last one is
    // being checked (its trace id then comes from the check's error).
    const traced: string[] = [];
    let checking = false;
    try {
      for (let attempts = 1;; attempts++) {
        const limiter = this.#limiter;
        // Without maxConcurrency there is nothing to wait for, not even a tick.
        const release = limiter && await limiter.acquire(request.signal);
        let outcome: Outcome;
        try {
          outcome = await attempt({
            fetch,
            url: options.origin + options.prefix + request.target,
            method: request.method,
            target: options.prefix + request.target,
            body: request.body,
            apiKey: options.apiKey,
            apiVersion: options.apiVersion,
            key: key instanceof Promise ? await key : key,
            nonce: options.nonce ?? sharedNonce,
            drawn,
            deadline: this.#deadline,
            signal: request.signal,
          });
        } finally {
          release?.();
        }

        sent.push(outcome.sign);
        let failure: Error;
        let retryable: boolean;
        if (outcome.kind === "answer") {
          const read = readAnswer(
            outcome,
            attempts,
            sent,
            request.method === "GET",
            hide,
            // users.update's 2xx answer may echo the user's record.
            !!request.personal,
          );
          if (read.ok) {
            checking = true;
            return check(read.answer);
          }
          failure = read.error;
          if (read.error.traceId !== undefined) traced.push(read.error.traceId);
          maybe ||= read.error.mayHaveTakenEffect;
          if (read.invalidNonce && !nonceRetried) {
            // The service refused the nonce before doing anything: safe to
            // resend at once with a fresh one, whatever the method.
            nonceRetried = true;
            continue;
          }
          // A 429, or Kraken's 503 saying the service took nothing in (see
          // readAnswer), says it was not acted on, unless it holds a result.
          retryable = isRetryableStatus(outcome.status, request.idempotent) &&
            (request.idempotent || !read.error.mayHaveTakenEffect);
        } else {
          // An attempt that ended before it was handed to fetch (waiting for
          // the nonce source, or signing) cannot have acted: sent again
          // whatever the method.
          const unsent = outcome.sign === undefined;
          const status = outcome.status ?? 0;
          hide();
          const id = outcome.headers && traceIdOf(outcome.headers, sent);
          if (id !== undefined) traced.push(id);
          if (outcome.kind === "abort") throw outcome.error;
          // A status that is not retried with its body whole (a refusal, a
          // redirect, a 501) is not retried with it lost either: it is the
          // answer.
          retryable = unsent || request.idempotent &&
              (status < 300 || isRetryableStatus(status, true));
          maybe ||= outcome.sent;
          failure = outcome.status !== undefined &&
              (!retryable || retries >= options.maxRetries)
            // A request not retried (a POST or a PUT by default, any after
            // a refusal, or the last attempt) was received and answered, and
            // its body was lost: its status, which tells whether it acted,
            // must not be lost behind a timeout or a network error.
            ? unreadAnswer(
              outcome,
              attempts,
              sent,
              options.timeoutMs,
              request.method === "GET",
            )
            : outcome.kind === "timeout"
            ? new EmbedTimeoutError(
              options.timeoutMs,
              attempts,
              unsent ? lastSentNothing(outcome.waiting) : undefined,
            )
            : new EmbedNetworkError(attempts, outcome.error, sent);
        }
        if (!retryable || retries >= options.maxRetries) throw failure;
        retries++;
        // The wait the service asked for, when the headers of an answer of
        // 300 or more came, whatever became of its body (cut off, or past
        // the timeout); read only for a retry: a success does not pay for
        // Headers.get, and a 2xx's Retry-After means nothing.
        const { headers, status = 0 } = outcome;
        await sleep(
          (headers && status > 299
            ? parseRetryAfter(headerOf(headers, "retry-after"))
            : undefined) ??
            backoffDelay(retries, options.backoffBaseMs, options.backoffCapMs),
          request.signal,
        );
      }
    } catch (error) {
      if (checking && error instanceof EmbedApiError && error.traceId) {
        traced.push(error.traceId);
      }
      throw tookEffect(error, maybe, traced);
    }
  }

  #keyOrImport(): Promise<WebCryptoKey> | WebCryptoKey {
    if (this.#key === undefined) {
      const { secret } = this.#options;
      if (secret instanceof Uint8Array) {
        const importing = this.#importKey(secret);
        // Heard here: a call that ends before awaiting it (an abort at the
        // limiter) must not leave its rejection unhandled.
        importing.catch(() => {});
        this.#key = importing;
      } else this.#key = secret;
    }
    return this.#key;
  }

  async #importKey(secret: Uint8Array<ArrayBuffer>): Promise<WebCryptoKey> {
    let key;
    try {
      key = await importSecretBytes(secret);
    } catch (cause) {
      // Not kept: the next call imports again (the secret's bytes are
      // zeroed only once imported). Said as the package's error, which
      // tells that nothing was sent, rather than the runtime's bare one.
      this.#key = undefined;
      throw new EmbedConfigError(
        "apiSecret",
        "WebCrypto could not import it",
        { cause },
      );
    }
    // The key holds its own copy; the raw bytes are not needed any more.
    secret.fill(0);
    this.#key = key;
    return key;
  }

  /** A summary without secrets, for `JSON.stringify(client)`. */
  toJSON(): Record<string, string> {
    return {
      type: "EmbedClient",
      baseUrl: this.#options.origin + this.#options.prefix,
      apiVersion: this.#options.apiVersion,
      apiKey: redactKey(this.#options.apiKey),
    };
  }

  /** The same summary as {@linkcode EmbedClient.toJSON}. */
  toString(): string {
    return `EmbedClient ${JSON.stringify(this.toJSON())}`;
  }

  /** What Node's `util.inspect` shows: the summary, without secrets. */
  [INSPECT_NODE](): string {
    return this.toString();
  }

  /** What `Deno.inspect` shows: the summary, without secrets. */
  [INSPECT_DENO](): string {
    return this.toString();
  }
}

function redactKey(key: string): string {
  return key.length <= 8 ? "[redacted]" : `${key.slice(0, 4)}…[redacted]`;
}
