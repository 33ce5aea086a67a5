/**
 * One attempt of a signed request: take a nonce, sign, send, read the answer,
 * all under the per-attempt timeout and the caller's signal.
 *
 * @module
 */

import { encode, nonceText, signDigest } from "../auth/sign_request.ts";
import { encodeBase64 } from "../encoding/base64.ts";
import { EmbedAbortError, EmbedConfigError, tookEffect } from "../errors.ts";
import { refuses } from "./answer.ts";
import type { StartDeadline } from "./deadlines.ts";
import type {
  EmbedFetch,
  EmbedFetchInit,
  EmbedFetchResponse,
  NonceSource,
} from "./options.ts";
import { whenAborted } from "./when_aborted.ts";
import type { WebCryptoKey } from "../auth/web_crypto_key.ts";

/** What one attempt produced. */
export type Outcome =
  | {
    kind: "answer";
    status: number;
    headers: EmbedFetchResponse["headers"];
    text: string;
    /** The API-Sign sent: taken out of what an error quotes. */
    sign: string;
  }
  | ({
    kind: "timeout";
    sent: boolean;
    /** Whether it was still waiting for the nonce source. */
    waiting: boolean;
  } & Heard)
  | ({ kind: "network"; error: unknown; sent: boolean } & Heard)
  // The caller's signal fired: the call ends with `error`, once the client
  // has taken the trace id of what was heard.
  | ({ kind: "abort"; error: EmbedAbortError; sent: boolean } & Heard);

/**
 * What an attempt that got no whole answer had heard: the status and
 * headers, when they arrived before its body was cut off or timed out (the
 * request was then received), and the API-Sign it sent, made just before
 * the request was handed to fetch: without it, nothing was.
 */
export interface Heard {
  status?: number | undefined;
  headers?: EmbedFetchResponse["headers"] | undefined;
  sign?: string | undefined;
}

/** Everything an attempt needs. */
export interface AttemptInput {
  fetch: EmbedFetch;
  url: string;
  method: string;
  /** The signed request target: path and query exactly as in `url`. */
  target: string;
  body: string | undefined;
  apiKey: string;
  apiVersion: string;
  key: WebCryptoKey;
  nonce: NonceSource;
  /**
   * The nonce the call's previous attempt drew, which this attempt's must
   * be above (a retry never resends a nonce); set to this attempt's.
   */
  drawn: { nonce: string | undefined };
  /** The client's per-attempt timeouts. */
  deadline: StartDeadline;
  signal: AbortSignal | undefined;
}

class Timeout extends Error {}

function failedSource(cause: unknown): never {
  throw new EmbedConfigError("nonce", "The nonce source failed", { cause });
}

function checkedNonce(value: unknown): string {
  try {
    return nonceText(value);
  } catch {
    throw new EmbedConfigError(
      "nonce",
      "The nonce source returned something other than an unsigned 64-bit integer as a bigint or a decimal string",
    );
  }
}

// A nonce source that answers at once (the default one does) costs no
// promise; only a thenable is awaited, and raced.
function nextNonce(source: NonceSource): string | Promise<string> {
  let value: unknown;
  let thenable = false;
  // Looking for `then` is inside: a getter of it that throws is the source's
  // failure too, not the network's.
  try {
    value = source();
    thenable = typeof value === "object" && value !== null &&
      typeof (value as PromiseLike<unknown>).then === "function";
  } catch (cause) {
    failedSource(cause);
  }
  return thenable
    ? Promise.resolve(value).then(checkedNonce, failedSource)
    : checkedNonce(value);
}

const NOT_A_RESPONSE =
  "resolved to something other than a Response (a status from 100 to 599, headers.get(), a text() giving a string); the request may have been sent and acted on";

// Fetch and body as one step, so one race covers both. `fetch` is called
// detached, not as `input.fetch(...)`: Workers' fetch throws "Illegal
// invocation" when `this` is any object but the global one.
// `heard` gets the status and headers as soon as they arrive, for a failure
// while the body is read.
async function fetchText(
  fetch: AttemptInput["fetch"],
  url: string,
  init: EmbedFetchInit,
  heard: Heard,
): Promise<
  { status: number; headers: EmbedFetchResponse["headers"]; text: string }
> {
  const response = await fetch(url, init);
  // A Response's status is read as it is (a browser's opaque redirect,
  // status 0, is reported as the answer it is). Anything else is a
  // look-alike, a Response's subclass included (which can change what its
  // status and headers give), and so is every answer without a global
  // Response (Node run without its fetch, with undici's or node-fetch's). A
  // fetch of the caller's own that resolves to something else, or to an
  // object whose text() gives no string, would fail later, in reading the
  // answer, as a TypeError; a status of NaN would read as a success.
  const real = typeof Response === "function" &&
    Object.getPrototypeOf(Object(response)) === Response.prototype;
  let status;
  let headers;
  let read;
  // A look-alike whose status, headers or text cannot be read (a getter
  // that throws) is no response either, not a network failure to retry.
  try {
    status = response?.status;
    headers = response?.headers;
    read = response.text;
  } catch {
    // Left undefined: refused below.
  }
  if (
    !(Number.isInteger(status) &&
      (status! >= 100 && status! <= 599 || real && status === 0)) ||
    typeof headers?.get !== "function" ||
    typeof read !== "function"
  ) {
    throw new EmbedConfigError("fetch", NOT_A_RESPONSE);
  }
  heard.status = status;
  // Read as they are: a header is read, guarded, only for an error or a
  // retry (headerOf).
  heard.headers = headers;
  const text = await read.call(response);
  if (typeof text !== "string") {
    throw new EmbedConfigError("fetch", NOT_A_RESPONSE);
  }
  return { status: status!, headers: heard.headers, text };
}

/**
 * Runs one attempt. Throws only {@linkcode EmbedAbortError} (the caller's
 * signal) and {@linkcode EmbedConfigError} (the nonce source); every other
 * failure is an {@linkcode Outcome} for the retry loop to judge.
 */
export async function attempt(input: AttemptInput): Promise<Outcome> {
  const { signal } = input;
  if (signal?.aborted) throw new EmbedAbortError(signal.reason);
  // The attempt is stopped by its timeout or by the caller's signal. Every
  // await that can hang races `stopped`, so a fetch that ignores its signal
  // cannot hold the call past either. Only `stop` aborts the fetch's signal,
  // so it settles the pending race itself rather than through a listener on
  // that signal (EventTarget listeners cost Node a few microseconds a
  // request).
  let stopped = false;
  let reason: unknown;
  let reject: ((reason: unknown) => void) | undefined;
  let controller: AbortController | undefined;
  let endWait: (() => void) | undefined;
  const stop = (why: unknown) => {
    if (stopped) return;
    stopped = true;
    reason = why;
    controller?.abort(why);
    reject?.(why);
  };
  const onAbort = () => stop(signal?.reason);
  // Starts the timeout and makes the fetch's signal, once. Called before the
  // first await (no timer can fire while the synchronous start runs): with a
  // nonce source that answers at once, before the digest is handed to
  // WebCrypto's thread, not while it is there, where main-thread work delays
  // the digest's result by more than it takes (bench/hand_off.mjs). For an
  // update that is within the spread between runs: `bench/paired.mjs
  // --against` put it 1.6 points of the floor quicker to 0.8 slower (six
  // runs in Node 20, Node 24 and Deno).
  const arm = () => {
    if (controller === undefined) {
      controller = new AbortController();
      if (stopped) controller.abort(reason);
      endWait = input.deadline(() => stop(new Timeout()));
    }
    return controller.signal;
  };
  // Already stopped (a nonce source or a fetch can stop the call from
  // inside): the work it was handed is dropped, and must not fail unobserved,
  // which would end the process.
  const race = <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, fail) => {
      reject = fail;
      promise.then(resolve, fail);
      if (stopped) fail(reason);
    });
  // The API-Sign once made, for errors to leave out, and the answer's status
  // and headers once they arrive.
  // Each field its own, undefined until heard: one read through
  // Object.prototype (a `status` set there by other code) would make a
  // request that was sent look refused.
  const heard: Heard = {
    status: undefined,
    headers: undefined,
    sign: undefined,
  };
  // Until the nonce source has answered, undefined.
  let nonce: string | undefined;
  const unlisten = whenAborted(signal, onAbort);
  try {
    const next = nextNonce(input.nonce);
    if (typeof next === "string") {
      nonce = next;
    } else {
      arm();
      nonce = await race(next);
    }
    const before = input.drawn.nonce;
    if (before !== undefined && BigInt(nonce) <= BigInt(before)) {
      throw new EmbedConfigError(
        "nonce",
        "Expected a nonce above the call's last",
      );
    }
    input.drawn.nonce = nonce;
    // WebCrypto always settles, so signing is not raced; an abort or a
    // timeout during it is seen below, before anything is sent. The two
    // calls are awaited here rather than in signWithKey: one suspended
    // function fewer per request in flight.
    const fetchSignal = arm();
    const digesting = crypto.subtle.digest(
      "SHA-256",
      encode(nonce, input.body ?? "", 0),
    );
    const signature = await signDigest(
      input.key,
      input.target,
      await digesting,
    );
    if (stopped) throw reason;
    const sign = heard.sign = encodeBase64(new Uint8Array(signature));
    const headers: Record<string, string> = {
      "API-Key": input.apiKey,
      "API-Nonce": nonce,
      "API-Sign": sign,
      "Payward-Version": input.apiVersion,
      "Accept": "application/json",
    };
    // A plain object, not one without a prototype, although a fetch reads
    // RequestInit members it is not given (`body`, `cache`) off
    // Object.prototype: a fetch wrapper of the caller's may call
    // `init.hasOwnProperty()`, and Node's own fetch copies the init into
    // objects of its own anyway (README, "Client options").
    const init: EmbedFetchInit = {
      method: input.method,
      headers,
      signal: fetchSignal,
      redirect: "manual",
    };
    if (input.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = input.body;
    }
    const answer = await race(fetchText(input.fetch, input.url, init, heard));
    return {
      kind: "answer",
      status: answer.status,
      headers: answer.headers,
      text: answer.text,
      sign,
    };
  } catch (error) {
    // Once handed to fetch (the API-Sign made just before), the request may
    // have gone out and been acted on, unless it only reads or a status that
    // refuses it has come: the one rule for an attempt without a whole
    // answer, whichever way it ends.
    const sent = heard.sign !== undefined && input.method !== "GET" &&
      !refuses(heard.status!);
    if (signal?.aborted) {
      return {
        kind: "abort",
        error: tookEffect(new EmbedAbortError(signal.reason), sent),
        sent,
        ...heard,
      };
    }
    if (reason instanceof Timeout) {
      return { kind: "timeout", sent, waiting: nonce === undefined, ...heard };
    }
    if (error instanceof EmbedConfigError) throw tookEffect(error, sent);
    return { kind: "network", error, sent, ...heard };
  } finally {
    endWait?.();
    unlisten();
  }
}
