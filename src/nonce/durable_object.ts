/**
 * Nonces for many Cloudflare Workers on one API key: the
 * {@linkcode NonceCounter} Durable Object issues them, and
 * {@linkcode durableObjectNonce} draws them for the client's `nonce` option.
 * A separate entry point (`@kraken-embed/client/durable_object`), so the
 * main one stays the same size; it uses nothing beyond `fetch`-era web
 * APIs and needs no `@cloudflare/workers-types`.
 *
 * @example The worker's main module
 * ```ts
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
 *       nonce: durableObjectNonce(env.NONCE, env.KRAKEN_EMBED_API_KEY),
 *     });
 *     const answer = await client.users.update("AA95 N84G TEST XXXX", { language: "en" });
 *     return Response.json(answer);
 *   },
 * };
 * // In the real module:
 * //   export default worker;
 * //   export { NonceCounter }; // under the class name the Wrangler configuration binds
 * ```
 *
 * @module
 */

export { NonceCounter } from "./nonce_counter.ts";
export {
  durableObjectNonce,
  type DurableObjectNonceOptions,
} from "./durable_object_nonce.ts";
export type {
  DurableObjectNamespace,
  DurableObjectResponse,
  DurableObjectState,
  DurableObjectStorage,
  DurableObjectStub,
} from "./durable_object_types.ts";
