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

test('every copy draws its default nonces from the generator kept on globalThis under Symbol.for("@kraken-embed/client nonce"), as another version of the package finds it', async () => {
  // Another version (or copy) of the package made the thread's generator
  // first: each copy here must draw from it, through that key, rather than
  // make one of its own (whose clock nonces two copies could both issue).
  const key = Symbol.for("@kraken-embed/client nonce");
  const global = globalThis as { [key]?: () => string };
  const before = global[key];
  let next = 5000;
  global[key] = () => String(next++);
  try {
    const copy = await import("../src/client/client.ts?other-version");
    const Copy = copy.EmbedClient as unknown as typeof EmbedClient;
    const fake = fakeFetch(success());
    const options = { apiKey: API_KEY, apiSecret: SECRET, fetch: fake.fetch };
    const clients = [new EmbedClient(options), new Copy(options)];
    for (let i = 0; i < 4; i++) {
      await clients[i % 2].users.update(USER, { language: "en" });
    }
    assert.deepEqual(
      fake.requests.map((request) => request.headers["api-nonce"]),
      ["5000", "5001", "5002", "5003"],
    );
  } finally {
    if (before === undefined) delete global[key];
    else global[key] = before;
  }
});

test("the default nonces still work where the global object takes no new property, each from the module's own generator", async () => {
  // Object.preventExtensions(globalThis) in a worker of its own, as a
  // hardened runtime locks it: writing the generator there threw at every
  // request ("The nonce source failed").
  const worker = new Worker(
    new URL("./_frozen_global_child.ts", import.meta.url),
    { type: "module" },
  );
  let answer: { extensible: boolean; nonces: string[] };
  try {
    answer = await new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message));
      };
    });
  } finally {
    worker.terminate();
  }
  const { extensible, nonces } = answer;
  assert.equal(extensible, false);
  assert.equal(nonces.length, 3);
  const values = nonces.map(BigInt);
  assert.ok(values[0] < values[1] && values[1] < values[2], nonces.join());
});
