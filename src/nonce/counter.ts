/**
 * `counterNonce()`: nonces from a shared atomic counter (Redis `INCR`, a
 * Deno KV check-and-set, a SQL sequence), for many processes on one API key.
 *
 * @module
 */

import { cut } from "../issue_path.ts";
import { EmbedConfigError } from "../errors.ts";
import { MAX_U64, readU64 } from "./_u64.ts";
import { readOptions, u64Option } from "./_options.ts";

/**
 * Options of {@linkcode counterNonce}.
 *
 * @example A counter seeded with nonces of its own: no offset
 * ```ts
 * import { counterNonce, type CounterNonceOptions } from "@kraken-embed/client";
 *
 * // The store's counter was set once above the last nonce the key used.
 * let counter = 1_800_000_000_000_000n;
 * const options: CounterNonceOptions = { offset: 0 };
 * const nonce = counterNonce(() => ++counter, options);
 * console.assert((await nonce()) === "1800000000000001");
 * ```
 */
export interface CounterNonceOptions {
  /**
   * Added to every counter value to make the nonce. Default `2^53`
   * (9007199254740992): microsecond-clock nonces (the client's default
   * generator) stay below it until the year 2255, and millisecond ones far
   * longer, so the first counter nonce is above every clock nonce the key
   * has used. Every process sharing the counter must use the same offset.
   * Pass `0` when the counter already holds nonces (seeded above the clock).
   */
  offset?: bigint | number | string | undefined;
}

/** Default {@linkcode CounterNonceOptions.offset}: 2^53. */
const DEFAULT_OFFSET = 1n << 53n;
// Late values are dropped and another drawn. How many depends on how many
// calls of the process draw at once and how out of order the store answers
// (a connection pool): a few dozen is ordinary. This many is not.
const MAX_DRAWS = 1000;

/**
 * Creates a nonce source over a shared atomic counter, for the client's
 * `nonce` option, when several processes, containers or isolates send
 * requests with one API key. Each nonce is `offset + increment()`.
 *
 * Guarantee, provided `increment` is atomic (each call returns a value no
 * earlier call on the same counter returned, larger than every value
 * returned before it started, as Redis `INCR` does):
 * - nonces are unique across every process sharing the counter, and
 *   increase in the order the store applied the increments;
 * - the nonces one source returns increase in the order it returns them,
 *   even for concurrent calls: a value that arrives after a larger one is
 *   dropped and another is drawn (a wasted counter value and one more round
 *   trip; never with a store that answers in order, as one Redis
 *   connection does);
 * - with the default offset, the first nonce is above every microsecond- or
 *   millisecond-clock nonce used on the key before (until the year 2255), so
 *   a key can move from the default generator to a counter without a reset.
 *
 * Limits:
 * - Issue order is not arrival order: two processes that send at the same
 *   moment can reach Kraken in the opposite order, and without a nonce
 *   window the later-arriving, lower nonce is refused (the client resends
 *   it once with a fresh nonce). Give the key a nonce window that covers
 *   the requests in flight at once, or keep them few.
 * - The switch is one-way and all-or-nothing: once a counter nonce has been
 *   accepted, clock nonces on that key are below it and refused, so every
 *   process on the key must use the counter, with the same offset.
 * - The counter must not go back: a counter that is lost or reset (a Redis
 *   without persistence that restarts) starts again below the nonces
 *   already used. Persist it, or raise `offset` above the last nonce sent.
 * - A key that has used nanosecond nonces (about 1.8e18 today) needs an
 *   offset above them.
 *
 * @param increment Atomically adds one to the shared counter and returns the
 * new value: a bigint, a safe-integer number or a decimal string, at least 0.
 * @param options The offset added to the counter.
 * @returns A nonce source for the client's `nonce` option. It rejects with an
 * {@linkcode EmbedConfigError} when the counter returns something else than
 * such an integer, when the value or `offset + value` passes 2^64 - 1, or
 * when the counter keeps returning values that do not increase.
 * @throws {EmbedConfigError} When `increment` is not a function or `offset`
 * is not an unsigned 64-bit integer.
 *
 * @example With Redis (the npm `redis` client), shared by every process
 * ```ts
 * import { createClient } from "redis";
 * import { counterNonce, EmbedClient } from "@kraken-embed/client";
 *
 * async function connect(): Promise<EmbedClient> {
 *   // Without an "error" listener, node-redis throws a lost connection
 *   // out of the process; with one, calls wait until their timeoutMs.
 *   const redis = await createClient({ url: "redis://127.0.0.1:6379" })
 *     .on("error", (error) => console.error("redis:", error.message))
 *     .connect();
 *   return new EmbedClient({
 *     apiKey: "my-api-key",
 *     apiSecret: "c2VjcmV0LWJ5dGVz",
 *     // One counter per API key, shared by every process that uses the key.
 *     nonce: counterNonce(() => redis.incr("embed:nonce:my-api-key")),
 *   });
 * }
 * ```
 *
 * @example With any atomic counter; here one in memory
 * ```ts
 * import { counterNonce, EmbedClient } from "@kraken-embed/client";
 *
 * let counter = 0n;
 * const nonce = counterNonce(async () => ++counter);
 * console.assert((await nonce()) === "9007199254740993");
 *
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   nonce,
 *   fetch: async () => Response.json({ result: "success" }),
 * });
 * await client.users.update("AA95 N84G TEST XXXX", { language: "en" });
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function counterNonce(
  increment: () =>
    | bigint
    | number
    | string
    | PromiseLike<bigint | number | string>,
  options: CounterNonceOptions = {},
): () => Promise<string> {
  if (typeof increment !== "function") {
    throw new EmbedConfigError(
      "increment",
      "Expected a function that increments the shared counter and returns its new value",
    );
  }
  const given = readOptions(options, ["offset"]).offset;
  const offset = given === undefined
    ? DEFAULT_OFFSET
    : u64Option(given, "offset");
  let last = -1n;
  return async () => {
    // This call's previous draw: an atomic counter answers each later draw
    // of the same call with a larger value, however out of order it answers
    // concurrent calls. One that does not is broken, not slow.
    let previous = -1n;
    for (let draws = 1; draws <= MAX_DRAWS; draws++) {
      const counted = await increment();
      const value = readU64(counted);
      if (value === undefined) {
        // An integer too large for a nonce is said to be so, as one that an
        // offset takes past 2^64 - 1 is below: a bigint, a decimal string of
        // 20 digits or more that readU64 refused, or a whole number.
        const n = counted as number;
        if (
          typeof counted === "bigint"
            ? counted > MAX_U64
            : typeof counted === "string"
            ? /^[1-9][0-9]{19,}$/.test(counted)
            : Number.isInteger(n) && n >= 2 ** 64
        ) {
          throw new EmbedConfigError(
            "nonce",
            `The counter passes 2^64 - 1 (counter ${
              // A number that large is not exact: said as a number only.
              typeof counted === "number"
                ? "a number of 2^64 or more"
                : cut(String(counted), 40)})`,
          );
        }
        throw new EmbedConfigError(
          "nonce",
          `The counter returned something other than a non-negative integer (a bigint, safe integer or decimal string)${
            Number.isInteger(counted) && (counted as number) > 0 &&
              (counted as number) < 2 ** 64
              ? ": a number past 2^53 - 1 is not exact, so have the counter return a string or a bigint"
              : ""
          }`,
        );
      }
      const nonce = offset + value;
      if (nonce > MAX_U64) {
        throw new EmbedConfigError(
          "nonce",
          `offset + counter passes 2^64 - 1 (offset ${offset}, counter ${value})`,
        );
      }
      if (nonce > last) {
        last = nonce;
        return String(nonce);
      }
      // A concurrent call got a later value first; this one would go back.
      if (nonce <= previous) {
        throw new EmbedConfigError(
          "nonce",
          `The counter returned ${value} after ${
            previous - offset
          } to the same caller; is the increment atomic?`,
        );
      }
      previous = nonce;
    }
    throw new EmbedConfigError(
      "nonce",
      `The counter's values stayed below the last nonce issued for ${MAX_DRAWS} draws in a row`,
    );
  };
}
