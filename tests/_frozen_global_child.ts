// Started as a worker by tests/nonce_copies_test.ts: locks its global
// object against new properties before the first request, as a hardened
// runtime does, then sends three updates with the default nonces through a
// fake fetch and posts `{ extensible: false, nonces: [...] }`, the nonces
// they sent. (A worker, not a process: Deno sets a property of a process's
// global object as the process ends, which the lock would fail.)
import { EmbedClient } from "../src/client/client.ts";
import { API_KEY, fakeFetch, SECRET, success, USER } from "./_fake_fetch.ts";

const fake = fakeFetch(success());
const client = new EmbedClient({
  apiKey: API_KEY,
  apiSecret: SECRET,
  fetch: fake.fetch,
});
Object.preventExtensions(globalThis);
for (let i = 0; i < 3; i++) {
  await client.users.update(USER, { language: "en" });
}
// A worker's own postMessage, which the type check's Workers types leave
// undeclared.
(globalThis as unknown as { postMessage(message: unknown): void }).postMessage({
  extensible: Object.isExtensible(globalThis),
  nonces: fake.requests.map((request) => request.headers["api-nonce"]),
});
