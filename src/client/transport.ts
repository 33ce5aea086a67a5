/**
 * One attempt of a signed request: take a nonce, sign, send, read the answer,
 * all under the per-attempt timeout and the caller's signal.
 *
 * @module
 */

import { nonceText, signWithKey } from "../auth/sign_request.ts";
import { EmbedAbortError, EmbedConfigError } from "../errors.ts";
import type { NonceSource } from "./options.ts";

/** What one attempt produced. */
export type Outcome =
  | { kind: "answer"; status: number; headers: Headers; text: string }
  | { kind: "timeout" }
  | { kind: "network"; error: unknown };

/** Everything an attempt needs. */
export interface AttemptInput {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  url: string;
  method: string;
  /** The signed request target: path and query exactly as in `url`. */
  target: string;
  body: string | undefined;
  apiKey: string;
  apiVersion: string;
  key: CryptoKey;
  nonce: NonceSource;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

class Timeout extends Error {}

/** Resolves or rejects with `promise`, or rejects with the signal's reason as soon as it fires. */
function race<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function failedSource(cause: unknown): never {
  throw new EmbedConfigError("nonce", "The nonce source failed", { cause });
}

function checkedNonce(value: unknown): string {
  try {
    return nonceText(value);
  } catch {
    throw new EmbedConfigError(
      "nonce",
      "The nonce source returned something other than an unsigned 64-bit integer",
    );
  }
}

// A nonce source that answers at once (the default one does) costs no
// promise; only a thenable is awaited, and raced.
function nextNonce(source: NonceSource): string | Promise<string> {
  let value: unknown;
  try {
    value = source();
  } catch (cause) {
    failedSource(cause);
  }
  if (
    typeof value === "object" && value !== null &&
    typeof (value as PromiseLike<unknown>).then === "function"
  ) {
    return Promise.resolve(value).then(checkedNonce, failedSource);
  }
  return checkedNonce(value);
}

// Fetch and body as one step, so one race covers both. `fetch` is called
// detached, not as `input.fetch(...)`: Workers' fetch throws "Illegal
// invocation" when `this` is any object but the global one.
async function fetchText(
  fetch: AttemptInput["fetch"],
  url: string,
  init: RequestInit,
): Promise<{ response: Response; text: string }> {
  const response = await fetch(url, init);
  return { response, text: await response.text() };
}

/**
 * Runs one attempt. Throws only {@linkcode EmbedAbortError} (the caller's
 * signal) and {@linkcode EmbedConfigError} (the nonce source); every other
 * failure is an {@linkcode Outcome} for the retry loop to judge.
 */
export async function attempt(input: AttemptInput): Promise<Outcome> {
  const { signal } = input;
  // One controller per attempt: it fires on the caller's signal and on the
  // timeout, and every await that can hang races it, so a fetch that ignores
  // its signal cannot hold the call past either.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) throw new EmbedAbortError(signal.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new Timeout()),
    input.timeoutMs,
  );
  try {
    const next = nextNonce(input.nonce);
    const nonce = typeof next === "string"
      ? next
      : await race(next, controller.signal);
    // WebCrypto always settles, so signing is not raced; an abort or a
    // timeout during it is seen here, before anything is sent.
    const sign = await signWithKey(
      input.key,
      nonce,
      input.target,
      input.body ?? "",
    );
    if (controller.signal.aborted) throw controller.signal.reason;
    const headers: Record<string, string> = {
      "API-Key": input.apiKey,
      "API-Nonce": nonce,
      "API-Sign": sign,
      "Payward-Version": input.apiVersion,
      "Accept": "application/json",
    };
    if (input.body !== undefined) headers["Content-Type"] = "application/json";
    const { response, text } = await race(
      fetchText(input.fetch, input.url, {
        method: input.method,
        headers,
        body: input.body,
        signal: controller.signal,
        redirect: "manual",
      }),
      controller.signal,
    );
    return {
      kind: "answer",
      status: response.status,
      headers: response.headers,
      text,
    };
  } catch (error) {
    if (signal?.aborted) throw new EmbedAbortError(signal.reason);
    if (
      controller.signal.aborted && controller.signal.reason instanceof Timeout
    ) {
      return { kind: "timeout" };
    }
    if (error instanceof EmbedConfigError) throw error;
    return { kind: "network", error };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}
