/**
 * `durableObjectNonce()`: the client side of `NonceCounter`.
 *
 * @module
 */

import { EmbedConfigError } from "../errors.ts";
import { readU64 } from "./_u64.ts";
import { readOptions, u64Option } from "./_options.ts";
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
   * Default 1. Above 1, each isolate hands out its own reserved range (one
   * at a time) for at most a second after it arrived, then drops what is
   * left of it, so nonces from different isolates interleave out of order:
   * only for a key with a nonce window of at least a second (1,000,000, in
   * microseconds) plus the object's round trip (a range is dated when the
   * object issues it) plus the batch times the isolates sending at once.
   */
  batch?: number | undefined;
  /**
   * The lowest nonce the object may issue, as a bigint, a safe integer or a
   * decimal string: for a key that sent larger nonces than the clock's
   * before, e.g. from `counterNonce` (whose nonces start at 2^53), set it
   * above the last one sent; the object issues
   * `max(last issued + 1, clock, floor)`. Default none.
   */
  floor?: bigint | number | string | undefined;
}

// How long a reserved range is handed out, in milliseconds. The object
// starts a new range at the clock (in microseconds) when the clock is ahead,
// so a range kept longer falls a microsecond further behind the newest
// nonces with every microsecond; past the key's window, every nonce left in
// it would be refused. What is left of an older range is dropped.
const RANGE_LIFETIME_MS = 1000;

// Draws one call may make: without a batch, a late answer is dropped and
// another nonce drawn; with one, a call that finds its isolate's range used up
// by the calls ahead of it waits for the next. How many depends on how many
// calls of the isolate draw at once: a few dozen is ordinary. This many is
// not.
const MAX_DRAWS = 1000;

// How long a call waits for the reservation another call of its isolate
// started, before it starts one itself. In a Worker, a round trip belongs to
// the request that started it, and is cancelled when that request ends (its
// client timed out, its visitor left): a promise tied to it never settles.
const REFILL_WAIT_MS = 1000;

// How many reservations one call may give up on that the object has not
// answered by then (their second passed without a range, or they failed
// after the calls waiting for them had given them up) before it fails
// rather than start another. One answered late counts for nothing: its
// range went to the isolate's calls (or was dropped for one that came
// first), so the object works, however slowly, and a call that waits behind
// many others for a range of its own waits on. The first may be one a
// Worker cancelled with the request that started it, the next are the
// call's own: an object that leaves three unanswered is not answering.
// Without this bound, a call the
// client has given up on (the nonce source is given no signal to tell it)
// would go on reserving once a second for MAX_DRAWS seconds, each round
// trip billed, and keep a Node or Deno process alive on its timers.
const MAX_UNANSWERED = 3;

// How long one call may wait for a range in all, answered or not, before it
// fails: the client's default timeout. Ranges that come, late, to calls
// that take them faster than they come (a batch too small for the load of a
// slow object) leave the last calls waiting on and on; past the time the
// client gives a call, one waiting on has been given up on (the source is
// not told), and takes ranges that calls still waiting need.
const MAX_CALL_WAIT_MS = 30_000;

// A reservation of a batch, shared by the calls of the isolate waiting for
// it.
interface Reservation {
  // Settles once its range was taken or dropped; rejects with its failure
  // while it is still the one in flight.
  done: Promise<void>;
  // When it started, by Date.now().
  started: number;
  // Its failure, once it failed: for the calls that had given it up.
  failed?: { error: unknown } | undefined;
  // Whether the object answered it with a range, in time or late.
  answered?: boolean;
}

// How many times a reservation that Cloudflare failed with an error it calls
// retryable (not overloaded) is tried again, and after how long (doubled each
// time): two, after 50 and 100 ms, well within a caller's time. Resending is
// safe whether or not the object got the request: at worst it reserved a
// range that is never handed out, and nonces only need to increase.
const TRANSIENT_RETRIES = 2;
const TRANSIENT_DELAY_MS = 50;

// Whether a failure of `stub.fetch` may be retried: Cloudflare's
// infrastructure errors ("Durable Object reset because its code was
// updated.", a dropped connection) carry `retryable: true`; one that also
// carries `overloaded: true` must not be, as a retry adds to the load.
// Anything else (the object's own exception, a broken binding) is final.
function transient(error: unknown): boolean {
  try {
    const { retryable, overloaded } = error as Record<string, unknown>;
    return retryable === true && overloaded !== true;
  } catch {
    // Not an object, or a getter that throws: not Cloudflare's.
    return false;
  }
}

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
  // Its own fields, not ones set on Object.prototype by other code.
  const { first, last } = { __proto__: null, ...body as object } as Record<
    string,
    unknown
  >;
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
 * With a `batch` above 1, the source is the isolate's range: make it once
 * per isolate and share it (a module-level variable set on the first
 * request, as below), not once per request, which would hold a range per
 * request in flight. Concurrent calls share one reservation at a time, and
 * wait for it until a second after it started: a Worker cancels a round
 * trip when the request that made it ends, and one that has not come by
 * then is left behind for a new one (its range, if it comes later, is used
 * only while the isolate holds none, one past its second counting as none,
 * and above every nonce issued, and the calls waiting take from it at once).
 * One left behind that fails later fails the calls that left it with its
 * error when they give up on the next one too, unless that one serves them
 * first; a call fails without starting another after giving up on three
 * that the object has not answered by then (one answered late, its range
 * handed to other calls, does not count), or once it has waited 30 s in
 * all (the client's default timeout).
 *
 * A failure to reach the object rejects the call; the client reports it as
 * an `EmbedConfigError` on `nonce` with the failure as its `cause`. One that
 * Cloudflare marks `retryable` (and not `overloaded`), such as "Durable
 * Object reset because its code was updated.", is first tried again, twice
 * at most, after 50 and 100 ms.
 *
 * @typeParam Id The runtime's object id type, inferred from the binding.
 * @param namespace The Durable Object namespace bound to `NonceCounter`.
 * @param name The object's name: one per API key (the key itself works; never the secret). Default `"default"`.
 * @param options How many nonces to reserve per round trip, and the lowest to issue.
 * @returns A nonce source: each call resolves to the next nonce as a decimal string.
 * @throws {EmbedConfigError} When the namespace, name, batch or floor is unusable.
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
 *   });
 * }
 *
 * // Or reserve 100 per round trip, for a key with a nonce window: one
 * // source per isolate, made on the first request.
 * let batched: (() => Promise<string>) | undefined;
 * function batchedClientFor(env: Env): EmbedClient {
 *   batched ??= durableObjectNonce(env.NONCE, env.KRAKEN_EMBED_API_KEY, {
 *     batch: 100,
 *   });
 *   return new EmbedClient({
 *     apiKey: env.KRAKEN_EMBED_API_KEY,
 *     apiSecret: env.KRAKEN_EMBED_API_SECRET,
 *     nonce: batched,
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
  const { batch: given, floor: floorGiven } = readOptions(options, [
    "batch",
    "floor",
  ]);
  const checked = readCount(given);
  if (checked === undefined || typeof given === "string" || given === null) {
    throw new EmbedConfigError(
      "batch",
      `Expected an integer from 1 to ${MAX_BATCH}`,
    );
  }
  const batch = checked;
  const floor = floorGiven === undefined
    ? undefined
    : u64Option(floorGiven, "floor");
  const url = `https://nonce-counter/reserve?count=${batch}${
    floor === undefined ? "" : `&floor=${floor}`
  }`;
  // The reserved nonces not handed out yet: `next` to `end`, all above `last`.
  let next = 0n;
  let end = -1n;
  let last = -1n;
  // When the range arrived, by Date.now().
  let arrived = 0;
  // Whether the isolate holds a range it may still hand out: one past its
  // lifetime, or one that a clock gone back cannot date, is as good as none.
  const holds = () => {
    if (next > end) return false;
    const age = Date.now() - arrived;
    return age >= 0 && age < RANGE_LIFETIME_MS;
  };
  // With a batch, the one reservation in flight: concurrent calls wait for it
  // rather than each reserve a range, so that an isolate holds one range at a
  // time and the key's window need cover only one per isolate. `generation`
  // counts reservations.
  let refilling: Reservation | undefined;
  let generation = 0;
  // The calls waiting for a range: a late one, taken, wakes them too.
  const waiting = new Set<() => void>();
  // The reservation in flight when a late range was last taken.
  let tookLate = 0;

  async function reserve(): Promise<Range> {
    let response;
    for (let tries = 0;; tries++) {
      try {
        // A fresh stub per try: cheap, never shared between requests, and
        // what Cloudflare asks for after a stub's call failed.
        const stub = namespace.get(namespace.idFromName(name));
        response = await stub.fetch(url, { method: "POST" });
        break;
      } catch (error) {
        if (tries >= TRANSIENT_RETRIES || !transient(error)) throw error;
      }
      await new Promise((resolve) =>
        setTimeout(resolve, TRANSIENT_DELAY_MS << tries)
      );
    }
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(
        `The nonce counter answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    return readRange(text, batch);
  }

  // Waits for `pending` until REFILL_WAIT_MS after it started, on a timer of
  // the caller's own (in a Worker, the timers of a request that ended stop
  // too). Given up on by then, it is left behind, and the next draw starts
  // another reservation. True once it settled or a range came, false once
  // given up on; rejects with its failure.
  function waitFor(pending: Reservation): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wake = () => {};
    return new Promise<boolean>((resolve, reject) => {
      wake = () => resolve(true);
      waiting.add(wake);
      timer = setTimeout(() => {
        if (refilling === pending) refilling = undefined;
        resolve(false);
      }, Math.max(0, pending.started + REFILL_WAIT_MS - Date.now()));
      pending.done.then(() => resolve(true), reject);
    }).finally(() => {
      // Set by now; the check is for the types of runtimes whose
      // clearTimeout takes no undefined (@cloudflare/workers-types).
      if (timer !== undefined) clearTimeout(timer);
      waiting.delete(wake);
    });
  }

  async function refill(mine: number, reservation: Reservation): Promise<void> {
    let range: Range;
    try {
      range = await reserve();
      reservation.answered = true;
    } catch (error) {
      // A reservation left behind fails no call at once: its callers have
      // moved on to a newer one, which may serve them. Each finds the
      // failure when it gives up on a reservation later (below).
      reservation.failed = { error };
      if (mine !== generation) return;
      throw error;
    }
    if (mine !== generation) {
      // Left behind, and late: taken only while the isolate holds no range
      // it may hand out, and only above every nonce issued (a slow object's
      // round trips all come late); dropped otherwise. Taken, it wakes the
      // calls waiting for the reservation in flight (below), which may come
      // as late.
      if (holds() || range.first <= last) return;
      tookLate = generation;
    } else if (range.first <= last) {
      // A late range taken while this one was in flight may lie above it,
      // if the object answered the two in the other order: then this one is
      // dropped, and its callers draw again.
      if (tookLate === mine) return;
      // One reservation at a time: the object must answer above every range
      // it gave this isolate before. One that does not is broken.
      throw new Error(
        `The nonce counter returned a range from ${range.first}, not above the last nonce issued, ${last}`,
      );
    }
    next = range.first;
    end = range.last;
    arrived = Date.now();
    // Woken, a call leaves the set here, not only once its wait settles: in
    // a Worker, the wait of a call whose request ended never settles (its
    // timer stops, and a wake from another request is not run), and it would
    // stay for the isolate's life, woken by every range after. A call that
    // still has to wait adds itself again.
    const woken = [...waiting];
    waiting.clear();
    for (const wake of woken) wake();
  }

  return async () => {
    // This call's previous range: the object answers each later request of
    // the same call with a larger range. One that does not is broken.
    let previous = -1n;
    // With a batch, the reservations this call waited for that did not
    // serve it.
    const unanswered: Reservation[] = [];
    const began = Date.now();
    for (let draws = 1; draws <= MAX_DRAWS; draws++) {
      // Only a batch holds a range; a clock that went back expires it too.
      if (holds()) {
        last = next++;
        return String(last);
      }
      if (batch > 1) {
        if (refilling === undefined) {
          const reservation: Reservation = {
            done: Promise.resolve(),
            started: Date.now(),
          };
          const done = refill(++generation, reservation).finally(() => {
            if (refilling === reservation) refilling = undefined;
          });
          // Handled here too: once given up on, it may fail unwatched.
          done.catch(() => {});
          reservation.done = done;
          refilling = reservation;
        }
        const pending = refilling;
        if (await waitFor(pending) && pending.failed === undefined) continue;
        // It did not serve this call: its second passed, or it failed once
        // given up on. A reservation this call gave up on before it, that
        // has failed since, fails the call now, with the object's error: the
        // object has now failed or kept silent twice running. Not earlier,
        // when it failed: the reservation after it (this one) had its second
        // to serve the call, so that one late failure (a transient one, an
        // object restarting) fails no call that a newer reservation serves;
        // a newer one that fails while still in flight fails its waiting
        // calls at once. The price is up to a second more before the error,
        // and a round trip more: the calls never take a nonce from a range
        // that failed, so none is repeated or goes back either way.
        const failed = unanswered.find((given) => given.failed)?.failed;
        if (failed) throw failed.error;
        unanswered.push(pending);
        if (
          unanswered.filter((given) => !given.answered).length >=
            MAX_UNANSWERED
        ) {
          if (pending.failed) throw pending.failed.error;
          throw new Error(
            `No nonce: the nonce counter did not answer ${MAX_UNANSWERED} reservations this call gave up on, within their second or since (is the object reachable?)`,
          );
        }
        if (Date.now() - began >= MAX_CALL_WAIT_MS) {
          throw new Error(
            `No nonce within ${
              MAX_CALL_WAIT_MS / 1000
            } s: ranges of ${batch} came slower than this isolate's calls took them (reserve a larger batch, or draw fewer at once)`,
          );
        }
        continue;
      }
      // One nonce per round trip: concurrent calls reserve at once, and a
      // call whose answer was overtaken by another's draws again.
      const range = await reserve();
      if (range.first > last) {
        last = range.first;
        return String(last);
      }
      if (range.first <= previous) {
        throw new Error(
          `The nonce counter returned a range from ${range.first} after one from ${previous} to the same caller`,
        );
      }
      previous = range.first;
    }
    throw new Error(
      batch > 1
        ? `No nonce after ${MAX_DRAWS} reservations in a row: each range was used up by the isolate's other calls first (draw fewer at once, or reserve a larger batch)`
        : `The nonce counter's ranges stayed below the last nonce issued for ${MAX_DRAWS} draws in a row`,
    );
  };
}
