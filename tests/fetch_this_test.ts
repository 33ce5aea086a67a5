// The client calls `fetch` as a plain function. Cloudflare Workers' fetch
// throws "Illegal invocation" when called as a method of another object,
// which made every request of a client without a `fetch` option fail there
// (found by tests/durable_object_test.ts under Miniflare).
import { test } from "node:test";
import assert from "node:assert/strict";
import { EmbedClient } from "@kraken-embed/client";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";

test("the client calls fetch detached, as Workers' global fetch requires", async () => {
  const receivers: unknown[] = [];
  // Checks its receiver the way workerd's fetch does.
  const strictFetch = function (this: unknown): Promise<Response> {
    receivers.push(this);
    if (this !== undefined && this !== globalThis) {
      throw new TypeError("Illegal invocation");
    }
    return Promise.resolve(Response.json({ result: "success" }));
  };
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: strictFetch,
    maxRetries: 0,
  });
  assert.deepEqual(await client.users.update(USER, { language: "en" }), {
    result: "success",
  });
  assert.equal(receivers.length, 1);
});
