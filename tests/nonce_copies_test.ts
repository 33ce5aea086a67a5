// runtimes: deno — reason: loads a second copy of an internal module (src/client/client.ts?copy), which only a module loader keyed by URL does; Node and Bun load one copy per file
//
// Two copies of the client module in one process (an app that imports the
// package while a dependency requires its CommonJS build, or two versions)
// still draw from one nonce generator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EmbedClient } from "../src/client/client.ts";
import { API_KEY, fakeFetch, SECRET, success, USER } from "./_fake_fetch.ts";

test("clients from two copies of the client module never send the same nonce", async () => {
  const copy = await import("../src/client/client.ts?copy");
  const Copy = copy.EmbedClient as unknown as typeof EmbedClient;
  assert.notEqual(Copy, EmbedClient, "a second copy of the module");
  const fake = fakeFetch(success());
  const options = { apiKey: API_KEY, apiSecret: SECRET, fetch: fake.fetch };
  const clients = [new EmbedClient(options), new Copy(options)];
  // Within one millisecond each copy's own generator would issue the same
  // clock value; a shared one counts on.
  await Promise.all(
    Array.from(
      { length: 200 },
      (_, i) => clients[i % 2].users.update(USER, { language: "en" }),
    ),
  );
  const nonces = fake.requests.map((request) =>
    BigInt(request.headers["api-nonce"])
  );
  assert.equal(nonces.length, 200);
  assert.equal(new Set(nonces).size, 200, "no nonce sent twice");
});
