/**
 * `durableObjectNonce()`: the client side of `NonceCounter`.
 *
 * @module
 */

import { EmbedConfigError } from "../errors.ts";
import { readU64 } from "./_u64.ts";
import { MAX_BATCH, readCount } from "./_protocol.ts";
import type { DurableObjectNamespace } from "./durable_object_types.ts";

/**
 * Options of {@linkcode durableObjectNonce}.
 *
 * @example Reserving 100 nonces per round trip, for a key with a nonce window
 * ```ts
 * import {
 *   type DurableObjectNamespace,
 *   durableObjectNonce,
 *   type DurableObjectNonceOptions,
 * } from "@kraken-embed/client/durable_object";
 *
 * const options: DurableObjectNonceOptions = { batch: 100 };
 * function nonceFor(namespace: DurableObjectNamespace): () => Promise<string> {
 *   return durableObjectNonce(namespace, "my-api-key", options);
 * }
 * ```
 */
export interface DurableObjectNonceOptions {
  /**
   * How many nonces to reserve per round trip to the object, 1 to 1,000,000.
   * Default 1. Above 1, each isolate hands out its own reserved range for at
   * most a second, then drops what is left of it, so nonces from different
   * isolates interleave out of order: only for a key with a nonce window of
   * at least a second (1,000,000, in microseconds) plus the batch times the
   * isolates sending at once.
   */
  batch?: number;
}

// How long a reserved range is handed out, in milliseconds. The object
// starts a new range at the clock (in microseconds) when the clock is ahead,
// so a range kept longer falls a microsecond further behind the newest
// nonces with every microsecond; past the key's window, every nonce left in
// it would be refused. What is left of an older range is dropped.
const RANGE_LIFETIME_MS = 1000;

// Late answers are dropped and another range is drawn. How many depends on
// how many calls of the isolate draw at once: a few dozen is ordinary. This
// many is not.
const MAX_DRAWS = 1000;

interface Range {
  first: bigint;
  last: bigint;
}

function readRange(text: string, count: number): Range {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const { first, last } = (body ?? {}) as Record<string, unknown>;
  const from = readU64(typeof first === "string" ? first : undefined);
  const to = readU64(typeof last === "string" ? last : undefined);
  if (
    from === undefined || to === undefined || to - from + 1n !== BigInt(count)
  ) {
    throw new Error(
      `The nonce counter answered with an unexpected body; is the binding a NonceCounter?`,
    );
  }
  return { first: from, last: to };
}

/**
 * Creates a nonce source backed by a {@linkcode NonceCounter} Durable
 * Object, for the client's `nonce` option: every worker and isolate that
 * passes the same namespace and name draws from one counter, so their
 * nonces never repeat and increase in the order the object issued them.
 *
 * The values one source returns also increase in the order it returns them:
 * an answer that arrives after a larger one is dropped and another range is
 * drawn. Issue order is not arrival order at Kraken: requests sent at the
 * same moment by different isolates can arrive swapped, which a key without
 * a nonce window refuses (the client resends once with a fresh nonce).
 *
 * A failure to reach the object rejects the call; the client reports it as
 * an `EmbedConfigError` on `nonce` with the failure as its `cause`.
 *
 * @typeParam Id The runtime's object id type, inferred from the binding.
 * @param namespace The Durable Object namespace bound to `NonceCounter`.
 * @param name The object's name: one per API key (the key itself works; never the secret). Default `"default"`.
 * @param options How many nonces to reserve per round trip.
 * @returns A nonce source: each call resolves to the next nonce as a decimal string.
 * @throws {EmbedConfigError} When the namespace, name or batch is unusable.
 *
 * @example
 * ```ts
 * import { EmbedClient } from "@kraken-embed/client";
 * import {
 *   type DurableObjectNamespace,
 *   durableObjectNonce,
 * } from "@kraken-embed/client/durable_object";
 *
 * interface Env {
 *   NONCE: DurableObjectNamespace;
 *   KRAKEN_EMBED_API_KEY: string;
 *   KRAKEN_EMBED_API_SECRET: string;
 * }
 *
 * function clientFor(env: Env): EmbedClient {
 *   return new EmbedClient({
 *     apiKey: env.KRAKEN_EMBED_API_KEY,
 *     apiSecret: env.KRAKEN_EMBED_API_SECRET,
 *     // One object per API key: name it after the key.
 *     nonce: durableObjectNonce(env.NONCE, env.KRAKEN_EMBED_API_KEY),
 *     // Or reserve 100 per round trip, for a key with a nonce window:
 *     // nonce: durableObjectNonce(env.NONCE, env.KRAKEN_EMBED_API_KEY, { batch: 100 }),
 *   });
 * }
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function durableObjectNonce<Id>(
  namespace: DurableObjectNamespace<Id>,
  name: string = "default",
  options: DurableObjectNonceOptions = {},
): () => Promise<string> {
  if (
    typeof namespace?.idFromName !== "function" ||
    typeof namespace.get !== "function"
  ) {
    throw new EmbedConfigError(
      "namespace",
      "Expected a Durable Object namespace binding (with idFromName and get)",
    );
  }
  if (typeof name !== "string" || name === "") {
    throw new EmbedConfigError("name", "Expected a non-empty string");
  }
  if (typeof options !== "object" || options === null) {
    throw new EmbedConfigError("options", "Expected { batch? }");
  }
  for (const key of Object.keys(options)) {
    if (key !== "batch") throw new EmbedConfigError(key, "Unknown option");
  }
  const checked = readCount(options.batch);
  if (checked === undefined || typeof options.batch === "string") {
    throw new EmbedConfigError(
      "batch",
      `Expected an integer from 1 to ${MAX_BATCH}`,
    );
  }
  const batch = checked;
  const url = `https://nonce-counter/reserve?count=${batch}`;
  // The reserved nonces not handed out yet: `next` to `end`, all above `last`.
  let next = 0n;
  let end = -1n;
  let last = -1n;
  // When the range was reserved (its request sent), by Date.now().
  let reservedAt = 0;

  async function reserve(): Promise<Range & { at: number }> {
    const at = Date.now();
    // A fresh stub per call: cheap, and never shared between requests.
    const stub = namespace.get(namespace.idFromName(name));
    const response = await stub.fetch(url, { method: "POST" });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(
        `The nonce counter answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    return { ...readRange(text, batch), at };
  }

  return async () => {
    // This call's previous range: the object answers each later request of
    // the same call with a larger range. One that does not is broken.
    let previous = -1n;
    for (let draws = 1; draws <= MAX_DRAWS; draws++) {
      if (next <= end && Date.now() - reservedAt < RANGE_LIFETIME_MS) {
        last = next++;
        return String(last);
      }
      const range = await reserve();
      if (range.first > last) {
        last = range.first;
        next = range.first + 1n;
        end = range.last;
        reservedAt = range.at;
        return String(last);
      }
      // A concurrent call's later range came back first: this one is stale.
      if (range.first <= previous) {
        throw new Error(
          `The nonce counter returned a range from ${range.first} after one from ${previous} to the same caller`,
        );
      }
      previous = range.first;
    }
    throw new Error(
      `The nonce counter's ranges stayed below the last nonce issued for ${MAX_DRAWS} draws in a row`,
    );
  };
}
