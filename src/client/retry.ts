/**
 * When to retry, and how long to wait: exponential backoff with full jitter,
 * and the server's Retry-After.
 *
 * @module
 */

import { EmbedAbortError } from "../errors.ts";
import { whenAborted } from "./when_aborted.ts";

/** Statuses that say the request may succeed if sent again. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  408,
  429,
  500,
  502,
  503,
  504,
]);

/**
 * Statuses after which a non-idempotent request (POST) may be sent again:
 * those that say it was not acted on, when the answer shows a refusal (a
 * 503 only with Kraken's error list, and neither holding a result: judged
 * by readAnswer's mayHaveTakenEffect, which the client checks beside this).
 */
const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** The longest Retry-After the client waits, in milliseconds. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Whether an answer with this status may be retried.
 *
 * @param status The HTTP status.
 * @param idempotent Whether sending the request twice is harmless.
 */
export function isRetryableStatus(
  status: number,
  idempotent: boolean,
): boolean {
  return idempotent
    ? RETRYABLE_STATUSES.has(status)
    : NOT_PROCESSED_STATUSES.has(status);
}

/**
 * Full-jitter backoff: a random wait in `[0, min(capMs, baseMs * 2^(retry-1)))`.
 *
 * @param retry The retry about to be made, from 1.
 * @param baseMs The first retry's ceiling.
 * @param capMs The largest ceiling.
 * @param random A source of numbers in [0, 1).
 */
export function backoffDelay(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));
}

// The three forms of an HTTP-date (RFC 9110, 5.6.7): IMF-fixdate, RFC 850
// and asctime().
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT|[A-Z][a-z]{5,8}, \d\d-[A-Z][a-z]{2}-\d\d \d\d:\d\d:\d\d GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})$/;

/**
 * Reads a Retry-After header (delay in seconds, or an HTTP date in one of
 * its three forms) as milliseconds, at most {@linkcode MAX_RETRY_AFTER_MS};
 * `undefined` when absent or anything else.
 *
 * @param value The header's value.
 * @param now The current time in milliseconds since the epoch.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else if (HTTP_DATE.test(text)) {
    // asctime() names no zone: it is GMT too.
    const date = Date.parse(text.endsWith("GMT") ? text : `${text} GMT`);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  } else {
    // Date.parse would take "-1", "1.5" or "Tuesday 5" for a date long
    // past, and so for "retry now".
    return undefined;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Waits `ms` milliseconds, or rejects with an {@linkcode EmbedAbortError} as
 * soon as `signal` fires.
 *
 * @param ms How long to wait.
 * @param signal The caller's signal.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new EmbedAbortError(signal.reason));
    const timer = setTimeout(() => {
      unlisten();
      resolve();
    }, ms);
    const unlisten = whenAborted(signal, () => {
      clearTimeout(timer);
      reject(new EmbedAbortError(signal?.reason));
    });
  });
}
