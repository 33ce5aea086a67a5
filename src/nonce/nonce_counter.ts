/**
 * `NonceCounter`: the Durable Object that issues nonces for one API key.
 *
 * @module
 */

import { MAX_U64, readU64 } from "./_u64.ts";
import { LAST_KEY, MAX_BATCH, readCount } from "./_protocol.ts";
import type {
  DurableObjectState,
  DurableObjectStorage,
} from "./durable_object_types.ts";

// An answer's init without a prototype: Response reads `status`,
// `statusText` and `headers` from it, and must not find them on
// Object.prototype, where other code may have set them (a `status` of 429
// there turned every range issued into a refusal, its nonces lost). Its
// headers given, empty: Node's Response.json still looked for `headers` on
// Object.prototype without them.
function answer(body: unknown, status = 200): Response {
  return Response.json(
    body,
    { __proto__: null, status, headers: [] } as ResponseInit,
  );
}

function refuse(status: number, message: string): Response {
  return answer({ error: [message] }, status);
}

/**
 * A Durable Object that issues increasing nonces for one API key, to every
 * worker and isolate that uses the key. Bind it in the Wrangler
 * configuration, export it from the worker's main module, and give each
 * client `durableObjectNonce(env.NONCE, name)`.
 *
 * Each request (`POST` with an optional `?count=n`, 1 to 1,000,000, and an
 * optional `&floor=f`, an unsigned 64-bit decimal) reserves `n` consecutive
 * nonces starting at `max(last issued + 1, microsecond clock, f)` (the clock
 * read as the first microsecond of the next millisecond, above any nonce
 * the default generator can draw in this one) and answers
 * `{"first": "<nonce>", "last": "<nonce>"}`. The last nonce issued is read
 * from storage before the first request is served (`blockConcurrencyWhile`)
 * and written back before each answer leaves, so a value is never issued
 * twice, across restarts and moves of the object included. Following the
 * clock keeps the nonces above those of the default generator, so a key can
 * move to the counter without a reset; a key that sent larger nonces before
 * (`counterNonce`'s start at 2^53) moves with a `floor` above them (see
 * `durableObjectNonce`'s options).
 *
 * @example The Wrangler configuration and the worker's main module
 * ```ts
 * // wrangler.jsonc:
 * //   "durable_objects": { "bindings": [{ "name": "NONCE", "class_name": "NonceCounter" }] },
 * //   "migrations": [{ "tag": "v1", "new_sqlite_classes": ["NonceCounter"] }]
 * import { EmbedClient } from "@kraken-embed/client";
 * import {
 *   type DurableObjectNamespace,
 *   durableObjectNonce,
 *   NonceCounter,
 * } from "@kraken-embed/client/durable_object";
 *
 * interface Env {
 *   NONCE: DurableObjectNamespace;
 *   KRAKEN_EMBED_API_KEY: string;
 *   KRAKEN_EMBED_API_SECRET: string;
 * }
 *
 * const worker = {
 *   async fetch(_request: Request, env: Env): Promise<Response> {
 *     const client = new EmbedClient({
 *       apiKey: env.KRAKEN_EMBED_API_KEY,
 *       apiSecret: env.KRAKEN_EMBED_API_SECRET,
 *       // One object per API key: name it after the key.
 *       nonce: durableObjectNonce(env.NONCE, env.KRAKEN_EMBED_API_KEY),
 *     });
 *     const answer = await client.users.update("AA95 N84G TEST XXXX", { language: "en" });
 *     return Response.json(answer);
 *   },
 * };
 * // The main module exports both, the class under the name bound above:
 * //   export default worker;
 * //   export { NonceCounter };
 * ```
 *
 * @example Driving one directly, with storage in memory
 * ```ts
 * import { NonceCounter } from "@kraken-embed/client/durable_object";
 *
 * const data = new Map<string, unknown>();
 * const counter = new NonceCounter({
 *   storage: {
 *     get: async <T>(key: string) => data.get(key) as T | undefined,
 *     put: async <T>(key: string, value: T) => void data.set(key, value),
 *   },
 *   blockConcurrencyWhile: (callback) => callback(),
 * });
 * const answer = await counter.fetch(
 *   new Request("https://nonce/?count=10", { method: "POST" }),
 * );
 * // `json()` is typed `unknown` under @types/node: say what it holds.
 * const { first, last } = await answer.json() as { first: string; last: string };
 * console.assert(BigInt(last) - BigInt(first) === 9n);
 * ```
 */
export class NonceCounter {
  /**
   * A mark for types only, never set: `@cloudflare/workers-types` asks it of
   * a Durable Object class, so that the binding `wrangler types` writes,
   * `DurableObjectNamespace<NonceCounter>`, compiles. The runtime's own base
   * class carries it; this class, which must run outside Workers too, does
   * not extend that.
   */
  declare readonly __DURABLE_OBJECT_BRAND: never;
  readonly #storage: DurableObjectStorage;
  readonly #loaded: Promise<void>;
  #last = 0n;

  /**
   * Called by the runtime, once per activation of the object.
   *
   * @param state The object's state: its storage and concurrency gate. A
   * storage of your own must apply writes in the order they are made, as a
   * Durable Object's does; a stored value that cannot be read fails every
   * request.
   * @param _env The worker's bindings (not used).
   */
  constructor(state: DurableObjectState, _env?: unknown) {
    this.#storage = state.storage;
    // The runtime delivers no request before this settles, so every answer
    // is computed from the stored value. A stored value that cannot be read
    // fails the load rather than risking a reissue.
    this.#loaded = state.blockConcurrencyWhile(async () => {
      const stored = await state.storage.get<unknown>(LAST_KEY);
      if (stored === undefined) return;
      const last = readU64(stored);
      if (last === undefined) {
        throw new Error(
          `NonceCounter: the stored "${LAST_KEY}" is not an unsigned 64-bit integer`,
        );
      }
      this.#last = last;
    });
    // Each request awaits the load and fails with it; the failure must not
    // also go unhandled (which ends a Deno or Node process hosting the class
    // with storage of its own) before a request comes.
    this.#loaded.catch(() => {});
  }

  /**
   * Reserves nonces: `POST` with an optional `?count=n` (1 to 1,000,000)
   * and an optional `&floor=f` (the lowest nonce to issue).
   *
   * @param request The request from `durableObjectNonce()`.
   * @returns `200 {"first", "last"}` as decimal strings; `400` for a bad
   * count or floor, `405` for another method, `500` when the nonces would
   * pass 2^64 - 1.
   */
  async fetch(request: Request): Promise<Response> {
    await this.#loaded;
    if (request.method !== "POST") {
      return refuse(405, "NonceCounter: expected POST");
    }
    const query = new URL(request.url).searchParams;
    const count = readCount(query.get("count"));
    if (count === undefined) {
      return refuse(
        400,
        `NonceCounter: expected ?count= an integer from 1 to ${MAX_BATCH}`,
      );
    }
    const floorText = query.get("floor");
    const floor = floorText === null ? 0n : readU64(floorText);
    if (floor === undefined) {
      return refuse(
        400,
        "NonceCounter: expected &floor= an unsigned 64-bit decimal integer",
      );
    }
    // Computed and recorded before the first await: two requests can never
    // see the same `#last`, whatever the runtime interleaves.
    // The first microsecond of the next millisecond: the default generator
    // reads the same millisecond clock (times 1000, plus up to 999 random
    // microseconds), so a key moving to the counter within one millisecond
    // of a clock nonce still gets a larger one.
    const clock = BigInt(Math.floor(Date.now())) * 1000n + 1000n;
    let first = this.#last + 1n > clock ? this.#last + 1n : clock;
    if (floor > first) first = floor;
    const last = first + BigInt(count) - 1n;
    if (last > MAX_U64) {
      return refuse(500, "NonceCounter: the nonces would pass 2^64 - 1");
    }
    this.#last = last;
    // The answer waits until the new value is stored, so a nonce that left
    // the object is never issued again after a restart. This relies on the
    // storage applying writes in the order they are made, as a Durable
    // Object's does: a later, larger value is never overwritten by an
    // earlier one that finished last.
    await this.#storage.put(LAST_KEY, String(last));
    return answer({ first: String(first), last: String(last) });
  }
}
