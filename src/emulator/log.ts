/**
 * The record of every request an emulator received and what it answered,
 * so that a test can prove, for instance, that no nonce was sent twice.
 *
 * @module
 */

import { SCHEME } from "./target.ts";

/**
 * One request the emulator received.
 *
 * @example Proving that no nonce was sent twice
 * ```ts
 * import type { EmulatorLogEntry } from "@kraken-embed/client/emulator";
 *
 * function noNonceTwice(log: readonly EmulatorLogEntry[]): boolean {
 *   const nonces = log.map((entry) => `${entry.apiKey} ${entry.nonce}`);
 *   return new Set(nonces).size === nonces.length;
 * }
 * ```
 */
export interface EmulatorLogEntry {
  /** When it arrived: an RFC 3339 date-time. */
  readonly at: string;
  /** The HTTP method. */
  readonly method: string;
  /**
   * The request target as received: path and query, without a fragment. For
   * a request refused as malformed, what stood in its place (a whole URL),
   * its userinfo, if any, shown as `[redacted]`.
   */
  readonly path: string;
  /**
   * The `API-Key` header, when sent: one of the emulator's keys as it is,
   * any other as its first 4 characters followed by "…", since it may be a
   * secret sent in its place.
   */
  readonly apiKey: string | undefined;
  /**
   * The `API-Nonce` header, when sent: up to 20 decimal digits as they are,
   * anything else as its first 4 characters followed by "…", since it may
   * be a secret or a signature sent in its place.
   */
  readonly nonce: string | undefined;
  /** The status answered. */
  readonly status: number;
  /** The error strings answered; empty for a success or a body without an `error` array. */
  readonly errors: readonly string[];
  /** The `x-trace-id` answered. */
  readonly traceId: string;
  /** Whether the answer was an injected fault (`failNext`) rather than the request's own. */
  readonly fault: boolean;
}

/**
 * How the log shows a request target: as received, but for the userinfo of
 * an absolute URL (`http://user:password@host/...`, refused as malformed),
 * shown as `[redacted]`, so that a password in it never reaches the log.
 */
export function loggedTarget(target: string): string {
  const scheme = SCHEME.exec(target)?.[0];
  return scheme === undefined ? target : scheme +
    target.slice(scheme.length).replace(/^[^/?#]*@/, "[redacted]@");
}

/**
 * How the log shows an `API-Key` header: a known key as it is, any other
 * shortened to its first 4 characters and "…", so that a secret sent as the
 * key by mistake never reaches the log.
 */
export function loggedKey(apiKey: string, known: boolean): string {
  return known ? apiKey : `${apiKey.slice(0, 4)}…`;
}

/**
 * How the log shows an `API-Nonce` header: up to 20 decimal digits as they
 * are, anything else shortened as an unknown key is, so that a secret sent
 * as the nonce by mistake never reaches the log.
 */
export function loggedNonce(nonce: string): string {
  return /^[0-9]{1,20}$/.test(nonce) ? nonce : loggedKey(nonce, false);
}

/** How many entries a log keeps; older ones are dropped first. */
export const MAX_LOG_ENTRIES = 10_000;

/** A bounded list of {@linkcode EmulatorLogEntry}, oldest first. */
export class RequestLog {
  readonly #entries: EmulatorLogEntry[] = [];
  #snapshot: readonly EmulatorLogEntry[] | undefined;

  /** Records one request. */
  add(entry: EmulatorLogEntry): void {
    this.#entries.push(
      Object.freeze({ ...entry, errors: Object.freeze([...entry.errors]) }),
    );
    if (this.#entries.length > MAX_LOG_ENTRIES) this.#entries.shift();
    this.#snapshot = undefined;
  }

  /** The entries so far, as a frozen array that later requests do not change. */
  get entries(): readonly EmulatorLogEntry[] {
    return this.#snapshot ??= Object.freeze([...this.#entries]);
  }
}
