/**
 * The few Cloudflare Durable Object types the nonce counter uses, written as
 * small structural interfaces so that the package needs no
 * `@cloudflare/workers-types`. The runtime's own objects (and the types from
 * `@cloudflare/workers-types`) fit them.
 *
 * @module
 */

/**
 * The storage of a Durable Object (`state.storage`): only `get` and `put`.
 *
 * @example An in-memory stand-in, for tests
 * ```ts
 * import type { DurableObjectStorage } from "@kraken-embed/client/durable_object";
 *
 * const data = new Map<string, unknown>();
 * const storage: DurableObjectStorage = {
 *   get: async <T>(key: string) => data.get(key) as T | undefined,
 *   put: async <T>(key: string, value: T) => void data.set(key, value),
 * };
 * ```
 */
export interface DurableObjectStorage {
  /** Reads one value; `undefined` when the key was never written. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Writes one value; resolves once it is stored. */
  put<T>(key: string, value: T): Promise<void>;
}

/**
 * The state a Durable Object is constructed with: its storage, and the gate
 * that holds events back while the object loads.
 *
 * @example An in-memory stand-in, for tests
 * ```ts
 * import type { DurableObjectState } from "@kraken-embed/client/durable_object";
 *
 * const data = new Map<string, unknown>();
 * const state: DurableObjectState = {
 *   storage: {
 *     get: async <T>(key: string) => data.get(key) as T | undefined,
 *     put: async <T>(key: string, value: T) => void data.set(key, value),
 *   },
 *   blockConcurrencyWhile: (callback) => callback(),
 * };
 * ```
 */
export interface DurableObjectState {
  /** The object's transactional storage. */
  readonly storage: DurableObjectStorage;
  /** Runs `callback` while no other event is delivered to the object. */
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

/**
 * What a Durable Object answers through its stub: the status and the body.
 *
 * @example
 * ```ts
 * import type { DurableObjectResponse } from "@kraken-embed/client/durable_object";
 *
 * const answer: DurableObjectResponse = Response.json({ first: "1", last: "1" });
 * ```
 */
export interface DurableObjectResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The body as text. */
  text(): Promise<string>;
}

/**
 * A stub of one Durable Object, from `namespace.get(id)`.
 *
 * @example
 * ```ts
 * import type { DurableObjectStub } from "@kraken-embed/client/durable_object";
 *
 * const stub: DurableObjectStub = {
 *   fetch: async () => Response.json({ first: "1", last: "1" }),
 * };
 * ```
 */
export interface DurableObjectStub {
  /** Sends a request to the object's `fetch` handler. */
  fetch(url: string, init: { method: string }): Promise<DurableObjectResponse>;
}

/**
 * A Durable Object namespace binding (`env.NONCE` with a
 * `durable_objects.bindings` entry in the Wrangler configuration).
 *
 * @typeParam Id The runtime's object id type (`DurableObjectId`).
 *
 * @example A namespace stand-in around one `NonceCounter`, for tests
 * ```ts
 * import {
 *   type DurableObjectNamespace,
 *   NonceCounter,
 * } from "@kraken-embed/client/durable_object";
 *
 * const data = new Map<string, unknown>();
 * const counter = new NonceCounter({
 *   storage: {
 *     get: async <T>(key: string) => data.get(key) as T | undefined,
 *     put: async <T>(key: string, value: T) => void data.set(key, value),
 *   },
 *   blockConcurrencyWhile: (callback) => callback(),
 * });
 * const namespace: DurableObjectNamespace = {
 *   idFromName: (name) => name,
 *   get: () => ({ fetch: (url, init) => counter.fetch(new Request(url, init)) }),
 * };
 * ```
 */
export interface DurableObjectNamespace<Id = unknown> {
  /** The id of the object with this name; the same name always gives the same object. */
  idFromName(name: string): Id;
  /** A stub to reach the object with this id. */
  get(id: Id): DurableObjectStub;
}
