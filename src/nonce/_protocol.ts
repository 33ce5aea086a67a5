/**
 * What `durableObjectNonce()` and `NonceCounter` say to each other: a POST
 * with `?count=n`, answered `{"first": "<u64>", "last": "<u64>"}`.
 *
 * @module
 */

/** The most nonces one request can reserve: about one second of microseconds. */
export const MAX_BATCH = 1_000_000;

/** The key under which the counter keeps the last nonce it issued. */
export const LAST_KEY = "last";

/**
 * Reads a batch size: an integer from 1 to {@linkcode MAX_BATCH}.
 *
 * @param value A number, or the `count` query parameter (`null` when absent: 1).
 * @returns The size, or `undefined` when unusable.
 */
export function readCount(value: unknown): number | undefined {
  if (value === null || value === undefined) return 1;
  const n = typeof value === "string" && /^[1-9][0-9]{0,6}$/.test(value)
    ? Number(value)
    : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 &&
      n <= MAX_BATCH
    ? n
    : undefined;
}
