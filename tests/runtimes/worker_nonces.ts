/**
 * The routes of tests/runtimes/worker.ts that draw nonces from the package's
 * NonceCounter, a real Durable Object in workerd, through durableObjectNonce.
 * They return what they saw; tests/runtimes/workerd.mjs judges it:
 *
 * - GET /nonces?name=&batch=&floor=&hold=&n=: n draws at once from the
 *   isolate's source for those options, in the order they resolved, with the
 *   source's round trips to the object so far;
 * - GET /leave?...: starts one draw from that source and answers without
 *   waiting for it, so the request ends and workerd cancels its round trip;
 * - GET /updates?name=&n=: n client.users.update() calls at once, with a
 *   source made in the request from the binding itself, as in the README.
 *
 * @module
 */

import { EmbedClient } from "@kraken-embed/client";
import {
  type DurableObjectNamespace,
  durableObjectNonce,
} from "@kraken-embed/client/durable_object";

/** The bindings these routes use. */
export interface NonceEnv {
  NONCE: DurableObjectNamespace;
}

interface Source {
  draw: () => Promise<string>;
  roundTrips: number;
}

// Which isolate answered: made on the first request, since workerd allows no
// random values at global scope.
let isolate: string | undefined;
const isolateId = () => (isolate ??= crypto.randomUUID());
// One source per object name and options for the isolate's lifetime, as the
// README asks of a batched source, so that concurrent requests share it.
const sources = new Map<string, Source>();

function sourceFor(env: NonceEnv, query: URLSearchParams): Source {
  const key = ["name", "batch", "floor", "hold"]
    .map((name) => query.get(name)).join(" ");
  const source = sources.get(key);
  if (source !== undefined) return source;
  const hold = Number(query.get("hold") ?? "0");
  // The binding, with its round trips counted, and the answer of every other
  // one (the first, the third...) held back `hold` ms on a timer of the
  // request that made it: answers then come out of order, and a held one
  // never comes if that request ends meanwhile.
  const counted: DurableObjectNamespace = {
    idFromName: (name) => env.NONCE.idFromName(name),
    get: (id) => {
      const stub = env.NONCE.get(id);
      return {
        fetch: async (url, init) => {
          const odd = ++made.roundTrips % 2 === 1;
          const answer = await stub.fetch(url, init);
          if (odd && hold > 0) {
            await new Promise((wake) => setTimeout(wake, hold));
          }
          return answer;
        },
      };
    },
  };
  const made: Source = {
    draw: durableObjectNonce(counted, query.get("name") ?? undefined, {
      batch: Number(query.get("batch") ?? "1"),
      floor: query.get("floor") ?? undefined,
    }),
    roundTrips: 0,
  };
  sources.set(key, made);
  return made;
}

async function nonces(query: URLSearchParams, env: NonceEnv) {
  const source = sourceFor(env, query);
  const drawn: string[] = [];
  await Promise.all(
    Array.from(
      { length: Number(query.get("n")) },
      async () => drawn.push(await source.draw()),
    ),
  );
  return {
    isolate: isolateId(),
    nonces: drawn,
    roundTrips: source.roundTrips,
    at: Date.now(),
  };
}

function leave(query: URLSearchParams, env: NonceEnv) {
  const started = Date.now();
  // Neither awaited nor handed to waitUntil: its round trip, held back on a
  // timer of this request, belongs to the request, which ends with the answer.
  sourceFor(env, query).draw().catch(() => {});
  return Promise.resolve({ isolate: isolateId(), started });
}

async function updates(query: URLSearchParams, env: NonceEnv) {
  // The runtime's binding itself, which the source must accept as it is.
  const source = durableObjectNonce(env.NONCE, query.get("name") ?? undefined);
  // The nonces in the order the source gave them, and as the requests sent
  // them (the client signs at once, so those may be in any order).
  const issued: string[] = [];
  const sent: (string | null)[] = [];
  const client = new EmbedClient({
    apiKey: "worker-api-key-0123456789",
    apiSecret: "c2VjcmV0",
    maxRetries: 0,
    nonce: async () => {
      const nonce = await source();
      issued.push(nonce);
      return nonce;
    },
    fetch: (input, init) => {
      sent.push(new Request(input, init).headers.get("api-nonce"));
      return Promise.resolve(Response.json({ result: "success" }));
    },
  });
  const results = await Promise.all(
    Array.from(
      { length: Number(query.get("n")) },
      () => client.users.update("AA95 N84G TEST XXXX", { language: "en" }),
    ),
  );
  return { issued, sent, results };
}

/** The routes, by path. */
export const nonceRoutes: Record<
  string,
  (query: URLSearchParams, env: NonceEnv) => Promise<unknown>
> = {
  "/nonces": nonces,
  "/leave": leave,
  "/updates": updates,
};
