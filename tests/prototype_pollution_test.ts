// Names set on Object.prototype by other code (a merge of untrusted JSON,
// `{"__proto__": {"baseUrl": ...}}`, the classic "prototype pollution") are
// never read as options, as fields of a patch, or as parts of an answer: a
// polluted `baseUrl` would send the credentials and a user's data to
// another host, a polluted `fallback` would fill every missing field of a
// patch with a value nobody checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import {
  counterNonce,
  EmbedAbortError,
  EmbedApiError,
  EmbedClient,
  UserPatchSchema,
} from "@kraken-embed/client";
import { createEmulator } from "@kraken-embed/client/emulator";
import {
  API_KEY,
  fakeClient,
  fakeFetch,
  SECRET,
  success,
  USER,
} from "./_fake_fetch.ts";

const PROTO = Object.prototype as Record<string, unknown>;

/** Runs `body` with `names` set on Object.prototype, and always unsets them. */
async function polluted<T>(
  names: Record<string, unknown>,
  body: () => T | Promise<T>,
): Promise<T> {
  for (const [name, value] of Object.entries(names)) {
    Object.defineProperty(PROTO, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  try {
    return await body();
  } finally {
    for (const name of Object.keys(names)) delete PROTO[name];
  }
}

test("client options set on Object.prototype are not read: the request goes where the client's own options say", async () => {
  await polluted({
    baseUrl: "https://attacker.example",
    apiVersion: "1999-01-01",
    nonce: () => "1",
    maxRetries: 0,
  }, async () => {
    const { embed, requests } = fakeClient([
      new Response("", { status: 502 }),
      success(),
    ]);
    assert.deepEqual(await embed.users.update(USER, { language: "en" }), {
      result: "success",
    });
    assert.equal(requests.length, 2, "retried: maxRetries keeps its default");
    for (const request of requests) {
      assert.ok(
        request.url.startsWith("https://nexus.kraken.com/b2b/users/"),
        request.url,
      );
      assert.equal(request.headers["payward-version"], "2025-04-15");
      assert.notEqual(request.headers["api-nonce"], "1");
    }
  });
});

test("a polluted allowInsecureHttp does not let a plain-http base URL through", async () => {
  await polluted({ allowInsecureHttp: true }, () => {
    assert.throws(
      () =>
        new EmbedClient({
          apiKey: API_KEY,
          apiSecret: SECRET,
          baseUrl: "http://kraken.example",
        }),
      /baseUrl: Expected https/,
    );
  });
});

test("request() options set on Object.prototype add no query, no body, and no retry of a POST", async () => {
  await polluted({
    query: { user: "someone-else" },
    body: { injected: true },
    idempotent: true,
  }, async () => {
    const { embed, requests } = fakeClient([
      new Response("", { status: 502 }),
    ]);
    await assert.rejects(
      embed.request({ method: "POST", path: "/b2b/users" }),
      EmbedApiError,
    );
    assert.equal(requests.length, 1, "a POST is not retried after a 502");
    assert.equal(requests[0].url, "https://nexus.kraken.com/b2b/users");
    assert.equal(requests[0].body, "");
  });
});

test("a call's options and the client's backoff ignore names set on Object.prototype", async () => {
  await polluted({
    signal: "not a signal",
    baseMs: 60_000,
    capMs: 60_000,
  }, async () => {
    const { embed, requests } = fakeClient(
      [new Response("", { status: 502 }), success()],
      { backoff: {} },
    );
    const started = Date.now();
    assert.deepEqual(await embed.users.update(USER, { language: "en" }, {}), {
      result: "success",
    });
    assert.equal(requests.length, 2);
    // The default backoff waits below 500 ms before the first retry.
    assert.ok(Date.now() - started < 2_000, "waited the polluted 60 s");
  });
});

test("a patch's missing fields are not filled from a polluted Object.prototype.fallback", async () => {
  await polluted({ fallback: "X", default: "Y" }, () => {
    const one = v.safeParse(UserPatchSchema, { phone: "+441234567890" });
    assert.ok(one.success);
    assert.deepEqual(one.output, { phone: "+441234567890" });
    const missing = v.safeParse(UserPatchSchema, {
      full_name: { last_name: "Lovelace" },
    });
    assert.equal(missing.success, false);
    assert.deepEqual(
      missing.issues?.map((issue) => v.getDotPath(issue)),
      ["full_name.first_name"],
    );
    assert.equal(
      v.safeParse(UserPatchSchema, { tax_ids: [{ id: "123" }] }).success,
      false,
    );
  });
});

test("the body sent for a one-field patch holds that field only, with Object.prototype.fallback set", async () => {
  await polluted({ fallback: null }, async () => {
    const { embed, requests } = fakeClient([success()]);
    await embed.users.update(USER, { phone: "+441234567890" });
    assert.equal(requests[0].body, '{"phone":"+441234567890"}');
  });
});

test("an answer's result or error set on Object.prototype does not change how the answer is read", async () => {
  await polluted({ result: "success" }, async () => {
    const { embed } = fakeClient([Response.json({})], { maxRetries: 0 });
    await assert.rejects(
      embed.users.update(USER, { language: "en" }),
      (error: unknown) =>
        error instanceof EmbedApiError &&
        /without a result/.test(error.message),
    );
  });
  await polluted({ error: ["EGeneral:Internal error"] }, async () => {
    const { embed } = fakeClient([success()]);
    assert.deepEqual(await embed.users.update(USER, { language: "en" }), {
      result: "success",
    });
  });
});

test("counterNonce's options ignore a polluted offset", async () => {
  await polluted({ offset: 5 }, async () => {
    let n = 0n;
    const next = counterNonce(() => ++n, {});
    // The default offset, 2^53, not the polluted 5.
    assert.equal(await next(), String(2n ** 53n + 1n));
  });
});

test("the emulator's options, credentials and faults ignore names set on Object.prototype", async () => {
  await polluted({
    nonceWindow: 1_000_000,
    apiKey: "attacker-key",
    apiSecret: SECRET,
    status: 200,
  }, async () => {
    // A credential without its secret stays without one.
    assert.throws(
      () =>
        createEmulator({
          credentials: [{ apiKey: API_KEY } as never],
        }),
      /credentials\[0\]\.apiSecret/,
    );
    const emulator = createEmulator({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    });
    emulator.failNext(1, { body: { error: ["EService:Unavailable"] } });
    const client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
      maxRetries: 0,
    });
    await assert.rejects(
      client.users.update(USER, { language: "en" }),
      (error: unknown) =>
        error instanceof EmbedApiError && error.status === 503,
    );
    // Nonce window 0, the default: a nonce below the last one is refused.
    const first = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
      maxRetries: 0,
      nonce: () => "9000000000000000000",
    });
    let drawn = 0;
    const second = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
      maxRetries: 0,
      // Below the first's, and counting up: refused twice, as stale.
      nonce: () => String(8_999_999_999_999_999_990n + BigInt(drawn++)),
    });
    await first.users.get(USER).catch(() => {});
    await assert.rejects(
      second.users.get(USER),
      (error: unknown) =>
        error instanceof EmbedApiError &&
        error.errors.includes("EAPI:Invalid nonce"),
    );
  });
});

test("options still read what the caller's object gives: defaults it was made from, even without a prototype, and a Proxy's get trap", async () => {
  const { fetch, requests } = fakeFetch(success());
  // Defaults in an object without a prototype, the options made from them.
  const defaults = Object.assign(Object.create(null), {
    baseUrl: "https://sandbox.example",
    fetch,
  });
  const options = Object.assign(Object.create(defaults), {
    apiKey: API_KEY,
    apiSecret: SECRET,
  });
  await new EmbedClient(options).users.update(USER, { language: "en" });
  assert.equal(requests.length, 1);
  assert.ok(requests[0].url.startsWith("https://sandbox.example/"));
  // A Proxy that computes its properties, for the client's options and a
  // call's: read through its get trap.
  const computed = <T extends object>(values: T): T =>
    new Proxy({} as T, {
      get: (_, name) => values[name as keyof T],
    });
  const client = new EmbedClient(computed({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch,
    baseUrl: "https://proxied.example",
  }));
  await client.users.update(USER, { language: "en" });
  assert.equal(requests.length, 2);
  assert.ok(requests[1].url.startsWith("https://proxied.example/"));
  const stopped = new AbortController();
  stopped.abort();
  await assert.rejects(
    client.users.update(
      USER,
      { language: "en" },
      computed({ signal: stopped.signal }),
    ),
    EmbedAbortError,
  );
  assert.equal(requests.length, 2, "nothing sent once aborted");
});

test("the emulator's seeded users take no service field from Object.prototype", async () => {
  await polluted({
    external_id: "polluted-id",
    created_at: "1970-01-01T00:00:00Z",
  }, () => {
    const emulator = createEmulator({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
      users: [{ user: USER }],
    });
    const user = emulator.users.get(USER);
    assert.ok(user);
    assert.ok(!Object.hasOwn(user, "external_id"));
    assert.notEqual(user.created_at, "1970-01-01T00:00:00Z");
  });
});
