/**
 * An offline emulator of the Kraken Embed endpoints this library covers
 * (`PATCH` and `GET /b2b/users/{user}`), for testing an integration where
 * Kraken cannot be reached: Kraken publishes no sandbox. It checks
 * `API-Key`, `API-Sign` and `API-Nonce` the way the service does, validates
 * bodies with the library's own schemas, stores users, records every request
 * and injects failures on demand.
 *
 * `createEmulator()` returns a standard fetch handler: serve it with
 * `Deno.serve`, `Bun.serve` or a Worker, or pass it to the client's `fetch`
 * option to run everything in process. The `kraken-embed emulator` command
 * serves it over HTTP on 127.0.0.1.
 *
 * @example A test against the emulator
 * ```ts
 * import { EmbedApiError, EmbedClient } from "@kraken-embed/client";
 * import { createEmulator } from "@kraken-embed/client/emulator";
 *
 * const credentials = { apiKey: "test-key", apiSecret: "c2VjcmV0LWJ5dGVz" };
 * const emulator = createEmulator({
 *   credentials: [credentials],
 *   users: [{ user: "AA95 N84G TEST XXXX" }],
 * });
 * const client = new EmbedClient({
 *   ...credentials,
 *   fetch: (input, init) => emulator.fetch(new Request(input, init)),
 *   maxRetries: 0,
 * });
 *
 * emulator.failNext(1, { status: 429, retryAfter: 1 });
 * try {
 *   await client.users.update("AA95 N84G TEST XXXX", { language: "en" });
 * } catch (error) {
 *   if (error instanceof EmbedApiError) console.log(error.status); // 429
 * }
 * const { result } = await client.users.get("AA95 N84G TEST XXXX");
 * console.log(emulator.log.length); // 2
 * ```
 *
 * @module
 */

export { createEmulator } from "./emulator.ts";
export type { Emulator, EmulatorOptions } from "./emulator.ts";
export type { EmulatorCredential } from "./auth.ts";
export type { Fault } from "./faults.ts";
export type { EmulatorLogEntry } from "./log.ts";
export { MAX_BODY_BYTES } from "./raw_request.ts";
export type { RawRequest } from "./raw_request.ts";
export type { EmulatorUsers, UserSeed } from "./store.ts";
export type {
  RequiredAction,
  UserDetails,
  UserStatus,
} from "../schemas/responses.ts";
