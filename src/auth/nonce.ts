/**
 * Nonces for the `API-Nonce` header.
 *
 * @module
 */

/**
 * Creates a nonce source: strictly increasing unsigned 64-bit integers as
 * decimal strings, in microseconds since the Unix epoch (the millisecond
 * clock times 1,000, plus a random number of microseconds below 1,000),
 * bumped by one when that is not above the last.
 *
 * The random microseconds make it rare, not impossible, for two generators
 * (two processes on one key) to issue the same nonce in the same
 * millisecond, which a nonce window refuses as used. Each generator only
 * orders the nonces it issues itself, and is independent of the client's
 * default one. Share one generator rather than creating one per request: to
 * sign requests of your own on a client's key, pass it to the client as its
 * `nonce` too. Across threads, processes or isolates that share an API key,
 * use a shared counter instead (see the README's "Nonces" section).
 *
 * @returns A function returning the next nonce.
 *
 * @example
 * ```ts
 * import { createNonceGenerator } from "@kraken-embed/client";
 * const next = createNonceGenerator();
 * const a = BigInt(next());
 * const b = BigInt(next());
 * console.assert(b > a);
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function createNonceGenerator(): () => string {
  // Microseconds since the epoch stay below 2^53 until the year 2255, so a
  // plain number is exact and cheaper than a bigint on the hot path. Past
  // it (a clock set centuries ahead), `last + 1` would repeat: a bigint
  // takes over.
  let last = 0;
  let big: bigint | undefined;
  return () => {
    // Floored: a fake clock (a test's) may give fractions of a millisecond,
    // or a bigint, read as the number it is. A clock that reads no number of microseconds a nonce can hold with
    // room to count on (a broken fake: NaN, an infinity, 2^63 or more,
    // below 0) counts as not having moved: kept, it would stop the
    // generator for good (one just below 2^64 left it a few thousand
    // nonces before it counted past what a nonce can be).
    let now = Math.floor(Number(Date.now())) * 1000 +
      (Math.random() * 1000 | 0);
    if (!(now >= 0 && now < 2 ** 63)) now = 0;
    if (big === undefined) {
      last = now > last ? now : last + 1;
      if (last <= Number.MAX_SAFE_INTEGER) return String(last);
      big = BigInt(last);
    } else {
      const clock = BigInt(now);
      big = clock > big ? clock : big + 1n;
    }
    return String(big);
  };
}
