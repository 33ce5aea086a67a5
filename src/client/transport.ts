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

/**
 * What stops one attempt: the per-attempt timeout and the caller's signal.
 * Every await that can hang is raced against it, so a fetch that ignores its
 * signal cannot hold the call past either. It is the only thing that aborts
 * the fetch's signal, so it settles its race directly instead of listening to
 * that signal (EventTarget listeners cost Node a few microseconds a request).
 *
 * The caller's signal is listened to from the start. The timer and the
 * fetch's AbortController are made by {@linkcode Guard.arm}, which the attempt
 * calls before its first await: with a nonce source that answers at once,
 * once the digest is on its way to WebCrypto's thread, so that this work
 * overlaps the digest instead of preceding it.
 */
class Guard {
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  /** Whether the timeout or the caller's signal has fired. */
  stopped = false;
  /** Why the attempt was stopped: a `Timeout` or the caller's reason. */
  reason: unknown;

  constructor(signal: AbortSignal | undefined, timeoutMs: number) {
    this.#signal = signal;
    this.#timeoutMs = timeoutMs;
    signal?.addEventListener("abort", this, { once: true });
  }

  /**
   * Starts the timeout (once) and returns the signal for the fetch, aborted
   * with the same reason as the attempt. Call it before the attempt's first
   * await: until then nothing can time out, as no timer can fire while
   * synchronous code runs.
   */
  arm(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.stopped) this.#controller.abort(this.reason);
      this.#timer = setTimeout(
        () => this.#stop(new Timeout()),
        this.#timeoutMs,
      );
    }
    return this.#controller.signal;
  }

  /** The caller's signal fired. */
  handleEvent(): void {
    this.#stop(this.#signal?.reason);
  }

  /** Resolves or rejects with `promise`, or rejects with the reason as soon as the attempt is stopped. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      promise.then(resolve, reject);
    });
  }

  /** Disarms the timer and the listener; call once, when the attempt ends. */
  end(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this);
    this.#reject = undefined;
  }

  #stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    this.#reject?.(reason);
  }
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
  if (signal?.aborted) throw new EmbedAbortError(signal.reason);
  const guard = new Guard(signal, input.timeoutMs);
  try {
    const next = nextNonce(input.nonce);
    let nonce: string;
    if (typeof next === "string") {
      nonce = next;
    } else {
      guard.arm();
      nonce = await guard.race(next);
    }
    // WebCrypto always settles, so signing is not raced; an abort or a
    // timeout during it is seen below, before anything is sent. The digest
    // is handed to another thread first; the guard is armed while it runs.
    const signing = signWithKey(
      input.key,
      nonce,
      input.target,
      input.body ?? "",
    );
    const fetchSignal = guard.arm();
    const sign = await signing;
    if (guard.stopped) throw guard.reason;
    const headers: Record<string, string> = {
      "API-Key": input.apiKey,
      "API-Nonce": nonce,
      "API-Sign": sign,
      "Payward-Version": input.apiVersion,
      "Accept": "application/json",
    };
    if (input.body !== undefined) headers["Content-Type"] = "application/json";
    const { response, text } = await guard.race(
      fetchText(input.fetch, input.url, {
        method: input.method,
        headers,
        body: input.body,
        signal: fetchSignal,
        redirect: "manual",
      }),
    );
    return {
      kind: "answer",
      status: response.status,
      headers: response.headers,
      text,
    };
  } catch (error) {
    if (signal?.aborted) throw new EmbedAbortError(signal.reason);
    if (guard.reason instanceof Timeout) return { kind: "timeout" };
    if (error instanceof EmbedConfigError) throw error;
    return { kind: "network", error };
  } finally {
    guard.end();
  }
}
