import { test as nodeTest } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { inspect } from "node:util";
import * as v from "valibot";
import {
  EmbedAbortError,
  EmbedApiError,
  EmbedClient,
  type EmbedClientOptions,
  EmbedConfigError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  type RequestOptions,
  UpdateUserResponseSchema,
  type UserPatch,
} from "@kraken-embed/client";
import {
  API_KEY,
  expectedSign,
  failure,
  fakeClient,
  fakeFetch,
  type Recorded,
  type Reply,
  SECRET,
  success,
  USER,
} from "./_fake_fetch.ts";
import { throwingGetter, throwingProxy } from "./_throwing.ts";
import {
  countedSignal,
  reached,
  realSetTimeout,
  settlesAtOnce,
  withHeldTimers,
  within,
  withTimers,
} from "./_timers.ts";

// Every test here ends in milliseconds to a few seconds. A change that makes
// retries endless then fails the test that meets it within 20 s, rather than
// leaving it running until the step's own timeout.
const test = (name: string, body: () => Promise<void> | void) =>
  nodeTest(name, { timeout: 20_000 }, body);

const PATCH: UserPatch = {
  full_name: { first_name: "Zoë", last_name: "Łukasiewicz" },
  phone: "+447700900123",
  residence: {
    line1: "1 Rue de l'Église",
    city: "Paris",
    postal_code: "75001",
    country: "FR",
  },
  nationalities: ["FR", "PL"],
};

const client = fakeClient;

// A POST of an empty quote request: a request not retried as idempotent.
const postQuote = (embed: EmbedClient) =>
  embed.request({ method: "POST", path: "/b2b/quotes", body: {} });

test("users.update() sends one signed PATCH with the exact body it signed", async () => {
  const { embed, requests } = client([success()]);
  const answer = await embed.users.update(USER, PATCH);
  assert.deepEqual(answer, { result: "success" });
  assert.equal(requests.length, 1);
  const [sent] = requests;
  assert.equal(sent.method, "PATCH");
  assert.equal(
    sent.url,
    "https://nexus.kraken.com/b2b/users/AA95%20N84G%20TEST%20XXXX",
  );
  assert.deepEqual(JSON.parse(sent.body), PATCH);
  assert.equal(sent.headers["content-type"], "application/json");
  assert.equal(sent.headers["api-key"], API_KEY);
  assert.equal(sent.headers["payward-version"], "2025-04-15");
  assert.match(sent.headers["api-nonce"], /^[1-9][0-9]{15,19}$/);
  assert.equal(sent.headers["api-sign"], expectedSign(sent));
});

test("every request asks for JSON with Accept: application/json, a GET's and a bodiless DELETE's too", async () => {
  const { embed, requests } = client([Response.json({ result: "success" })]);
  await embed.users.update(USER, PATCH);
  await embed.request({ method: "GET", path: "/b2b/assets" });
  await embed.request({ method: "DELETE", path: "/b2b/assets/x" });
  assert.equal(requests.length, 3);
  for (const sent of requests) {
    assert.equal(sent.headers["accept"], "application/json", sent.method);
  }
});

test("users.update() accepts a null result, as the reference allows", async () => {
  const { embed } = client([Response.json({ result: null })]);
  assert.deepEqual(await embed.users.update(USER, { phone: null }), {
    result: null,
  });
});

test("users.update() returns the answer's other fields, as the schema would", async () => {
  const body = { result: "success", note: "kept", nested: { n: 1 } };
  const { embed } = client([Response.json(body)]);
  const answer = await embed.users.update(USER, { language: "fr" });
  assert.deepEqual(answer, v.parse(UpdateUserResponseSchema, body));
  assert.deepEqual(answer, body);
});

test("users.update() refuses an answer whose result is not success or null, naming result", async () => {
  for (const result of ["done", "SUCCESS", 1, true, {}, undefined]) {
    const { embed } = client([Response.json({ result, other: 1 })]);
    const error = await embed.users.update(USER, { language: "fr" }).then(
      () => assert.fail(`result ${JSON.stringify(result)} was accepted`),
      (error) => error,
    );
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.match(
      error.message,
      result === undefined
        ? /without a result/
        : /unexpected body \(at result: Expected "success" or null\)/,
    );
  }
});

test("concurrent calls each sign their own bytes, bodies over and under the reused buffer alike", async () => {
  const { embed, requests } = client([success()]);
  // The signer encodes into one reused 8 KB buffer when the body fits and
  // into a buffer of its own when it may not; these interleave.
  const bodies = Array.from({ length: 60 }, (_, i) => ({
    i,
    text: "é€😀x".repeat((i * 97) % 1500),
  }));
  await Promise.all([
    ...bodies.map((body) =>
      embed.request({ method: "PUT", path: "/b2b/notes", body })
    ),
    ...bodies.map((_, i) =>
      embed.users.update(USER, { language: i % 2 ? "fr" : "de" })
    ),
  ]);
  assert.equal(requests.length, 120);
  assert.ok(requests.some((sent) => sent.body.length * 3 > 8192));
  assert.ok(requests.some((sent) => sent.body.length * 3 < 8192));
  for (const sent of requests) {
    assert.equal(sent.headers["api-sign"], expectedSign(sent), sent.body);
  }
});

test("users.update() honours baseUrl with a path prefix and signs the full path", async () => {
  const { embed, requests } = client([success()], {
    baseUrl: "http://127.0.0.1:8787/embed/",
    apiVersion: "2026-01-01",
  });
  await embed.users.update(USER, { language: "fr" });
  assert.equal(
    requests[0].url,
    "http://127.0.0.1:8787/embed/b2b/users/AA95%20N84G%20TEST%20XXXX",
  );
  assert.equal(requests[0].headers["api-sign"], expectedSign(requests[0]));
  assert.equal(requests[0].headers["payward-version"], "2026-01-01");
});

test("baseUrl's trailing slashes, however many, are dropped: one slash joins it to the path, the one signed", async () => {
  for (
    const [baseUrl, url] of [
      [
        "http://127.0.0.1:8787/embed//",
        "http://127.0.0.1:8787/embed/b2b/users/AA95%20N84G%20TEST%20XXXX",
      ],
      [
        "https://nexus.kraken.com//",
        "https://nexus.kraken.com/b2b/users/AA95%20N84G%20TEST%20XXXX",
      ],
    ]
  ) {
    const { embed, requests } = client([success()], { baseUrl });
    await embed.users.update(USER, { language: "fr" });
    assert.equal(requests[0].url, url, baseUrl);
    assert.equal(requests[0].headers["api-sign"], expectedSign(requests[0]));
  }
});

test("baseUrl with an empty segment before its trailing slashes is refused: Bun's fetch merges a leading //, a proxy any", () => {
  for (
    const baseUrl of [
      "https://nexus.kraken.com//proxy",
      "https://nexus.kraken.com/a//b",
      "https://nexus.kraken.com/a//b//",
    ]
  ) {
    assert.throws(
      () => new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl }),
      (error) =>
        error instanceof EmbedConfigError && error.field === "baseUrl" &&
        /a path without empty segments \(\/\/\)/.test(error.message),
      baseUrl,
    );
  }
});

test("baseUrl is refused as plain http to another machine, which would send a user's data and the credentials unencrypted, unless allowInsecureHttp is true", async () => {
  // A mistyped environment variable (http://nexus.kraken.com) is the case
  // this guards: the request, body included, would be on the wire in clear
  // before any redirect to https could be refused.
  for (
    const baseUrl of [
      "http://nexus.kraken.com",
      "HTTP://NEXUS.KRAKEN.COM/",
      "http://embed.test:8787/embed",
      "http://127.0.0.1.nip.io",
      "http://localhost.evil.test",
      "http://evillocalhost",
      "http://x.localhost",
      "http://localhost.",
      "http://[::ffff:127.0.0.1]",
      "http://0.0.0.0:8787",
      "http://[::2]",
      "http://10.0.0.1",
    ]
  ) {
    assert.throws(
      () => new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl }),
      (error: unknown) =>
        error instanceof EmbedConfigError && error.field === "baseUrl" &&
        error.message ===
          `baseUrl: Expected https (plain http only to localhost, 127.0.0.0/8 or [::1], unless allowInsecureHttp: true), not http to ${
            new URL(baseUrl).hostname
          }`,
      baseUrl,
    );
  }
  assert.throws(
    () =>
      new EmbedClient({
        apiKey: API_KEY,
        apiSecret: SECRET,
        baseUrl: "ftp://nexus.kraken.com",
        allowInsecureHttp: true,
      }),
    {
      message: "baseUrl: Expected an https URL, not ftp:",
    },
  );
  // This machine, where an emulator runs, in the forms a URL may take.
  for (
    const [baseUrl, origin] of [
      ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
      ["http://127.1:8787", "http://127.0.0.1:8787"],
      ["http://127.255.0.9", "http://127.255.0.9"],
      ["http://LocalHost:9", "http://localhost:9"],
      ["http://[::1]:8787/", "http://[::1]:8787"],
      ["http://[0:0:0:0:0:0:0:1]", "http://[::1]"],
    ]
  ) {
    const { embed, requests } = client([success()], { baseUrl });
    await embed.users.update(USER, { language: "fr" });
    assert.equal(
      requests[0].url,
      `${origin}/b2b/users/AA95%20N84G%20TEST%20XXXX`,
      baseUrl,
    );
  }
  // Any host, when the caller says so; nothing else changes.
  const allowed = client([success()], {
    baseUrl: "http://emulator:8787",
    allowInsecureHttp: true,
  });
  await allowed.embed.users.update(USER, { language: "fr" });
  assert.equal(
    allowed.requests[0].url,
    "http://emulator:8787/b2b/users/AA95%20N84G%20TEST%20XXXX",
  );
  assert.equal(
    allowed.requests[0].headers["api-sign"],
    expectedSign(allowed.requests[0]),
  );
  // false and undefined are the default.
  for (const allowInsecureHttp of [false, undefined]) {
    assert.throws(
      () =>
        new EmbedClient({
          apiKey: API_KEY,
          apiSecret: SECRET,
          baseUrl: "http://emulator:8787",
          allowInsecureHttp,
        }),
      /^EmbedConfigError: baseUrl: Expected https \(plain http only to /,
    );
  }
});

test("users.update() refuses a bad patch or IIBAN before anything is sent", async () => {
  const { embed, requests } = client([success()]);
  const error = await embed.users.update(USER, {
    phone_number: "+1555",
    residence: { line1: "x", city: "y", postal_code: "z", country: "XX" },
  } as never).catch((e) => e);
  assert.ok(error instanceof EmbedValidationError);
  assert.equal(error.code, "ERR_EMBED_VALIDATION");
  assert.equal(error.target, "patch");
  assert.deepEqual(
    error.issues.map((issue: { path: string }) => issue.path).sort(),
    [
      "phone_number",
      "residence.country",
    ],
  );
  await assert.rejects(
    embed.users.update("short", { phone: null }),
    (e: EmbedValidationError) =>
      e instanceof EmbedValidationError && e.target === "user",
  );
  await assert.rejects(embed.users.update(USER, {}), EmbedValidationError);
  await assert.rejects(
    embed.users.update(USER, { phone: null }, { signal: "nope" } as never),
    EmbedValidationError,
  );
  assert.equal(requests.length, 0);
});

test("users.update() names every unknown field in one error, at every depth", async () => {
  const { embed, requests } = client([success()]);
  const error = await embed.users.update(USER, {
    phone_number: "+447700900123",
    emial: "ada@example.com",
    occupation: "finance",
    residence: {
      line1: "1 High Street",
      city: "London",
      postcode: "N1 9GU",
      postal_code: "N1 9GU",
      country: "GB",
      county: "Greater London",
    },
  } as never).catch((e) => e);
  assert.ok(error instanceof EmbedValidationError);
  assert.deepEqual(error.issues.map((issue) => issue.path), [
    "residence.postcode",
    "residence.county",
    "phone_number",
    "emial",
  ]);
  assert.equal(requests.length, 0);
});

test("an EmbedValidationError's message names the first ten issues and counts the rest; issues holds all", async () => {
  const { embed, requests } = client([success()]);
  const patch = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [`field_${i}`, i]),
  );
  const error = await embed.users.update(USER, patch as never).catch((e) => e);
  assert.ok(error instanceof EmbedValidationError);
  assert.equal(error.issues.length, 20);
  assert.equal(
    error.message,
    `Invalid patch: ${
      Array.from(
        { length: 10 },
        (_, i) => `field_${i}: Unknown field: not part of the Update User body`,
      ).join("; ")
    }; and 10 more`,
  );
  // Ten or fewer: all named, nothing counted.
  const ten = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`field_${i}`, i]),
  );
  const named = await embed.users.update(USER, ten as never).catch((e) => e);
  assert.equal(named.issues.length, 10);
  assert.doesNotMatch(named.message, /more/);
  assert.equal(named.message.split("; ").length, 10);
  assert.equal(requests.length, 0);
});

test("users.update() names 20 unknown fields of an object and counts the rest in the 20th issue, at any depth, however many there are", async () => {
  const { embed, requests } = client([success()]);
  const many = (prefix: string, count: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]),
    );
  const patch = {
    ...many("top_", 10_000),
    full_name: { first_name: "Ada", last_name: "L", ...many("name_", 21) },
    tax_ids: Array.from(
      { length: 262 },
      () => ({ id: "1", issuing_country: "GB", ...many("x", 100) }),
    ),
  };
  const error = await embed.users.update(USER, patch as never).catch((e) => e);
  assert.ok(error instanceof EmbedValidationError);
  const at = (path: RegExp) =>
    error.issues.filter((issue: { path: string }) => path.test(issue.path));
  const top = at(/^top_/);
  assert.deepEqual(
    top.map((issue: { path: string }) => issue.path),
    Array.from({ length: 20 }, (_, i) => `top_${i}`),
  );
  const unknown = "Unknown field: not part of the Update User body";
  assert.equal(top[0].message, unknown);
  assert.equal(
    top[19].message,
    `${unknown}; unknown fields here not named: 9980 more`,
  );
  const name = at(/^full_name\.name_/);
  assert.equal(name.length, 20);
  assert.equal(
    name[19].message,
    `${unknown}; unknown fields here not named: 1 more`,
  );
  // Each of the 262 tax IDs: 20 named, the rest counted.
  for (let i = 0; i < 262; i += 87) {
    const item = at(new RegExp(`^tax_ids\\.${i}\\.`));
    assert.equal(item.length, 20, `tax_ids.${i}`);
    assert.match(item[19].message, /; unknown fields here not named: 80 more$/);
  }
  assert.equal(error.issues.length, 20 + 20 + 262 * 20);
  assert.equal(requests.length, 0);
});

test("call options and the client's backoff that are not a plain object are refused before sending, the signal itself included", async () => {
  const { embed, requests } = client([success(), success()]);
  const controller = new AbortController();
  const signal = controller.signal;
  // None has an own key to refuse: read as no options, the call could not
  // be stopped, and a Map's backoff would be the default one.
  for (
    const options of [signal, [], new Map([["signal", signal]]), new Date()]
  ) {
    for (
      const call of [
        () => embed.users.update(USER, { language: "de" }, options as never),
        () => embed.users.get(USER, options as never),
      ]
    ) {
      const error = await call().catch((e) => e);
      assert.ok(error instanceof EmbedValidationError);
      assert.equal(error.target, "options");
      assert.match(error.message, /a signal goes inside it/);
      assert.equal(error.mayHaveTakenEffect, false);
    }
  }
  assert.equal(requests.length, 0);
  // A plain object without a prototype is one.
  const bare = Object.assign(Object.create(null), { signal });
  await embed.users.update(USER, { language: "de" }, bare);
  assert.equal(requests.length, 1);
  for (const backoff of [new Map([["baseMs", 1]]), [], signal]) {
    assert.throws(
      () =>
        new EmbedClient({
          apiKey: API_KEY,
          apiSecret: SECRET,
          backoff: backoff as never,
        }),
      (error) => error instanceof EmbedConfigError && error.field === "backoff",
    );
  }
});

test("a getter or a Proxy trap of the caller's that throws while options are read is refused naming them, flagged as not sent, and never quoted", async () => {
  const { embed, requests } = client([success()]);
  const secretWord = "hunter2-in-a-getter";
  const thrown = () => new Error(secretWord);
  const throwing = <T extends object>(base: T, key: string): T =>
    throwingGetter(base, key, thrown);
  const trap = throwingProxy({}, "ownKeys", thrown);
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["options", () => embed.users.update(USER, PATCH, throwing({}, "signal"))],
    ["options", () => embed.users.get(USER, trap)],
    ["request", () =>
      embed.request(
        throwing({ method: "GET", path: "/b2b/assets" }, "method") as never,
      )],
    ["request", () =>
      embed.request({
        method: "GET",
        path: "/b2b/assets",
        query: throwing({}, "page"),
      })],
    ["request", () => embed.request(trap as never)],
  ];
  for (const [target, call] of calls) {
    const error = await call().catch((e) => e);
    assert.ok(error instanceof EmbedValidationError, `${target}: ${error}`);
    assert.equal(error.target, target);
    assert.match(error.message, /reading it threw/);
    assert.doesNotMatch(inspect(error), new RegExp(secretWord));
    assert.equal(error.mayHaveTakenEffect, false);
  }
  for (
    const options of [
      throwing({ apiKey: API_KEY }, "apiSecret"),
      throwingProxy({ apiKey: API_KEY, apiSecret: SECRET }, "ownKeys", thrown),
    ]
  ) {
    assert.throws(
      () => new EmbedClient(options as never),
      (error) =>
        error instanceof EmbedConfigError && error.field === "options" &&
        /reading it threw/.test(error.message) &&
        !inspect(error).includes(secretWord),
    );
  }
  assert.equal(requests.length, 0);
});

test("users.update() sends only the patch's own fields: none set on Object.prototype, none from a class", async () => {
  const { embed, requests } = client([success()]);
  const proto = Object.prototype as Record<string, unknown>;
  // What a prototype-polluting dependency could do: a known field, at the
  // top and in a nested object.
  proto.occupation = "unemployed";
  proto.province = "Nowhere";
  const patch = {
    phone: "+447700900123",
    residence: {
      line1: "1 High Street",
      city: "London",
      postal_code: "N1 9GU",
      country: "GB",
    },
  } as const;
  try {
    await embed.users.update(USER, patch);
    // An invalid patch goes through valibot's own loop: the same there.
    const error = await embed.users.update(USER, { phone: "0" }).catch((
      e,
    ) => e);
    assert.ok(error instanceof EmbedValidationError);
    assert.deepEqual(error.issues.map((issue) => issue.path), ["phone"]);
  } finally {
    delete proto.occupation;
    delete proto.province;
  }
  assert.equal(requests.length, 1);
  // Exactly the patch's own fields, none of the prototype's.
  assert.deepEqual(JSON.parse(requests[0].body), patch);
  // A class instance's getters are not fields it owns: refused, unsent.
  class Patch {
    get phone() {
      return "+447700900123";
    }
  }
  const refused = await embed.users.update(USER, new Patch() as UserPatch)
    .catch((e) => e);
  assert.ok(refused instanceof EmbedValidationError);
  assert.deepEqual(refused.issues, [{
    path: "",
    message: "Expected a plain object",
  }]);
  assert.equal(requests.length, 1);
});

test("a patch or a request() body whose fields sit on a prototype without one of its own is refused, not sent with those fields dropped", async () => {
  const { embed, requests } = client([success()]);
  // As a "defaults" object made with Object.create(null) and extended:
  // the fields are inherited, and only own fields are read.
  const defaults = Object.assign(Object.create(null), {
    phone: "+447700900123",
  });
  const patch = Object.assign(Object.create(defaults), { language: "en" });
  const refused = await embed.users.update(USER, patch).catch((e) => e);
  assert.ok(refused instanceof EmbedValidationError);
  assert.deepEqual(refused.issues, [{
    path: "",
    message: "Expected a plain object",
  }]);
  const body = Object.assign(Object.create(defaults), { amount: "1" });
  await assert.rejects(
    embed.request({ method: "POST", path: "/b2b/quotes", body }),
    EmbedValidationError,
  );
  // A query likewise: its inherited parameters would not be sent.
  const query = Object.assign(Object.create(defaults), { limit: 10 });
  await assert.rejects(
    embed.request({ method: "GET", path: "/b2b/quotes", query }),
    { name: "EmbedValidationError", target: "query" },
  );
  assert.equal(requests.length, 0);
});

test("a toJSON put on Object.prototype or Array.prototype by other code is refused before anything is signed, not sent in place of the checked body", async () => {
  const { embed, requests } = client([success(), success()]);
  for (const proto of [Object.prototype, Array.prototype]) {
    // As a polluting dependency would: JSON.stringify calls an inherited
    // toJSON, so the body sent would be what it returns.
    Object.defineProperty(proto, "toJSON", {
      value: () => ({ occupation: "unemployed" }),
      configurable: true,
      writable: true,
    });
    try {
      const results = [
        await embed.users.update(USER, PATCH).catch((e) => e),
        await embed.request({
          method: "POST",
          path: "/b2b/quotes",
          body: { amount: "1", ids: ["a"] },
        }).catch((e) => e),
      ];
      for (const error of results) {
        assert.ok(error instanceof EmbedConfigError, String(error));
        assert.equal(error.field, "toJSON");
        assert.match(error.message, /Object\.prototype or Array\.prototype/);
      }
    } finally {
      delete (proto as { toJSON?: unknown }).toJSON;
    }
  }
  assert.equal(requests.length, 0);
  // Once it is gone, the same calls go out with the checked bodies.
  await embed.users.update(USER, PATCH);
  await embed.request({
    method: "POST",
    path: "/b2b/quotes",
    body: { amount: "1", ids: ["a"] },
  });
  assert.deepEqual(JSON.parse(requests[0].body), PATCH);
  assert.deepEqual(JSON.parse(requests[1].body), { amount: "1", ids: ["a"] });
});

test("every attempt is signed afresh with a new, increasing nonce", async () => {
  const { embed, requests } = client([
    failure(500, []),
    failure(503, ["EService:Unavailable"]),
    success(),
  ]);
  await embed.users.update(USER, PATCH);
  assert.equal(requests.length, 3);
  const nonces = requests.map((r) => BigInt(r.headers["api-nonce"]));
  assert.ok(nonces[0] < nonces[1] && nonces[1] < nonces[2]);
  for (const sent of requests) {
    assert.equal(sent.headers["api-sign"], expectedSign(sent));
    assert.equal(sent.body, requests[0].body);
  }
});

for (const status of [408, 429, 500, 502, 503, 504]) {
  test(`a ${status} answer is retried up to maxRetries`, async () => {
    const { embed, requests } = client([new Response("", { status })], {
      maxRetries: 2,
    });
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedApiError);
    assert.equal(error.status, status);
    assert.equal(error.attempts, 3);
    assert.equal(requests.length, 3);
  });
}

for (const status of [400, 401, 403, 404, 409, 422]) {
  test(`a ${status} answer is never retried`, async () => {
    const { embed, requests } = client([
      failure(status, ["ENexus:Invalid user ID"]),
    ]);
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedApiError);
    assert.equal(error.status, status);
    assert.deepEqual(error.errors, ["ENexus:Invalid user ID"]);
    assert.equal(requests.length, 1);
  });
}

test("maxRetries: 0 sends once", async () => {
  const { embed, requests } = client([failure(503, [])], { maxRetries: 0 });
  await assert.rejects(embed.users.update(USER, PATCH), EmbedApiError);
  assert.equal(requests.length, 1);
});

test("Retry-After in seconds is honoured", async () => {
  // The wait is read from the timer the client sets, held until the test
  // fires it: judged on the clock, the retry's own signing on a busy machine
  // made it late (604 ms after a 1 s timer set with the first request, in a
  // loop beside three CPU hogs). The attempts' 30 s timeouts are held too,
  // and never fired.
  const { embed, requests } = client([
    failure(429, ["EAPI:Rate limit exceeded"], { "retry-after": "1" }),
    success(),
  ], { backoff: { baseMs: 0, capMs: 0 } });
  await withHeldTimers(1000, async (fire, delays) => {
    const call = embed.users.update(USER, PATCH);
    await reached(() => delays.includes(1000), "a 1 s wait");
    assert.equal(requests.length, 1, "retried before the wait ended");
    assert.deepEqual(delays.filter((ms) => ms < 30_000), [1000]);
    assert.equal(fire(), 1);
    assert.deepEqual(await call, { result: "success" });
    assert.equal(requests.length, 2);
  });
});

// A body cut off after its first bytes, as a reset connection leaves it.
const cutOff = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"error":'));
      controller.error(new TypeError("connection reset"));
    },
  });

// A client whose first answer has `status`, a Retry-After and a body that
// is lost, and whose second is a success; no backoff, and attempts' timeouts
// of 500 ms, below the second from which the tests hold timers.
const lostBodyThenSuccess = (
  status: number,
  retryAfter: string,
  body: () => ReadableStream<Uint8Array>,
) =>
  client([
    () =>
      new Response(body(), { status, headers: { "retry-after": retryAfter } }),
    success(),
  ], { backoff: { baseMs: 0, capMs: 0 }, timeoutMs: 500 });

test("Retry-After is honoured when the body of the answer that gave it is cut off or runs past the timeout", async () => {
  // The status and headers came: the service asked for the wait, whatever
  // became of the body. Waits are read from the timers the client sets, held
  // until the test fires them; a timeout of 500 ms is left to run.
  const bodies: Array<[string, () => ReadableStream<Uint8Array>]> = [
    ["cut off", cutOff],
    ["past the timeout", () => new ReadableStream({ start() {} })],
  ];
  for (const [name, body] of bodies) {
    const { embed, requests } = lostBodyThenSuccess(429, "1", body);
    await withHeldTimers(1000, async (fire, delays) => {
      const call = embed.users.update(USER, PATCH);
      await reached(() => delays.length > 0 || requests.length > 1, name);
      assert.deepEqual(delays, [1000], name);
      assert.equal(requests.length, 1, `${name}: retried before the wait`);
      assert.equal(fire(), 1);
      assert.deepEqual(await call, { result: "success" }, name);
      assert.equal(requests.length, 2, name);
    });
  }
});

test("a Retry-After on a 2xx answer whose body is lost means nothing, and the backoff applies; a success reads no header", async () => {
  const { embed, requests } = lostBodyThenSuccess(200, "30", cutOff);
  // Timers of a second or more are held (the attempts' timeouts are 500 ms,
  // and run): a wait of Retry-After's 30 s would never end.
  await withHeldTimers(1000, async (_fire, delays) => {
    assert.deepEqual(await embed.users.update(USER, PATCH), {
      result: "success",
    });
    assert.deepEqual(delays, []);
  });
  assert.equal(requests.length, 2);
  let reads = 0;
  const counted = client([() => {
    const response = success();
    const get = response.headers.get.bind(response.headers);
    response.headers.get = (name: string) => (reads++, get(name));
    return response;
  }]);
  await counted.embed.users.update(USER, PATCH);
  assert.equal(reads, 0);
});

test("Retry-After as an HTTP date is honoured", async () => {
  // A date two to three seconds ahead, in whole seconds as HTTP dates are.
  // The wait is read from the timer the client sets (held until the test
  // fires it): judged on the clock, a busy machine stretched it to 3.4 s.
  // It must run from when the answer came to the date, within the
  // milliseconds between the call and the timer.
  const at = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000 + 1000);
  const { embed, requests } = client([
    new Response("busy", {
      status: 503,
      headers: { "retry-after": at.toUTCString() },
    }),
    success(),
  ], { backoff: { baseMs: 0, capMs: 0 } });
  await withHeldTimers(500, async (fire, delays) => {
    const before = Date.now();
    const call = embed.users.update(USER, PATCH);
    const wait = () => delays.filter((ms) => ms < 30_000);
    await reached(() => wait().length === 1, "a wait for the date");
    const after = Date.now();
    const [waited] = wait();
    assert.ok(
      waited <= at.getTime() - before && waited >= at.getTime() - after - 1,
      `waited ${waited} ms for ${at.getTime() - before} ms ahead`,
    );
    assert.ok(waited >= 900 && waited < 3100, `waited ${waited} ms`);
    assert.equal(requests.length, 1, "retried before the wait ended");
    assert.equal(fire(), 1);
    assert.deepEqual(await call, { result: "success" });
    assert.equal(requests.length, 2);
  });
});

test("a Retry-After that is neither seconds nor an HTTP date is ignored, and the backoff applies", async () => {
  // The backoff's draw pinned near its top: 0.99 s. An HTTP date in the past
  // (any of its three forms) means at once; anything else is no Retry-After.
  // The wait is read from the timer the client sets, held until the test
  // fires it, not from the gap between the requests, which a busy machine
  // stretches by the retry's signing (an "at once" had to come within 900 ms).
  const realRandom = Math.random;
  Math.random = () => 0.99;
  try {
    const cases: Array<[string, "backoff" | "at once"]> = [
      ["-1", "backoff"],
      ["1.5", "backoff"],
      ["Tuesday 5", "backoff"],
      ["soon 2", "backoff"],
      ["Sun, 06 Nov 1994 08:49:37 GMT", "at once"],
      ["Sunday, 06-Nov-94 08:49:37 GMT", "at once"],
      ["Sun Nov  6 08:49:37 1994", "at once"],
    ];
    for (const [value, expected] of cases) {
      const { embed, requests } = client([
        failure(503, [], { "retry-after": value }),
        success(),
      ], { backoff: { baseMs: 1000, capMs: 1000 } });
      // Every timer is held: the waits and the attempts' 30 s timeouts.
      await withHeldTimers(0, async (fire, delays) => {
        const waits = () => delays.filter((ms) => ms < 30_000);
        const call = embed.users.update(USER, PATCH);
        // A retry sent without a timer waited nothing.
        await reached(
          () => waits().length === 1 || requests.length === 2,
          `${value}: a wait or a retry`,
        );
        const [waited = 0] = waits();
        assert.ok(
          expected === "backoff" ? waited >= 950 : waited < 900,
          `Retry-After: ${value}: waited ${waited} ms, expected ${expected}`,
        );
        if (waits().length === 1) {
          assert.equal(requests.length, 1, `${value}: retried before the wait`);
          assert.equal(fire(), 1);
        }
        assert.deepEqual(await call, { result: "success" });
        assert.equal(requests.length, 2);
      });
    }
  } finally {
    Math.random = realRandom;
  }
});

test("backoff waits stay within full jitter of base * 2^n, capped", async () => {
  // The jitter's random draw is pinned near its top, so each wait is known:
  // 0.99 of its ceiling. A wait without the cap (0.99 * 200 * 2^2 = 792 ms
  // on the third) is far outside. The waits are read from the timers the
  // client sets, each held until the test fires it: timed instead, each gap
  // counted the retry's own signing, which a busy machine stretched (fresh-
  // clone CI runs saw 136 ms and, once, 1,000 ms of it).
  const realRandom = Math.random;
  Math.random = () => 0.99;
  const waits = [198, 297, 297];
  try {
    const { embed, requests } = client([failure(500, [])], {
      maxRetries: 3,
      backoff: { baseMs: 200, capMs: 300 },
      timeoutMs: 60_000,
    });
    // Every timer is held: the waits, and the attempts' timeouts (60,000 ms
    // and their slack), which are never fired.
    await withHeldTimers(0, async (fire, delays) => {
      const asked = () => delays.filter((ms) => ms < 60_000);
      const call = embed.users.update(USER, PATCH);
      for (let i = 0; i < waits.length; i++) {
        await reached(() => asked().length === i + 1, `wait ${i}`);
        assert.equal(requests.length, i + 1, `retried before wait ${i}`);
        assert.equal(fire(), 1);
      }
      await assert.rejects(call, EmbedApiError);
      assert.deepEqual(asked(), waits);
    });
    assert.equal(requests.length, 4);
  } finally {
    Math.random = realRandom;
  }
});

test("a per-attempt timeout is retried, then reported as EmbedTimeoutError", async () => {
  // The timeout covers signing too, which WebCrypto's thread can stretch to
  // hundreds of milliseconds on a busy machine (a 50 ms timeout once ran out
  // before the second attempt was sent). So the attempts' timers are held,
  // and each fires once its attempt has reached fetch; the delay each was set
  // with says how long it would have waited.
  const { embed, requests } = client(["hang"], {
    timeoutMs: 200,
    maxRetries: 1,
  });
  await withHeldTimers(200, async (fire, delays) => {
    let settled = false;
    const call = embed.users.update(USER, PATCH).catch((e) => e).finally(
      () => (settled = true),
    );
    for (const sent of [1, 2]) {
      await reached(() => requests.length === sent, `attempt ${sent} sent`);
      assert.equal(settled, false, `ended before attempt ${sent} timed out`);
      assert.equal(fire(), 1, `attempt ${sent}'s timer`);
    }
    const error = await call;
    assert.ok(error instanceof EmbedTimeoutError, String(error));
    assert.equal(error.attempts, 2);
    assert.equal(requests.length, 2);
    // Each attempt waits its whole 200 ms (the shared timer may add its
    // slack), and no more than a timeout's worth: far below the 30 s
    // default.
    assert.equal(delays.length, 2);
    for (const delay of delays) {
      assert.ok(delay >= 200 && delay < 1000, `a timer of ${delay} ms`);
    }
  });
});

test("concurrent attempts that share timers each time out, and none before its timeout", async () => {
  // Attempts started together share a timer (src/client/deadlines.ts); each
  // must still get its whole timeout and have its own fetch aborted. The
  // timeout covers signing too, which for 50 calls at once on a busy machine
  // can outlast any fixed timeout (with 100 ms, a fresh-clone CI run saw 7 of
  // 50 get there while the load test ran beside it). So the timers are held
  // until all 50 are in fetch, and fired then; that no timer is shorter than
  // the timeout, and that none has ended a call before, is what "none before
  // its timeout" comes to (deadlines_test.ts times the shared timers on the
  // real clock).
  const signals: AbortSignal[] = [];
  const embed = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    timeoutMs: 1000,
    maxRetries: 0,
    fetch: (_url, init) => {
      signals.push(init.signal as AbortSignal);
      return new Promise<Response>(() => {});
    },
  });
  await withHeldTimers(1000, async (fire, delays) => {
    let ended = 0;
    const calls = Array.from(
      { length: 50 },
      () =>
        embed.users.update(USER, PATCH).then(
          () => "answered",
          (error) => error instanceof EmbedTimeoutError ? "timed out" : error,
        ).finally(() => ended++),
    );
    await reached(() => signals.length === 50, "all 50 in fetch");
    assert.equal(ended, 0, "a call ended before its timeout");
    assert.ok(
      signals.every((signal) => !signal.aborted),
      "a fetch aborted before its timeout",
    );
    assert.ok(fire() >= 1);
    const outcomes = await Promise.all(calls);
    assert.equal(signals.length, 50);
    assert.ok(signals.every((signal) => signal.aborted), "every fetch aborted");
    for (const outcome of outcomes) assert.equal(outcome, "timed out");
    // Every timer covers a whole timeout, and no more than a little over.
    assert.ok(delays.length >= 1 && delays.length <= 50, String(delays));
    for (const delay of delays) {
      assert.ok(delay >= 1000 && delay < 1100, `a timer of ${delay} ms`);
    }
  });
});

test("a body that stalls past the timeout ends the call at the timeout, with the status heard", async () => {
  // The timeout covers signing too (a fixed 50 ms once ran out before the
  // fetch): its timer is held, and fired once the client is reading the
  // body, which has stalled after its first byte.
  let stalling = false;
  const stalled = () =>
    new Response(
      new ReadableStream({
        start: (c) => c.enqueue(new TextEncoder().encode("{")),
        // Asked for more once the first byte has been read.
        pull: () => {
          stalling = true;
          return new Promise<void>(() => {});
        },
      }),
    );
  const { embed, requests } = client([stalled], {
    timeoutMs: 500,
    maxRetries: 0,
  });
  await withHeldTimers(500, async (fire, delays) => {
    const call = embed.users.update(USER, PATCH).catch((e) => e);
    await reached(() => stalling, "the body read up to its stall");
    assert.equal(fire(), 1);
    const error = await call;
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(error.status, 200);
    assert.match(error.message, /its body ran past the timeout of 500 ms/);
    assert.equal(requests.length, 1);
    assert.ok(delays.length === 1 && delays[0] >= 500, String(delays));
  });
});

test("a connection error is retried, then reported as EmbedNetworkError", async () => {
  const { embed, requests } = client([new TypeError("fetch failed")]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedNetworkError);
  assert.equal(error.attempts, 3);
  assert.ok(error.cause instanceof TypeError);
  assert.equal(requests.length, 3);
});

test("a network error's message ends with the deepest message and code under the runtime's own words (fetch failed), each once", async () => {
  const fails = (cause: unknown) => new TypeError("fetch failed", { cause });
  const coded = (message: string, code: unknown, cause?: unknown) =>
    Object.assign(new Error(message, { cause }), { code });
  const deno =
    "error sending request for url (https://nexus.kraken.com/b2b/users/X): " +
    "client error (Connect): tcp connect error: Connection refused (os error 111)";
  const cases: [unknown, string][] = [
    // Node: getaddrinfo's error under fetch failed, its code in its message.
    [
      fails(coded("getaddrinfo ENOTFOUND nexus.kraken.com", "ENOTFOUND")),
      "fetch failed: getaddrinfo ENOTFOUND nexus.kraken.com",
    ],
    // Deno: a message and no code.
    [fails(new Error(deno)), `fetch failed: ${deno}`],
    // Node 20's happy eyeballs: an AggregateError with no message.
    [
      fails(Object.assign(new AggregateError([], ""), {
        code: "ECONNREFUSED",
      })),
      "fetch failed (ECONNREFUSED)",
    ],
    // The deepest message and the deepest code, from different levels.
    [
      fails(
        coded("other side closed", "UND_ERR_SOCKET", coded("", "ECONNRESET")),
      ),
      "fetch failed: other side closed (ECONNRESET)",
    ],
    // The top error's own code, when there is no cause.
    [coded("socket hang up", "ECONNRESET"), "socket hang up (ECONNRESET)"],
    // Said already: not twice.
    [
      coded("connect ECONNREFUSED 127.0.0.1:443", "ECONNREFUSED"),
      "connect ECONNREFUSED 127.0.0.1:443",
    ],
    [
      new Error("reset: ECONNRESET", { cause: new Error("ECONNRESET") }),
      "reset: ECONNRESET",
    ],
    // No message of its own: the cause's alone.
    [
      new Error("", { cause: coded("reset", "ECONNRESET") }),
      "reset (ECONNRESET)",
    ],
    // A code not shaped like one: left out.
    [fails(coded("x", -111)), "fetch failed: x"],
    [fails(coded("x", "not a code, a sentence")), "fetch failed: x"],
    [fails(coded("x", "E".repeat(65))), "fetch failed: x"],
    // Five levels down: deeper than the four looked at.
    [
      fails(
        coded(
          "first",
          undefined,
          coded(
            "second",
            undefined,
            coded("third", undefined, coded("fourth", "TOO_DEEP")),
          ),
        ),
      ),
      "fetch failed: third",
    ],
    [
      fails(coded("", undefined, coded("", undefined, coded("", "DEEP")))),
      "fetch failed (DEEP)",
    ],
    // A code that is the API key: the cause is a copy, its code redacted,
    // no longer shaped like a code; a message quoting it, redacted.
    [fails(coded("x", API_KEY)), "fetch failed: x"],
    [
      fails(new Error(`refused ${API_KEY}`)),
      "fetch failed: refused [redacted]",
    ],
    // On one line, cut at 500 characters.
    [fails(new Error("a\nb")), "fetch failed: a\\u000ab"],
    [
      fails(new Error("y".repeat(600))),
      `fetch failed: ${"y".repeat(500 - "fetch failed: ".length)}...`,
    ],
  ];
  for (const [thrown, detail] of cases) {
    const { embed } = client([thrown as Error], { maxRetries: 0 });
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedNetworkError, String(error));
    assert.equal(
      error.message,
      `Network error after 1 attempt: ${detail}`,
      String(thrown),
    );
  }
  // A code getter that gives the API key, or throws, only when the
  // constructor reads it, after the look through the error (its reads
  // counted first): redacted; the message as far as it got.
  let reads = 0;
  let looks = Infinity;
  const changing = (then: () => string) =>
    new TypeError("fetch failed", {
      cause: Object.defineProperty(new Error("inner"), "code", {
        get: () => reads++ < looks ? "ENOTFOUND" : then(),
      }),
    });
  const key = () => API_KEY;
  new EmbedNetworkError(1, changing(key), [API_KEY]);
  looks = reads - 1;
  for (
    const [then, detail] of [
      [key, "fetch failed: inner ([redacted])"],
      [() => {
        throw new Error("no code");
      }, "fetch failed"],
    ] as const
  ) {
    reads = 0;
    assert.equal(
      new EmbedNetworkError(1, changing(then), [API_KEY]).message,
      `Network error after 1 attempt: ${detail}`,
    );
  }
  // A message that cannot be read: the copy's words.
  const unreadable = new TypeError("fetch failed", {
    cause: Object.defineProperty(new Error("inner"), "message", {
      get() {
        throw new Error("no message");
      },
    }),
  });
  assert.equal(
    new EmbedNetworkError(1, unreadable).message,
    "Network error after 1 attempt: fetch failed: The fetch's error could not be read",
  );
});

test("a base URL given as a URL object, and a nonce source returning a number, are refused with messages saying what type to give", async () => {
  for (const baseUrl of [new URL("https://nexus.kraken.com"), 42]) {
    assert.throws(
      () =>
        new EmbedClient({
          apiKey: API_KEY,
          apiSecret: SECRET,
          baseUrl: baseUrl as unknown as string,
        }),
      (error) =>
        error instanceof EmbedConfigError && error.field === "baseUrl" &&
        error.message ===
          "baseUrl: Expected an absolute http(s) URL, as a string",
    );
  }
  // A string that is no URL is told it is no URL, not that it is no string.
  assert.throws(
    () => new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: "x" }),
    { message: "baseUrl: Expected an absolute http(s) URL" },
  );
  // A microsecond clock as a number: an integer, but a number cannot carry
  // every unsigned 64-bit value, so it is refused; the message says why.
  const { embed, requests } = client([success()], {
    nonce: () => Date.now() * 1000 as unknown as string,
  });
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedConfigError);
  assert.equal(
    error.message,
    "nonce: The nonce source returned something other than an unsigned 64-bit integer as a bigint or a decimal string",
  );
  assert.equal(requests.length, 0);
});

test("a fetch that resolves to something other than a Response, or to one whose text() is no string, is a configuration error, not retried", async () => {
  const shapes: unknown[] = [
    undefined,
    { status: 500 },
    { status: 500, text: () => Promise.resolve("oops") },
    { status: 200, headers: new Headers(), text: "not a function" },
    { headers: new Headers(), text: () => Promise.resolve("{}") },
    // Look-alikes whose text() gives something other than a string.
    ...[undefined, new TextEncoder().encode("{}"), 42].map((value) => ({
      status: 200,
      headers: new Headers(),
      text: () => Promise.resolve(value),
    })),
    // A status that is no HTTP status: NaN and 200.5 would read as a
    // success, "200" is not a number.
    ...[NaN, 200.5, "200", 0, 99, 600, Infinity].map((status) => ({
      status,
      headers: new Headers(),
      text: () => Promise.resolve('{"result":"success"}'),
    })),
    // A look-alike whose status, headers or text cannot be read.
    ...["status", "headers", "text"].map((name) =>
      Object.defineProperty(
        {
          status: 200,
          headers: new Headers(),
          text: () => Promise.resolve('{"result":"success"}'),
        },
        name,
        {
          get() {
            throw new Error(`${name} cannot be read`);
          },
        },
      )
    ),
    // A Response's subclass is checked as a look-alike is: 0 is a status
    // only of a Response itself (Response.error(), an opaque redirect).
    ...[NaN, 200.5, 0, 99, 600].map((status) =>
      new (class extends Response {
        override get status() {
          return status;
        }
      })('{"result":"success"}')
    ),
    ...[undefined, 42].map((value) =>
      new (class extends Response {
        override text() {
          return Promise.resolve(value as never);
        }
      })('{"result":"success"}')
    ),
  ];
  for (const shape of shapes) {
    const { embed, requests } = client([() => shape as Response]);
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedConfigError, `${inspect(shape)}: ${error}`);
    assert.equal(error.field, "fetch");
    // A PATCH handed to fetch, whatever came back.
    assert.equal(error.mayHaveTakenEffect, true);
    assert.equal(requests.length, 1);
  }
});

test("an answer whose text() keeps a byte order mark (a Worker of a compatibility date before 2026) is read as its JSON", async () => {
  // Other runtimes' text() takes the mark out; workerd's kept it, and the
  // update that succeeded read as an answer that is not JSON, which may have
  // taken effect.
  const { embed } = client([() =>
    ({
      status: 200,
      headers: new Headers({ "content-type": "application/json" }),
      text: () => Promise.resolve('\uFEFF{"result":"success"}'),
    }) as unknown as Response]);
  assert.deepEqual(await embed.users.update(USER, PATCH), {
    result: "success",
  });
});

test("a header that get() gives as undefined, a number or an object, or throws on, is read as absent: a success stays one, an error answer is Kraken's, and nothing quotes the signature", async () => {
  const getters: Array<[string, (sign: string) => unknown]> = [
    ["undefined", () => undefined],
    ["a number", () => 42],
    ["an object", () => ({})],
    ["a throw", (sign) => {
      throw new Error(`cannot read headers of API-Sign: ${sign}`);
    }],
  ];
  // The third: a Response whose headers' get() a test double (a spy, a
  // stub) or a fetch wrapper has replaced.
  const kinds = [
    "a look-alike",
    "a Response's subclass",
    "a Response with get() replaced",
  ] as const;
  for (const [getter, get] of getters) {
    for (const kind of kinds) {
      const name = `${kind}, ${getter}`;
      let sign = "";
      const lookAlike =
        (status: number, body: string) => (request: Recorded) => {
          sign = request.headers["api-sign"];
          const headers = { get: () => get(sign) };
          if (kind === "a Response with get() replaced") {
            const response = new Response(body, { status });
            Object.assign(response.headers, headers);
            return response;
          }
          if (kind === "a Response's subclass") {
            return new (class extends Response {
              override get headers() {
                return headers as unknown as Headers;
              }
            })(body, { status });
          }
          return {
            status,
            headers,
            text: () => Promise.resolve(body),
          } as unknown as Response;
        };
      // A PUT that executed a quote: its answer must reach the caller, not a
      // configuration error after the fact.
      const executed = client([lookAlike(200, '{"result":{"id":"Q1"}}')]);
      assert.deepEqual(
        await executed.embed.request({ method: "PUT", path: "/b2b/quotes/Q1" }),
        { id: "Q1" },
        name,
      );
      // A 503 without a readable Retry-After is retried after the backoff,
      // then reported with Kraken's error and no trace id.
      const refused = client([
        lookAlike(503, '{"error":["EService:Unavailable"]}'),
      ]);
      const error = await refused.embed.users.update(USER, PATCH).catch((e) =>
        e
      );
      assert.ok(error instanceof EmbedApiError, `${name}: ${error}`);
      assert.deepEqual(error.errors, ["EService:Unavailable"], name);
      assert.equal(error.traceId, undefined, name);
      assert.equal(refused.requests.length, 3, name);
      assert.ok(sign.length > 0 && !inspect(error).includes(sign), name);
    }
  }
});

test("a Response is read as it is, whatever its status: Response.error()'s 0 (a browser's opaque redirect has it too) is an answer, not a fetch that resolved to something else", async () => {
  const { embed } = client([() => Response.error()], { maxRetries: 0 });
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 0);
});

test("without a global Response (Node run without its fetch, sending with undici's), an answer is read as a look-alike", async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "Response")!;
  const answer = {
    status: 200,
    headers: { get: () => null },
    text: () => Promise.resolve('{"result":"success"}'),
  };
  const { embed, requests } = client([() => answer as unknown as Response]);
  delete (globalThis as { Response?: unknown }).Response;
  try {
    assert.deepEqual(await embed.users.update(USER, PATCH), {
      result: "success",
    });
  } finally {
    Object.defineProperty(globalThis, "Response", saved);
  }
  assert.equal(requests.length, 1);
});

test("fetch gets a plain init with a body only when there is one; an answer with status, headers.get() and text() is read as a Response", async () => {
  const inits: Record<string, unknown>[] = [];
  const lookAlike = (body: string, headers: Record<string, string> = {}) => ({
    status: 200,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    text: () => Promise.resolve(body),
  });
  const embed = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    maxRetries: 0,
    fetch: (_url, init) => {
      inits.push({ ...init });
      return Promise.resolve(
        init.method === "GET"
          ? lookAlike('{"error":[],"result":{"n":1}}')
          : lookAlike('{"result":"success"}'),
      );
    },
  });
  assert.deepEqual(await embed.users.update(USER, PATCH), {
    result: "success",
  });
  assert.deepEqual(await embed.request({ method: "GET", path: "/b2b/x" }), {
    n: 1,
  });
  assert.deepEqual(inits.map((init) => Object.keys(init).sort()), [
    ["body", "headers", "method", "redirect", "signal"],
    ["headers", "method", "redirect", "signal"],
  ]);
  assert.deepEqual(JSON.parse(inits[0].body as string), PATCH);
  const [patchHeaders, getHeaders] = inits.map((init) =>
    init.headers as Record<string, string>
  );
  assert.equal(patchHeaders["Content-Type"], "application/json");
  assert.equal(getHeaders["Content-Type"], undefined);
  // An error's trace id is read through the look-alike's headers.get().
  const failing = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    maxRetries: 0,
    fetch: () =>
      Promise.resolve({
        ...lookAlike('{"error":["EGeneral:Invalid arguments"]}', {
          "x-trace-id": "t-1",
        }),
        status: 400,
      }),
  });
  const error = await failing.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.traceId, "t-1");
});

test("the largest timeoutMs accepted waits, rather than overflowing the timer and firing at once", async () => {
  // Found by asking the constructor, so that a limit raised again past what
  // setTimeout takes (with the shared timer's slack) fails here.
  const largest = [2 ** 31 - 1, 2 ** 31 - 2, 2 ** 31 - 3].find((timeoutMs) => {
    try {
      new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET, timeoutMs });
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(largest !== undefined);
  const { embed, requests } = client([async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return success();
  }], { timeoutMs: largest, maxRetries: 0 });
  assert.deepEqual(await embed.users.update(USER, PATCH), {
    result: "success",
  });
  assert.equal(requests.length, 1);
});

test("the caller's signal ends a call during a request at once", async () => {
  // Aborted once the request is in fetch (after a fixed 30 ms, a busy
  // machine could still be signing, which is not cut short), and "at once"
  // is in the microtasks after the abort: within 50 ms of it, timed, could
  // fail only because the machine was busy.
  const { embed, requests } = client(["hang"]);
  const controller = new AbortController();
  const call = embed.users.update(USER, PATCH, {
    signal: controller.signal,
  }).catch((e) => e);
  await reached(() => requests.length === 1, "the request sent");
  controller.abort("stop");
  assert.ok(await settlesAtOnce(call), "the call went on after the abort");
  const error = await call;
  assert.ok(error instanceof EmbedAbortError, String(error));
  assert.equal(error.cause, "stop");
});

test("the caller's signal ends a call during a backoff wait at once", async () => {
  // A Retry-After of 10 s, not a random backoff, which could be shorter than
  // the time before the abort and send a second request. The abort comes
  // once the client has set the wait's timer (a fixed delay after the first
  // answer could come while it was still reading it), and "at once" is in
  // the microtasks after it, not a bound in milliseconds a busy machine can
  // exceed.
  const controller = new AbortController();
  const { embed, requests } = client([
    failure(503, [], { "retry-after": "10" }),
  ]);
  await withTimers(async (timers) => {
    const call = embed.users.update(USER, PATCH, {
      signal: controller.signal,
    });
    await reached(() => timers.delays.includes(10_000), "the 10 s wait");
    controller.abort();
    assert.ok(await settlesAtOnce(call), "the call went on after the abort");
    await assert.rejects(call, EmbedAbortError);
    assert.equal(timers.pending(), 0, "the wait's timer left running");
  });
  assert.equal(requests.length, 1);
});

test("an already aborted signal sends nothing", async () => {
  const { embed, requests } = client([success()]);
  await assert.rejects(
    embed.users.update(USER, PATCH, { signal: AbortSignal.abort() }),
    EmbedAbortError,
  );
  assert.equal(requests.length, 0);
});

test("the fetch's signal is aborted by the timeout and by the caller's signal", async () => {
  const signals: AbortSignal[] = [];
  const hang = (_url: string, init: RequestInit) => {
    signals.push(init.signal as AbortSignal);
    return new Promise<Response>(() => {});
  };
  const options = {
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: hang,
    maxRetries: 0,
  };
  // The timeout fires once the fetch has its signal, not by the clock: on a
  // busy machine, signing alone once took longer than 300 ms, and the call
  // timed out before it reached fetch.
  const timed = new EmbedClient({ ...options, timeoutMs: 300 });
  await withHeldTimers(300, async (fire) => {
    for (const signal of [undefined, new AbortController().signal]) {
      const sent = signals.length;
      const call = timed.users.update(USER, PATCH, { signal });
      const fetched = within(
        (async () => {
          while (signals.length === sent) {
            await new Promise((resolve) => realSetTimeout(resolve, 1));
          }
        })(),
        5_000,
      );
      assert.notEqual(await fetched, "hung", "no fetch");
      assert.equal(signals[sent].aborted, false, "aborted before its time");
      assert.equal(fire(), 1);
      await assert.rejects(call, EmbedTimeoutError);
      assert.ok(
        signals[sent].aborted,
        `the timed-out fetch's signal${signal ? ", with a signal" : ""}`,
      );
    }
  });
  // Aborted once the fetch is in flight: a fixed delay could end a call
  // still signing on a busy machine, before any fetch had a signal.
  const controller = new AbortController();
  const aborting = new EmbedClient({
    ...options,
    fetch: (url: string, init: RequestInit) => {
      realSetTimeout(() => controller.abort("stop"), 5);
      return hang(url, init);
    },
  });
  await assert.rejects(
    aborting.users.update(USER, PATCH, { signal: controller.signal }),
    EmbedAbortError,
  );
  assert.equal(signals.length, 3);
  assert.ok(signals[2].aborted, "the aborted call's fetch signal");
  assert.equal(signals[2].reason, "stop");
});

test("a caller's signal aborts its own call's fetch, not those of calls started with it", async () => {
  // Calls started together share a timer (src/client/deadlines.ts), but not
  // the fetch's signal: aborting one call must reach only that call's fetch,
  // and a fetch that listens to its signal must not find the listeners of
  // other calls there (Node warns past 10 on one signal).
  const seen = new Map<string, AbortSignal>();
  let answerAll!: () => void;
  const answer = new Promise<void>((resolve) => (answerAll = resolve));
  const embed = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    maxRetries: 0,
    fetch: (_url, init) => {
      const signal = init.signal as AbortSignal;
      seen.set(JSON.parse(init.body as string).employer_name, signal);
      // Answered once the test has aborted the one call, not after a delay
      // that a busy machine can outlast before all four are in flight.
      return new Promise<Response>((resolve, reject) => {
        answer.then(() => resolve(Response.json({ result: "success" })));
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    },
  });
  const stopped = new AbortController();
  const calls = ["stopped", "plain", "other plain", "own signal"].map((name) =>
    embed.users.update(USER, { employer_name: name }, {
      signal: name === "stopped"
        ? stopped.signal
        : name === "own signal"
        ? new AbortController().signal
        : undefined,
    }).then(() => "answered", (error) => error)
  );
  while (seen.size < 4) await new Promise((r) => setTimeout(r, 1));
  assert.equal(new Set(seen.values()).size, 4, "one signal per call");
  stopped.abort("stop");
  answerAll();
  const [first, ...rest] = await Promise.all(calls);
  assert.ok(first instanceof EmbedAbortError, String(first));
  assert.deepEqual(rest, ["answered", "answered", "answered"]);
  assert.equal(seen.get("stopped")?.aborted, true);
  for (const name of ["plain", "other plain", "own signal"]) {
    assert.equal(seen.get(name)?.aborted, false, name);
  }
});

test("a nonce source that never answers is cut by the timeout and by the caller's signal, unsent", async () => {
  const never = () => new Promise<string>(() => {});
  const { embed, requests } = client([success()], {
    nonce: never,
    timeoutMs: 30,
    maxRetries: 0,
  });
  await assert.rejects(embed.users.update(USER, PATCH), EmbedTimeoutError);
  // Stopped while it waits for the nonce, and at once: in the microtasks
  // after the abort, not within a bound in milliseconds.
  let drawn = false;
  const patient = client([success()], {
    nonce: () => {
      drawn = true;
      return never();
    },
  });
  const controller = new AbortController();
  const call = patient.embed.users.update(USER, PATCH, {
    signal: controller.signal,
  }).catch((e) => e);
  await reached(() => drawn, "the nonce drawn");
  controller.abort("stop");
  assert.ok(await settlesAtOnce(call), "the call went on after the abort");
  const error = await call;
  assert.ok(error instanceof EmbedAbortError);
  assert.equal(error.cause, "stop");
  assert.equal(requests.length + patient.requests.length, 0);
});

test("a POST whose nonce source stalls is sent again after the backoff, nothing having been sent, and a timeout waiting for it says so", async () => {
  // The timeout runs from before the nonce, through signing, which a busy
  // machine can stretch past any fixed timeout (a 30 ms one, then others,
  // failed here in fresh clones' CI runs). So the attempts' timers are held,
  // and the test fires each once its attempt is where it must time out:
  // waiting for the nonce source, in fetch, or signing. An attempt not fired
  // never times out.
  const SIGNED_IN = 250;
  // An EmbedTimeoutError with this message and this flag.
  const assertTimedOut = (
    error: unknown,
    message: string | RegExp,
    mayHaveTakenEffect: boolean,
  ) => {
    assert.ok(error instanceof EmbedTimeoutError, String(error));
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.mayHaveTakenEffect, mayHaveTakenEffect);
  };
  await withHeldTimers(SIGNED_IN, async (fire, delays) => {
    // node-redis queues INCR while it reconnects: the first draw stalls past
    // the timeout, the second answers.
    let draws = 0;
    const stallOnce = () => {
      draws++;
      return draws === 1 ? new Promise<string>(() => {}) : String(1000 + draws);
    };
    const { embed, requests } = client([
      Response.json({ result: { id: "q" } }),
    ], {
      nonce: stallOnce,
      timeoutMs: SIGNED_IN,
      maxRetries: 1,
    });
    const quoted = postQuote(embed);
    await reached(() => draws === 1, "the first draw");
    assert.equal(fire(), 1);
    assert.deepEqual(await quoted, { id: "q" });
    assert.deepEqual([draws, requests.length], [2, 1]);
    // Stalled every time: the timeout names what it waited for.
    let stalledDraws = 0;
    const stalled = client([success()], {
      nonce: () => {
        stalledDraws++;
        return new Promise<string>(() => {});
      },
      timeoutMs: SIGNED_IN,
      maxRetries: 1,
    });
    const stalledCall = postQuote(stalled.embed).catch((e) => e);
    for (const draw of [1, 2]) {
      await reached(() => stalledDraws === draw, `stalled draw ${draw}`);
      assert.equal(fire(), 1);
    }
    assertTimedOut(
      await stalledCall,
      `Request timed out after ${SIGNED_IN} ms (2 attempts): the last attempt sent nothing (waiting for the nonce source)`,
      false,
    );
    assert.equal(stalled.requests.length, 0);
    // A POST that timed out once handed to fetch is not sent again.
    const slow = client([() => new Promise<Response>(() => {})], {
      timeoutMs: SIGNED_IN,
      maxRetries: 1,
    });
    const slowCall = postQuote(slow.embed).catch((e) => e);
    await reached(() => slow.requests.length === 1, "the slow POST sent");
    assert.equal(fire(), 1);
    assertTimedOut(
      await slowCall,
      `Request timed out after ${SIGNED_IN} ms (1 attempt)`,
      true,
    );
    assert.equal(slow.requests.length, 1);
    // A PATCH sent, then a stall: the message speaks of the last attempt
    // only, and the flag of the call.
    let calls = 0;
    const mixed = client([() => new Promise<Response>(() => {})], {
      nonce: () => ++calls === 1 ? String(5000) : new Promise<string>(() => {}),
      timeoutMs: SIGNED_IN,
      maxRetries: 1,
    });
    const mixedCall = mixed.embed.users.update(USER, PATCH).catch((e) => e);
    await reached(() => mixed.requests.length === 1, "the PATCH sent");
    assert.equal(fire(), 1);
    await reached(() => calls === 2, "the PATCH's second draw");
    assert.equal(fire(), 1);
    assertTimedOut(
      await mixedCall,
      /: the last attempt sent nothing \(waiting for the nonce source\)$/,
      true,
    );
    assert.equal(mixed.requests.length, 1);
    // Signing that outlasts the timeout (the nonce came just before it
    // fired): nothing is handed to fetch, and the POST is sent again. The
    // first digest waits until the test has fired its attempt's timeout;
    // the second attempt signs at the real speed, its timer held.
    const realDigest = crypto.subtle.digest.bind(crypto.subtle);
    let slowDigests = 1;
    let digesting = false;
    let release = () => {};
    crypto.subtle.digest =
      (async (...args: Parameters<SubtleCrypto["digest"]>) => {
        if (slowDigests-- > 0) {
          digesting = true;
          await new Promise<void>((resolve) => (release = resolve));
        }
        return await realDigest(...args);
      }) as SubtleCrypto["digest"];
    try {
      const late = client([Response.json({ result: { id: "q2" } })], {
        timeoutMs: SIGNED_IN,
        maxRetries: 1,
      });
      const lateCall = postQuote(late.embed);
      await reached(() => digesting, "the late POST signing");
      assert.equal(fire(), 1);
      release();
      assert.deepEqual(await lateCall, { id: "q2" });
      assert.equal(late.requests.length, 1);
      const once = client([success()], {
        timeoutMs: SIGNED_IN,
        maxRetries: 0,
      });
      slowDigests = 1;
      digesting = false;
      const onceCall = postQuote(once.embed).catch((e) => e);
      await reached(() => digesting, "the POST signing once");
      assert.equal(fire(), 1);
      release();
      assertTimedOut(
        await onceCall,
        `Request timed out after ${SIGNED_IN} ms (1 attempt): the last attempt sent nothing`,
        false,
      );
      assert.equal(once.requests.length, 0);
    } finally {
      crypto.subtle.digest = realDigest;
    }
    // Every attempt's timer was set for its whole timeout.
    assert.ok(delays.every((delay) => delay >= SIGNED_IN), String(delays));
  });
});

test("an abort from inside a synchronous nonce source sends nothing", async () => {
  const controller = new AbortController();
  let nonce = 1000;
  const { embed, requests } = client([success()], {
    nonce: () => {
      controller.abort("from the nonce source");
      return String(nonce++);
    },
  });
  const error = await embed.users.update(USER, PATCH, {
    signal: controller.signal,
  }).catch((e) => e);
  assert.ok(error instanceof EmbedAbortError);
  assert.equal(error.cause, "from the nonce source");
  assert.equal(requests.length, 0);
});

test("a call stopped from inside an asynchronous nonce source that then never answers ends at once", async () => {
  // The abort lands before the source's promise is raced: the race must
  // still see it, or the call waits on a promise that never settles.
  // "At once" is by the time the test looks after the draw, not within a
  // second of the call, which counted the key's import and a busy machine.
  const controller = new AbortController();
  let drawn = false;
  const { embed, requests } = client([success()], {
    timeoutMs: 60_000,
    nonce: () => {
      drawn = true;
      controller.abort("stop");
      return new Promise<string>(() => {});
    },
  });
  const call = embed.users.update(USER, PATCH, { signal: controller.signal })
    .catch((e) => e);
  await reached(() => drawn, "the nonce drawn");
  assert.ok(await settlesAtOnce(call), "still waiting after the abort");
  const outcome = await call;
  assert.ok(outcome instanceof EmbedAbortError, String(outcome));
  assert.equal(outcome.cause, "stop");
  assert.equal(requests.length, 0);
});

test("a call stopped from inside its nonce source or its fetch leaves no rejection unhandled", async () => {
  // The promise the nonce source or the fetch returned is not awaited once
  // the call has stopped; failing unobserved, it would end the process.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    for (const where of ["nonce", "fetch"]) {
      const controller = new AbortController();
      const stopHere = (what: string) => {
        controller.abort("stop");
        return Promise.reject(new Error(`${what} failed after the abort`));
      };
      const embed = new EmbedClient({
        apiKey: API_KEY,
        apiSecret: SECRET,
        maxRetries: 0,
        nonce: where === "nonce" ? () => stopHere("nonce") : undefined,
        fetch: () =>
          where === "fetch" ? stopHere("fetch") : Promise.resolve(success()),
      });
      const error = await embed.users.update(USER, PATCH, {
        signal: controller.signal,
      }).catch((e) => e);
      assert.ok(error instanceof EmbedAbortError, where);
      assert.equal(error.cause, "stop", where);
    }
    // Unhandled rejections are reported once the microtasks have run out.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled.map(String), []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("EAPI:Invalid nonce is retried once with a fresh nonce, even with maxRetries 0", async () => {
  const { embed, requests } = client([
    failure(401, ["EAPI:Invalid nonce"]),
    success(),
  ], {
    maxRetries: 0,
  });
  assert.deepEqual(await embed.users.update(USER, PATCH), {
    result: "success",
  });
  assert.equal(requests.length, 2);
  assert.ok(
    BigInt(requests[1].headers["api-nonce"]) >
      BigInt(requests[0].headers["api-nonce"]),
  );
});

test("a retry never resends a nonce: a source of yours whose next nonce is not above the call's previous one fails the call, unsent", async () => {
  const cases: [string, string[], Response, boolean][] = [
    // The resend after Invalid nonce, from a source stuck on one value.
    [
      "a constant source",
      ["5", "5"],
      failure(401, ["EAPI:Invalid nonce"]),
      false,
    ],
    // A retry after a 502, from a source that counts down.
    [
      "a decreasing source",
      ["100", "99"],
      new Response("", { status: 502 }),
      true,
    ],
    // Fewer digits is smaller, whatever the text's order says.
    [
      "a shorter nonce",
      ["99999", "100"],
      failure(401, ["EAPI:Invalid nonce"]),
      false,
    ],
  ];
  for (const [where, nonces, first, maybe] of cases) {
    let i = 0;
    const { embed, requests } = client([first, success()], {
      nonce: () => nonces[Math.min(i++, nonces.length - 1)],
    });
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedConfigError, `${where}: ${error}`);
    assert.equal(error.field, "nonce", where);
    assert.match(
      error.message,
      /Expected a nonce above the call's last/,
      where,
    );
    assert.equal(error.mayHaveTakenEffect, maybe, where);
    assert.equal(requests.length, 1, where);
  }
  // A source that counts up is used as it is.
  let n = 10n;
  const { embed, requests } = client([
    failure(401, ["EAPI:Invalid nonce"]),
    new Response("", { status: 502 }),
    success(),
  ], { nonce: () => ++n });
  await embed.users.update(USER, PATCH);
  assert.deepEqual(requests.map((r) => r.headers["api-nonce"]), [
    "11",
    "12",
    "13",
  ]);
});

test("an Invalid nonce without its category, or to a POST, is resent once too", async () => {
  // The troubleshooting guide names the error without "EAPI:".
  const bare = client([failure(401, ["Invalid nonce"]), success()], {
    maxRetries: 0,
  });
  assert.deepEqual(await bare.embed.users.update(USER, PATCH), {
    result: "success",
  });
  assert.equal(bare.requests.length, 2);
  // Refused before anything was done: safe to resend whatever the method.
  const post = client([
    failure(401, ["EAPI:Invalid nonce"]),
    Response.json({ result: { id: "q-1" } }),
  ], { maxRetries: 0 });
  assert.deepEqual(
    await post.embed.request({ method: "POST", path: "/b2b/quotes", body: {} }),
    { id: "q-1" },
  );
  assert.equal(post.requests.length, 2);
  assert.equal(post.requests[1].method, "POST");
  // An envelope may carry "result": null with every error: still the
  // refusal alone.
  const envelope = client([
    Response.json({ error: ["EAPI:Invalid nonce"], result: null }, {
      status: 401,
    }),
    Response.json({ result: { id: "q-2" } }),
  ], { maxRetries: 0 });
  assert.deepEqual(
    await postQuote(envelope.embed),
    { id: "q-2" },
  );
  assert.equal(envelope.requests.length, 2);
  // Beside a 2xx, a null result is a success's: not resent, even for a GET.
  for (const method of ["GET", "POST"] as const) {
    const ok = client([
      Response.json({ error: ["EAPI:Invalid nonce"], result: null }),
      success(),
    ], { maxRetries: 0 });
    await ok.embed.request({
      method,
      path: "/b2b/quotes",
      ...(method === "POST" ? { body: {} } : {}),
    }).catch(() => {});
    assert.equal(ok.requests.length, 1, method);
  }
});

test("EAPI:Invalid nonce twice is reported, not retried again", async () => {
  // A success waits behind the two refusals: a client that resent more than
  // once would get it, rather than hang on repeated refusals.
  const { embed, requests } = client([
    failure(401, ["EAPI:Invalid nonce"]),
    failure(401, ["EAPI:Invalid nonce"]),
    success(),
  ], {
    maxRetries: 0,
  });
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.deepEqual(error.errors, ["EAPI:Invalid nonce"]);
  assert.equal(requests.length, 2);
});

test("retries stop at maxRetries and the nonce resend at one, even when the next answer would succeed", async () => {
  const unavailable = () => failure(503, [], { "retry-after": "0" });
  const stale = () => failure(401, ["EAPI:Invalid nonce"]);
  const cases: Array<[string, Reply[], number, number]> = [
    [
      "three 503s, maxRetries 2",
      [unavailable(), unavailable(), unavailable(), success()],
      2,
      3,
    ],
    ["a 503, maxRetries 0", [unavailable(), success()], 0, 1],
    // The resend is outside maxRetries, and happens once in the whole call.
    [
      "Invalid nonce, 503, Invalid nonce, maxRetries 1",
      [stale(), unavailable(), stale(), success()],
      1,
      3,
    ],
    [
      "503, Invalid nonce, Invalid nonce, maxRetries 1",
      [unavailable(), stale(), stale(), success()],
      1,
      3,
    ],
  ];
  for (const [label, replies, maxRetries, sent] of cases) {
    const { embed, requests } = client(replies, { maxRetries });
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, `${label}: ${error}`);
    assert.equal(requests.length, sent, label);
    assert.equal(error.attempts, sent, label);
  }
});

test("an answer that only mentions an invalid nonce, has a result or is a 5xx is not resent: a PUT runs once", async () => {
  const answers: Array<[string, Response]> = [
    [
      "a result beside it",
      Response.json({
        result: { executed: true },
        error: ["EAPI:Invalid nonce"],
      }),
    ],
    [
      "an upstream's text",
      failure(400, ["EGeneral:Internal error; upstream said invalid nonce"]),
    ],
    [
      "another error beside it",
      failure(401, ["EAPI:Invalid nonce", "EGeneral:Odd"]),
    ],
    ["a 5xx", failure(500, ["EAPI:Invalid nonce"])],
  ];
  for (const [name, answer] of answers) {
    const { embed, requests } = client([answer, Response.json({ result: 1 })], {
      maxRetries: 0,
    });
    const error = await embed.request({
      method: "PUT",
      path: "/b2b/quotes/q-1",
      body: {},
    }).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, `${name}: ${error}`);
    assert.equal(requests.length, 1, name);
  }
  // Kraken's own refusal, with blanks around it, is resent.
  const { embed, requests } = client([
    failure(401, [" EAPI:Invalid nonce "]),
    Response.json({ result: 1 }),
  ], { maxRetries: 0 });
  assert.equal(
    await embed.request({ method: "PUT", path: "/b2b/quotes/q-1", body: {} }),
    1,
  );
  assert.equal(requests.length, 2);
});

test("an error entry of any JSON kind is quoted as JSON; the message is cut at 500 characters and keeps to one line", async () => {
  const { embed } = client([
    Response.json({ error: [{ toString: 0 }, 5, null, ["a"]] }, {
      status: 400,
    }),
  ]);
  const odd = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(odd instanceof EmbedApiError, String(odd));
  assert.equal(odd.status, 400);
  assert.deepEqual(odd.errors, ['{"toString":0}', "5", "null", '["a"]']);
  // Nested deeper than Node's and Bun's JSON.stringify can go (Deno's can).
  const depth = 200_000;
  const deep = client([
    new Response(
      `{"error":["EGeneral:x",${"[".repeat(depth)}${"]".repeat(depth)}]}`,
      { status: 400 },
    ),
  ]);
  const nested = await deep.embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(nested instanceof EmbedApiError, String(nested));
  assert.equal(nested.errors[0], "EGeneral:x");
  assert.equal(nested.errors.length, 2);
  // A 503 whose entry cannot be made a string by String() is still retried.
  const retried = client([
    Response.json({ error: [{ toString: 0 }] }, { status: 503 }),
    success(),
  ]);
  assert.equal(
    (await retried.embed.users.update(USER, PATCH)).result,
    "success",
  );
  assert.equal(retried.requests.length, 2);
  const line = "EGeneral:bad\n2026-01-01 INFO approved\u2028x";
  const long = client([
    failure(400, [line, ...Array<string>(10_000).fill("y".repeat(10))]),
  ]);
  const error = await long.embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.errors.length, 100);
  assert.equal(error.errors[0], line);
  assert.ok(!/[\n\r\u2028]/.test(error.message), error.message);
  assert.ok(
    error.message.startsWith(
      "Kraken answered 400: EGeneral:bad\\u000a2026-01-01 INFO approved\\u2028x, yyyyyyyyyy, yyyyyyyyyy",
    ),
    error.message,
  );
  const more = " (the first 100 of 10001 errors)";
  assert.ok(error.message.endsWith(more), error.message);
  assert.match(
    error.message.slice(-20 - more.length, -more.length),
    /^[y, ]+\.\.\.$/,
  );
  assert.equal(
    error.message.length,
    "Kraken answered 400: ".length + 503 + more.length,
  );
});

test("Kraken's error text cannot turn a message's words around: a direction override or isolate is escaped", async () => {
  // Trojan-source style: U+202E shows "EGeneral:ok" for text that reads
  // otherwise, and an isolate (U+2066) hides where it ends.
  const entry = "EGeneral:\u202eko:\u2066x\u2069\u202c";
  const { embed } = client([failure(400, [entry])]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.errors[0], entry, "the list keeps the text as sent");
  assert.equal(
    error.message,
    "Kraken answered 400: EGeneral:\\u202eko:\\u2066x\\u2069\\u202c",
  );
  // Every control character (C0, DEL, C1 such as NEL and CSI), line and
  // paragraph separator, embedding, override and isolate.
  const every = [
    ..."\u0000\u0007\u001b\u007f\u0085\u009b\u2028\u2029",
    ..."\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
  ];
  const all = client([failure(400, [every.join("|")])]);
  const escaped = await all.embed.users.update(USER, PATCH).catch((e) => e);
  assert.equal(
    escaped.message,
    `Kraken answered 400: ${
      every.map((c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"))
        .join("|")
    }`,
  );
  // Cut at 500 characters, but never inside an escape or a surrogate pair.
  for (
    const [entry, kept] of [
      ["a".repeat(497) + "\u202etail", 497],
      ["a".repeat(499) + "\u202etail", 499],
      ["a".repeat(496) + "\u202etail", 496],
      ["a".repeat(494) + "\u202etail", 500],
      ["a".repeat(499) + "\u{1f600}tail", 499],
      ["a".repeat(498) + "\u{1f600}tail", 500],
    ] as const
  ) {
    const { embed } = client([failure(400, [entry])]);
    const cut = await embed.users.update(USER, PATCH).catch((e) => e);
    const quoted = cut.message.slice("Kraken answered 400: ".length);
    assert.equal(quoted.length, kept + 3, entry.slice(490));
    assert.ok(quoted.endsWith("..."), quoted.slice(-10));
    assert.ok(
      !/\\u[0-9a-f]{0,3}\.\.\.$/.test(quoted),
      `an escape cut in half: ${quoted.slice(-10)}`,
    );
    assert.ok(
      !/[\ud800-\udbff](?![\udc00-\udfff])/.test(quoted),
      `a lone surrogate: ${JSON.stringify(quoted.slice(-10))}`,
    );
  }
  // The marks right-to-left text may carry stay as they are.
  const marks = client([failure(400, ["EGeneral:\u200f\u05d0"])]);
  const marked = await marks.embed.users.update(USER, PATCH).catch((e) => e);
  assert.equal(marked.message, "Kraken answered 400: EGeneral:\u200f\u05d0");
});

test("an answer's keys in an unexpected-body error are shown as a patch's are: an email used as a key by its length only", async () => {
  const key = "jane.doe@example.com\n2026-01-01 INFO forged line";
  const { embed } = client([Response.json({ result: { [key]: "x" } })]);
  const error = await embed.request({
    method: "GET",
    path: "/b2b/users/x",
    schema: v.record(v.string(), v.number()),
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(
    error.message,
    `Kraken answered 200 with an unexpected body (at [${key.length}-character key]: expected number)`,
  );
  assert.doesNotMatch(error.message, /jane|doe|example|forged/);
  // A thousand failing entries: the list of where is cut too.
  const many = client([
    Response.json({ result: Array.from({ length: 1000 }, () => "x") }),
  ]);
  const cut = await many.embed.request({
    method: "GET",
    path: "/b2b/users/x",
    schema: v.array(v.number()),
  }).catch((e) => e);
  assert.match(
    cut.message,
    /^Kraken answered 200 with an unexpected body \(at 0: expected number, 1: expected number, [\w:, ]+\.\.\.\)$/,
  );
  assert.ok(cut.message.length < 300, String(cut.message.length));
});

test("a non-JSON 502 is retried and reported with the start of its body", async () => {
  const html = `<html><body>${"Bad gateway ".repeat(100)}</body></html>`;
  const { embed, requests } = client([
    new Response(html, { status: 502, headers: { "x-trace-id": "trace-123" } }),
  ]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.status, 502);
  assert.equal(error.body, html.slice(0, 500));
  assert.equal(error.traceId, "trace-123");
  assert.deepEqual(error.errors, []);
  assert.equal(requests.length, 3);
});

test("an x-trace-id header is kept to its first 500 characters", async () => {
  const id = "t".repeat(100_000);
  const { embed } = client([
    new Response("", { status: 404, headers: { "x-trace-id": id } }),
  ]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.traceId, id.slice(0, 500));
});

test("an error answer says the request may have taken effect unless it shows a refusal: a 4xx, Kraken's 503, a 2xx holding only an error", async () => {
  const cases = [
    [
      299,
      { result: "success", error: ["EGeneral:Odd"] },
      ": the answer holds a result, so the request may have taken effect",
    ],
    // A refusal may come in a success's envelope: not said to be accepted,
    // though it may have acted.
    [
      200,
      { error: ["EAPI:Invalid key"], result: {} },
      ": the answer holds a result, so the request may have taken effect",
    ],
    [
      300,
      { result: "success", error: ["EGeneral:Odd"] },
      ": the answer holds a result, so the request may have taken effect",
    ],
    // A redirect refuses nothing: a 303 says "done, see there".
    [300, { error: ["EGeneral:Odd"] }, ": the request may have taken effect"],
    [303, {}, ": the request may have taken effect"],
    [299, { error: ["EGeneral:Odd"] }, ""],
    [
      429,
      { result: { id: "T1" } },
      ": the answer holds a result, so the request may have taken effect",
    ],
    [429, {}, ""],
    // An envelope may carry "result": null with every error.
    [429, { error: ["EAPI:Rate limit exceeded"], result: null }, ""],
    // A 5xx other than 503: the service failed, perhaps after acting.
    [
      500,
      { error: ["EGeneral:Internal error"] },
      ": the service failed, and the request may have taken effect",
    ],
    [502, {}, ": the service failed, and the request may have taken effect"],
    [503, { error: ["EService:Unavailable"] }, ""],
    // A 503 without Kraken's error list may be a proxy's, after it passed
    // the request on.
    [503, {}, ": the service failed, and the request may have taken effect"],
    [
      503,
      { error: [] },
      ": the service failed, and the request may have taken effect",
    ],
    // Nor is an error that is not Kraken's list of "<Category>:<message>"
    // strings: a gateway's, which may have passed the request on.
    [
      503,
      { error: "upstream request timeout" },
      ": the service failed, and the request may have taken effect",
    ],
    [
      503,
      { error: { code: 503, message: "upstream timeout" } },
      ": the service failed, and the request may have taken effect",
    ],
    [
      503,
      { error: ["upstream connect error"] },
      ": the service failed, and the request may have taken effect",
    ],
    [
      503,
      { error: [["EService:Unavailable"]] },
      ": the service failed, and the request may have taken effect",
    ],
  ] as const;
  for (const [status, body, ending] of cases) {
    const { embed } = client([Response.json(body, { status })], {
      maxRetries: 0,
    });
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(status));
    const where = `${status} ${JSON.stringify(body)}: ${error.message}`;
    if (ending === "") {
      assert.ok(!error.message.includes("may have taken effect"), where);
    } else {
      assert.ok(error.message.endsWith(ending), where);
    }
    // The body, which tells what was done, is kept where the answer holds a
    // result or is a 2xx, and where it holds no error list to quote; but
    // not a 2xx's JSON, which may echo the user's record.
    assert.equal(
      error.body !== undefined,
      (status < 200 || status > 299) &&
        ("result" in body && body.result !== null || !("error" in body) ||
          Array.isArray(body.error) && body.error.length === 0),
      where,
    );
  }
});

test("a schema of the caller's that throws on a PUT's 2xx answer is an EmbedApiError saying the request may have taken effect, its error the cause (redacted); on a GET's, saying nothing of effect", async () => {
  const thrown = new SyntaxError("Unexpected token in the caller's transform");
  const schema = v.pipe(
    v.object({ id: v.string() }),
    v.transform((): { id: string } => {
      throw thrown;
    }),
  );
  const { embed, requests } = client([Response.json({ result: { id: "T1" } })]);
  const error = await embed.request({
    method: "PUT",
    path: "/b2b/quotes/Q1",
    schema,
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 200);
  assert.equal(
    error.message,
    "Kraken answered 200 with an unexpected body (the schema threw): the request was accepted and may have taken effect",
  );
  assert.equal(error.cause, thrown);
  assert.equal(requests.length, 1);
  // A GET only reads: the same error, without a word of effect.
  const read = client([Response.json({ result: { id: "T1" } })]);
  const got = await read.embed.request({
    method: "GET",
    path: "/b2b/quotes/Q1",
    schema,
  }).catch((e) => e);
  assert.ok(got instanceof EmbedApiError, String(got));
  assert.equal(
    got.message,
    "Kraken answered 200 with an unexpected body (the schema threw)",
  );
  assert.equal(got.cause, thrown);
  // A schema's error that quotes the signature (an answer may echo it) is
  // kept as a fetch's error is: copied, the signature left out.
  let sign = "";
  const echoing = client([(request) => {
    sign = request.headers["api-sign"];
    return Response.json({ result: { echo: sign } });
  }]);
  const quoting = v.pipe(
    v.object({ echo: v.string() }),
    v.transform((o): never => {
      throw new Error(`unexpected answer ${JSON.stringify(o)}`);
    }),
  );
  const redacted = await echoing.embed.request({
    method: "PUT",
    path: "/b2b/quotes/Q1",
    schema: quoting,
  }).catch((e) => e);
  assert.ok(redacted instanceof EmbedApiError, String(redacted));
  assert.ok(sign.length > 0 && !inspect(redacted).includes(sign));
  assert.match((redacted.cause as Error).message, /\[redacted\]/);
});

test("a GET's 5xx does not say it may have taken effect: a GET only reads", async () => {
  const { embed } = client([failure(500, ["EGeneral:Internal error"])], {
    maxRetries: 0,
  });
  const error = await embed.request({ method: "GET", path: "/b2b/x" }).catch((
    e,
  ) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.message, "Kraken answered 500: EGeneral:Internal error");
});

test("a POST whose 429 or 503 holds a result is not resent: the refusal may have come after it acted", async () => {
  for (const status of [429, 503]) {
    const { embed, requests } = client([
      Response.json({
        error: ["EAPI:Rate limit exceeded"],
        result: { id: "T1" },
      }, {
        status,
        headers: { "retry-after": "0" },
      }),
      Response.json({ result: { id: "T2" } }),
    ]);
    const error = await postQuote(embed)
      .catch((e) => e);
    assert.ok(error instanceof EmbedApiError, `${status}: ${error}`);
    assert.equal(requests.length, 1, String(status));
    assert.match(
      error.message,
      /holds a result, so the request may have taken effect$/,
    );
    // Without a result beside the refusal, or with a null one, it is
    // resent as before; and a PATCH, which may be sent twice, is retried
    // whatever the answer holds.
    for (
      const [method, body] of [
        ["POST", { error: ["EAPI:Rate limit exceeded"] }],
        ["POST", { error: ["EAPI:Rate limit exceeded"], result: null }],
        ["PATCH", {
          error: ["EAPI:Rate limit exceeded"],
          result: { id: "T1" },
        }],
      ] as const
    ) {
      const plain = client([
        Response.json(body, { status, headers: { "retry-after": "0" } }),
        Response.json({ result: { id: "T2" } }),
      ]);
      assert.deepEqual(
        await plain.embed.request({ method, path: "/b2b/quotes", body: {} }),
        { id: "T2" },
        `${status} ${method} ${JSON.stringify(body)}`,
      );
      assert.equal(plain.requests.length, 2);
    }
  }
});

// An answer whose status and headers arrive and whose body is then cut off
// or never comes.
const lost = (
  status: number,
  how: "cut" | "stall",
  // Told when the client starts reading a body that stalls.
  onStall = () => {},
) =>
() =>
  ({
    status,
    headers: { get: () => null },
    text: () => {
      if (how === "cut") return Promise.reject(new Error("reset"));
      onStall();
      return new Promise<string>(() => {});
    },
  }) as unknown as Response;

test("a POST whose answer's body is cut off after a 500, or a 503 that can no longer be told to be Kraken's, says the request may have taken effect; after a 4xx, nothing of effect", async () => {
  for (
    const [status, ending] of [[500, true], [503, true], [429, false]] as const
  ) {
    const { embed } = client([lost(status, "cut")]);
    const error = await postQuote(embed).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(
      error.message,
      `Kraken answered ${status}, and its body was cut off${
        ending
          ? ": the service failed, and the request may have taken effect"
          : ""
      }`,
    );
  }
});

test("a POST whose answer's body is cut off keeps the runtime's error as its cause, credentials left out; a GET not retried says nothing of effect", async () => {
  let sign = "";
  const cut = (status: number) => (request: Recorded) => {
    sign = request.headers["api-sign"];
    return {
      status,
      headers: { get: () => null },
      text: () => Promise.reject(new Error(`boom after API-Sign ${sign}`)),
    } as unknown as Response;
  };
  const { embed } = client([cut(200)]);
  const error = await postQuote(embed)
    .catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 200);
  assert.match(
    error.message,
    /^Kraken answered 200, and its body was cut off: the request was accepted and may have taken effect$/,
  );
  assert.equal(
    (error.cause as Error).message,
    "boom after API-Sign [redacted]",
  );
  assert.ok(sign.length > 0 && !inspect(error).includes(sign));
  // A GET is only read: told not to retry, it does not say it acted.
  const get = client([cut(200)]);
  const read = await get.embed.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    idempotent: false,
  }).catch((e) => e);
  assert.ok(read instanceof EmbedApiError, String(read));
  assert.equal(read.message, "Kraken answered 200, and its body was cut off");
});

test("a PATCH or a GET whose status is one not retried (a refusal, a redirect, a 501) and whose body was lost is not retried, and its error keeps the status", async () => {
  // The cases run at once. Their timeouts run from before signing, which a
  // busy machine can stretch past any fixed timeout: the timers are held,
  // and fired once every stalled body is being read and every cut one has
  // ended its call, so that a timeout can only end a stalled body's read.
  let stalls = 0;
  let cutsEnded = 0;
  await withHeldTimers(250, async (fire, delays) => {
    const cases = [];
    for (const status of [401, 404, 409, 302, 501]) {
      for (const how of ["cut", "stall"] as const) {
        for (const method of ["PATCH", "GET"] as const) {
          cases.push(notRetried(status, how, method));
        }
      }
    }
    await reached(
      () => stalls === 10 && cutsEnded === 10,
      `${stalls} of 10 bodies stalled, ${cutsEnded} of 10 cut calls ended`,
    );
    assert.equal(fire(), 10);
    await Promise.all(cases);
    assert.ok(delays.every((delay) => delay >= 250), String(delays));
  });
  async function notRetried(
    status: number,
    how: "cut" | "stall",
    method: "PATCH" | "GET",
  ) {
    const { embed, requests } = client(
      [lost(status, how, () => stalls++), success()],
      { timeoutMs: 250, maxRetries: 2 },
    );
    const error =
      await (method === "PATCH"
        ? embed.users.update(USER, PATCH)
        : embed.request({ method, path: "/b2b/users/x" })).catch((e) => e);
    if (how === "cut") cutsEnded++;
    const where = `${method} ${status} ${how}`;
    assert.ok(error instanceof EmbedApiError, `${where}: ${error}`);
    assert.equal(error.status, status, where);
    assert.equal(requests.length, 1, where);
    assert.equal(error.attempts, 1, where);
    assert.equal(
      error.mayHaveTakenEffect,
      method === "PATCH" && (status === 302 || status === 501),
      where,
    );
    assert.match(
      error.message,
      how === "cut"
        ? new RegExp(`^Kraken answered ${status}, and its body was cut off`)
        : new RegExp(
          `^Kraken answered ${status}, and its body ran past the timeout of 250 ms`,
        ),
      where,
    );
  }
  // A status that is retried with its body whole is retried with it lost:
  // the call still succeeds.
  for (const status of [200, 408, 429, 503]) {
    const { embed, requests } = client([lost(status, "cut"), success()]);
    assert.deepEqual(await embed.users.update(USER, PATCH), {
      result: "success",
    }, String(status));
    assert.equal(requests.length, 2);
  }
});

test("a retried status whose body is lost on the last attempt ends the call with that status, not a timeout or a network error", async () => {
  // At once, as in the test above, and with the timers held for the same
  // reason: fired once every stalled body is being read, every cut one has
  // ended its call, and the call whose retry hangs has sent it.
  let stalls = 0;
  let cutsEnded = 0;
  await withHeldTimers(250, async (fire, delays) => {
    const cases = [];
    for (const status of [503, 429, 200]) {
      for (const how of ["cut", "stall"] as const) {
        for (const method of ["PATCH", "GET"] as const) {
          cases.push(lastLost(status, how, method));
        }
      }
    }
    // With no answer heard, the last attempt's timeout is still the error.
    const hung = client([
      lost(503, "cut"),
      () => new Promise<Response>(() => {}),
    ], { timeoutMs: 250, maxRetries: 1 });
    cases.push((async () => {
      const timeout = await hung.embed.users.update(USER, PATCH).catch((e) =>
        e
      );
      assert.ok(timeout instanceof EmbedTimeoutError, String(timeout));
      assert.equal(timeout.attempts, 2);
    })());
    await reached(
      () => stalls === 6 && cutsEnded === 6 && hung.requests.length === 2,
      `${stalls} of 6 bodies stalled, ${cutsEnded} of 6 cut calls ended, ${hung.requests.length} of 2 hanging requests sent`,
    );
    assert.equal(fire(), 7);
    await Promise.all(cases);
    assert.ok(delays.every((delay) => delay >= 250), String(delays));
  });
  async function lastLost(
    status: number,
    how: "cut" | "stall",
    method: "PATCH" | "GET",
  ) {
    const { embed, requests } = client(
      [lost(500, "cut"), lost(status, how, () => stalls++)],
      { timeoutMs: 250, maxRetries: 1 },
    );
    const error =
      await (method === "PATCH"
        ? embed.users.update(USER, PATCH)
        : embed.request({ method, path: "/b2b/users/x" })).catch((e) => e);
    if (how === "cut") cutsEnded++;
    const where = `${method} ${status} ${how}`;
    assert.equal(requests.length, 2, where);
    assert.ok(error instanceof EmbedApiError, `${where}: ${error}`);
    assert.equal(error.status, status, where);
    assert.equal(error.attempts, 2, where);
    // A 500 was heard first: the PATCH may have acted, whatever the last.
    assert.equal(error.mayHaveTakenEffect, method === "PATCH", where);
    assert.match(
      error.message,
      new RegExp(
        `^Kraken answered ${status}, and its body ${
          how === "cut" ? "was cut off" : "ran past the timeout of 250 ms"
        }`,
      ),
      where,
    );
  }
});

test("an answer with more than 100 errors keeps the first 100, each its first 1,000 characters, and the message says how many there were", async () => {
  const many = Array.from({ length: 100_001 }, (_, i) => `EGeneral:Error ${i}`);
  const { embed } = client([Response.json({ error: many }, { status: 400 })]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  // (The length first: a failing deepEqual of 100,001 entries would spend
  // minutes on its diff.)
  assert.equal(error.errors.length, 100);
  assert.deepEqual(error.errors, many.slice(0, 100));
  assert.match(error.message, /^Kraken answered 400: EGeneral:Error 0, /);
  assert.match(error.message, / \(the first 100 of 100001 errors\)$/);
  assert.ok(error.message.length < 600, String(error.message.length));
  // A hundred are kept whole, and said nothing more of.
  const { embed: hundred } = client([
    Response.json({ error: many.slice(0, 100) }, { status: 400 }),
  ]);
  const all = await hundred.users.update(USER, PATCH).catch((e) => e);
  assert.equal(all.errors.length, 100);
  assert.doesNotMatch(all.message, /the first/);
  // The Invalid-nonce resend reads the whole list, not the hundred kept:
  // a POST is not sent again for an answer that is not only that.
  const { embed: nonces, requests } = client([
    failure(401, [
      ...Array<string>(100).fill("EAPI:Invalid nonce"),
      "EGeneral:Permission denied",
    ]),
    Response.json({ result: { id: "q" } }),
  ]);
  const refusedOnce = await postQuote(nonces).catch((e) => e);
  assert.ok(refusedOnce instanceof EmbedApiError, String(refusedOnce));
  assert.equal(requests.length, 1);
  // Each entry is kept to its first 1,000 characters (the message quotes
  // 500), never half a surrogate pair, the credentials left out first.
  const { embed: long } = client([
    Response.json({
      error: [
        "E".repeat(10_000),
        { e: "x".repeat(1_100) },
        "a".repeat(999) + "\u{1f600}",
        "b".repeat(998) + "\u{1f600}",
        "c".repeat(990) + API_KEY,
      ],
    }, { status: 400 }),
  ]);
  const cut = await long.users.update(USER, PATCH).catch((e) => e);
  assert.deepEqual(cut.errors, [
    "E".repeat(1_000) + "...",
    `{"e":"${"x".repeat(994)}...`,
    "a".repeat(999) + "...",
    "b".repeat(998) + "\u{1f600}",
    "c".repeat(990) + "[redacted]",
  ]);
});

test("an error array with status 200 is an error, not retried", async () => {
  const { embed, requests } = client([
    Response.json(
      { error: ["EGeneral:Invalid arguments"], result: "success" },
      {
        headers: { "x-trace-id": "t-1" },
      },
    ),
  ]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.status, 200);
  assert.deepEqual(error.errors, ["EGeneral:Invalid arguments"]);
  assert.equal(error.traceId, "t-1");
  assert.equal(requests.length, 1);
});

test("an empty error array, null or empty string beside a result is a success", async () => {
  for (const error of [[], null, ""]) {
    const { embed } = client([Response.json({ error, result: "success" })]);
    assert.equal((await embed.users.update(USER, PATCH)).result, "success");
  }
});

test("an error that is a string or an object beside a result is an error, quoted as text", async () => {
  const cases: Array<[unknown, string]> = [
    ["EGeneral:Internal error", "EGeneral:Internal error"],
    [{ message: "EService:Unavailable" }, '{"message":"EService:Unavailable"}'],
  ];
  for (const [error, quoted] of cases) {
    const { embed, requests } = client([
      Response.json({ result: "success", error }),
    ]);
    // request()'s: users.update's 2xx leaves out an entry that is not text.
    const thrown = await embed.request({
      method: "PATCH",
      path: "/b2b/quotes/q1",
      body: {},
    }).catch((e) => e);
    assert.ok(thrown instanceof EmbedApiError, String(thrown));
    assert.equal(thrown.status, 200);
    assert.deepEqual(thrown.errors, [quoted]);
    assert.equal(requests.length, 1);
  }
  // A lone string error is read as Kraken's list would be: an invalid nonce
  // is retried once, with a fresh one.
  const { embed, requests } = client([
    Response.json({ error: "EAPI:Invalid nonce" }, { status: 401 }),
    success(),
  ], { maxRetries: 0 });
  assert.equal((await embed.users.update(USER, PATCH)).result, "success");
  assert.equal(requests.length, 2);
});

test("a 2xx answer of an unexpected shape says it may have taken effect and keeps the start of its body, credentials left out", async () => {
  const v = await import("valibot");
  const reply: Reply = (_, init) => {
    const headers = init.headers as Record<string, string>;
    return Response.json({
      result: { status: "executed", amount: 12, echo: headers["API-Sign"] },
    });
  };
  const { embed, requests } = client([reply]);
  const error = await embed.request({
    method: "PUT",
    path: "/b2b/quotes/q-1",
    body: {},
    schema: v.object({ status: v.string(), amount: v.string() }),
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 200);
  assert.match(
    error.message,
    /at amount: expected string\): the request was accepted and may have taken effect$/,
  );
  const sign = requests[0].headers["api-sign"];
  assert.equal(
    error.body,
    JSON.stringify({
      result: { status: "executed", amount: 12, echo: "[redacted]" },
    }),
  );
  assert.ok(!String(error.body).includes(sign));
  // And a JSON error answer without an error list keeps its body too.
  const other = client([
    Response.json({ message: "Forbidden" }, { status: 403 }),
  ]);
  const refused = await other.embed.users.update(USER, PATCH).catch((e) => e);
  assert.equal(refused.body, '{"message":"Forbidden"}');
  assert.doesNotMatch(refused.message, /may have taken effect/);
});

test("a 2xx answer with both a result and an error, to a request that acts, says it may have taken effect and keeps its body", async () => {
  const executed = {
    result: { status: "executed", id: "q-1" },
    error: "EGeneral:Internal error",
  };
  const { embed } = client([Response.json(executed)]);
  const error = await embed.request({
    method: "PUT",
    path: "/b2b/quotes/q-1",
    body: {},
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.deepEqual(error.errors, ["EGeneral:Internal error"]);
  assert.match(error.message, /may have taken effect$/);
  assert.equal(error.body, JSON.stringify(executed));
  // Kraken's usual refusal, an error list without a result, says neither.
  const refused = client([
    Response.json({ error: ["EGeneral:Invalid arguments"] }),
  ]);
  const plain = await refused.embed.users.update(USER, PATCH).catch((e) => e);
  assert.doesNotMatch(plain.message, /may have taken effect/);
  assert.equal(plain.body, undefined);
});

test("an error about a GET's 2xx answer keeps none of its JSON, which may hold personal data, and does not say it took effect", async () => {
  const record = {
    result: { user: 42, email: "ada@example.com", phone: "+447700900123" },
  };
  for (const answer of [record, { user: "x", email: "ada@example.com" }]) {
    const { embed } = client([Response.json(answer)]);
    const error = await embed.users.get(USER).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(error.body, undefined, JSON.stringify(answer));
    assert.doesNotMatch(error.message, /may have taken effect|ada@/);
  }
  // A page that is not JSON (a proxy's) is still quoted.
  const { embed } = client([new Response("<html>maintenance</html>")]);
  const page = await embed.users.get(USER).catch((e) => e);
  assert.equal(page.body, "<html>maintenance</html>");
  assert.doesNotMatch(page.message, /may have taken effect/);
});

test("an error about a GET's answer of another status keeps none of its JSON either, but a page that is not JSON", async () => {
  for (const status of [302, 404, 409, 500]) {
    for (
      const answer of [
        { result: { user: USER, phone: "+447700900123" } },
        { message: "no", user: { phone: "+447700900123" } },
      ]
    ) {
      const { embed } = client([Response.json(answer, { status })], {
        maxRetries: 0,
      });
      const error = await embed.users.get(USER).catch((e) => e);
      const what = `${status} ${JSON.stringify(answer)}`;
      assert.ok(error instanceof EmbedApiError, `${what}: ${error}`);
      assert.equal(error.status, status, what);
      assert.equal(error.body, undefined, what);
      assert.doesNotMatch(error.message, /447700900123/, what);
    }
    const { embed } = client([new Response("<h1>gone</h1>", { status })], {
      maxRetries: 0,
    });
    const page = await embed.users.get(USER).catch((e) => e);
    assert.equal(page.body, "<h1>gone</h1>", String(status));
  }
  // A PATCH's is kept: it tells what the request did.
  const { embed } = client([Response.json({ message: "no" }, { status: 404 })]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.equal(error.body, '{"message":"no"}');
});

test("an error about a GET's answer keeps none of a body that starts as JSON does, cut short or not JSON at all (a NaN, a raw line break), in any status", async () => {
  const record =
    '{"result":{"user":"AA95 N84G TEST XXXX","full_name":{"first_name":"Ada","last_name":"Lovelace"},"phone":"+447700900123"';
  for (const status of [200, 404, 500]) {
    for (
      const text of [
        record, // cut short: a connection closed mid-body
        record + ',"score":NaN}}', // Python's json.dumps writes NaN
        // A raw line break inside a string.
        '{"result":{"note":"line\nbreak","phone":"+447700900123"}}',
        "  \ufeff" + record,
        '[{"phone":"+447700900123"',
        // JSON text encoded again, cut short.
        JSON.stringify(record + "}}").slice(0, 90),
      ]
    ) {
      const { embed } = client([new Response(text, { status })], {
        maxRetries: 0,
      });
      const error = await embed.users.get(USER).catch((e) => e);
      const what = `${status} ${text.slice(0, 30)}`;
      assert.ok(error instanceof EmbedApiError, `${what}: ${error}`);
      assert.equal(error.body, undefined, what);
      assert.doesNotMatch(
        JSON.stringify(error) + error.message,
        /Lovelace|447700900123/,
        what,
      );
    }
  }
});

test("an error about users.update's 2xx answer keeps none of its JSON, which may echo the user's record; request()'s keeps its start, and users.update's of another status too", async () => {
  const echo = {
    result: {
      user: USER,
      full_name: { first_name: "Ada", last_name: "Lovelace" },
      date_of_birth: "1815-12-10",
    },
  };
  for (const status of [200, 299]) {
    const { embed } = client([Response.json(echo, { status })]);
    const error = await embed.users.update(USER, { language: "de" })
      .catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(error.mayHaveTakenEffect, true);
    assert.equal(error.body, undefined, String(status));
    assert.doesNotMatch(JSON.stringify(error), /Lovelace|1815-12-10/);
    // Nor beside an error, nor without a result.
    for (
      const answer of [
        { ...echo, error: ["EGeneral:Odd"] },
        { user: echo.result },
      ]
    ) {
      const other = client([Response.json(answer, { status })]);
      const refused = await other.embed.users.update(USER, { language: "de" })
        .catch((e) => e);
      assert.equal(refused.body, undefined, JSON.stringify(answer));
    }
  }
  // A page that is not JSON is kept: a proxy's, which tells what happened.
  const page = client([new Response("<h1>accepted</h1>", { status: 202 })]);
  const accepted = await page.embed.users.update(USER, { language: "de" })
    .catch((e) => e);
  assert.equal(accepted.body, "<h1>accepted</h1>");
  // request()'s is kept, as it tells what the request did.
  const generic = client([Response.json(echo)]);
  const error = await generic.embed.request({
    method: "PATCH",
    path: "/b2b/quotes/q1",
    body: {},
    schema: v.object({ id: v.string() }),
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.body, JSON.stringify(echo));
});

test("an error about a GET's answer or users.update's 2xx one leaves out an error entry that is not text, which may echo the record", async () => {
  const record = {
    user: USER,
    full_name: { first_name: "Ada", last_name: "Lovelace" },
    date_of_birth: "1815-12-10",
  };
  const answer = {
    error: [
      { code: "ENexus:Invalid", user: record },
      "EGeneral:Invalid arguments:" + JSON.stringify(record),
      "ENexus:Invalid user ID",
    ],
  };
  const LEFT_OUT = "(an entry that is or holds JSON, left out)";
  for (const status of [200, 404]) {
    const { embed } = client([Response.json(answer, { status })]);
    const error = await embed.users.get(USER).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.deepEqual(error.errors, [
      LEFT_OUT,
      LEFT_OUT,
      "ENexus:Invalid user ID",
    ]);
    assert.doesNotMatch(
      error.message + JSON.stringify(error),
      /Lovelace|1815-12-10/,
      String(status),
    );
  }
  const update = client([Response.json(answer)]);
  const error = await update.embed.users.update(USER, { language: "de" })
    .catch((e) => e);
  assert.deepEqual(error.errors, [
    LEFT_OUT,
    LEFT_OUT,
    "ENexus:Invalid user ID",
  ]);
  assert.doesNotMatch(JSON.stringify(error), /Lovelace|1815-12-10/);
  // request()'s keeps it, as JSON: it tells what the request met.
  const generic = client([Response.json(answer, { status: 400 })]);
  const kept = await generic.embed.request({
    method: "POST",
    path: "/b2b/quotes",
    body: {},
  }).catch((e) => e);
  assert.ok(kept instanceof EmbedApiError, String(kept));
  assert.match(kept.errors[0] ?? "", /Lovelace/);
});

test("the excerpt of a body leaves out a credential even where the 500-character cut falls inside it", async () => {
  for (const at of [0, 450, 495, 499, 500, 600]) {
    const reply: Reply = (_, init) => {
      const sign = (init.headers as Record<string, string>)["API-Sign"];
      return new Response(`${"x".repeat(at)}${sign}${"y".repeat(2_000)}`, {
        status: 502,
      });
    };
    const { embed } = client([reply], { maxRetries: 0 });
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.equal(
      error.body,
      `${"x".repeat(at)}[redacted]${"y".repeat(2_000)}`.slice(0, 500),
      `a signature at ${at}`,
    );
  }
});

for (
  const [name, body] of [
    ["a wrong result", JSON.stringify({ result: "ok" })],
    ["no result", JSON.stringify({ status: "fine" })],
    ["an array", "[1,2]"],
    ["null", "null"],
    ["a 200 that is not JSON", "<html>ok</html>"],
    ["an empty body", ""],
  ]
) {
  test(`an answer with ${name} is an EmbedApiError with its trace id, never a crash`, async () => {
    const { embed, requests } = client([
      new Response(body, { status: 200, headers: { "x-trace-id": "t-200" } }),
    ]);
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(error.status, 200);
    // Read from the headers only when there is an error to report.
    assert.equal(error.traceId, "t-200");
    assert.equal(requests.length, 1);
  });
}

test("a redirect is not followed, so the signed headers go nowhere else", async () => {
  let redirect: RequestRedirect | undefined;
  const { embed } = client([(_, init) => {
    redirect = init.redirect;
    return new Response(null, {
      status: 307,
      headers: { location: "https://elsewhere.example/" },
    });
  }]);
  const error = await embed.users.update(USER, PATCH).catch((e) => e);
  assert.equal(redirect, "manual");
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.status, 307);
  // Said so: an http:// base URL that the service sends to https:// is the
  // usual cause. A redirect refuses nothing (a 303 says "done, see there"),
  // so an update may have taken effect.
  assert.equal(
    error.message,
    "Kraken answered 307 (a redirect, not followed: check baseUrl) with a body that is not JSON: the request may have taken effect",
  );
  assert.equal(error.mayHaveTakenEffect, true);
  const notRedirect = await client([new Response("", { status: 404 })]).embed
    .users.update(USER, PATCH).catch((e) => e);
  assert.equal(
    notRedirect.message,
    "Kraken answered 404 with a body that is not JSON",
  );
});

test("a missing API key or secret says it is missing, as an unset environment variable leaves it", () => {
  for (const name of ["apiKey", "apiSecret"] as const) {
    const options = { apiKey: API_KEY, apiSecret: SECRET, [name]: undefined };
    assert.throws(
      () => new EmbedClient(options as never),
      (error) =>
        error instanceof EmbedConfigError && error.field === name &&
        error.message ===
          `${name}: Missing (undefined): is the environment variable that holds it set?`,
    );
  }
});

test("request() signs the query string as part of the path and returns the result", async () => {
  const { embed, requests } = client([
    Response.json({ result: { limits: [1] } }),
  ]);
  const result = await embed.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    query: { user: USER, skip: undefined, n: 2 },
  });
  assert.deepEqual(result, { limits: [1] });
  assert.equal(
    requests[0].url,
    "https://nexus.kraken.com/b2b/quotes/limits?user=AA95+N84G+TEST+XXXX&n=2",
  );
  assert.equal(requests[0].body, "");
  assert.equal(requests[0].headers["content-type"], undefined);
  assert.equal(requests[0].headers["api-sign"], expectedSign(requests[0]));
});

test("request() sends a path with a trailing slash, or with the characters a URL leaves alone, as signed", async () => {
  for (
    const path of [
      "/b2b/quotes/",
      "/b2b/a~b-c_d.e/%E2%82%AC",
      "/b2b/x!$&'()*+,;=:@",
    ]
  ) {
    const { embed, requests } = client([Response.json({ result: {} })]);
    await embed.request({ method: "GET", path });
    assert.equal(requests[0].url, "https://nexus.kraken.com" + path);
    assert.equal(requests[0].headers["api-sign"], expectedSign(requests[0]));
  }
});

test("request() sends a bigint or a boolean query value as its text, signed", async () => {
  const { embed, requests } = client([Response.json({ result: [] })]);
  await embed.request({
    method: "GET",
    path: "/b2b/users",
    query: { after: 18446744073709551615n, all: true },
  });
  assert.equal(
    requests[0].url,
    "https://nexus.kraken.com/b2b/users?after=18446744073709551615&all=true",
  );
  assert.equal(requests[0].headers["api-sign"], expectedSign(requests[0]));
});

test("request() POST is retried only when the answer says it was not acted on", async () => {
  const first = client([failure(500, []), success()]);
  await assert.rejects(
    first.embed.request({ method: "POST", path: "/b2b/users", body: {} }),
    EmbedApiError,
  );
  assert.equal(first.requests.length, 1);
  const second = client([
    failure(503, ["EService:Unavailable"]),
    Response.json({ result: { user: USER } }),
  ]);
  assert.deepEqual(
    await second.embed.request({
      method: "POST",
      path: "/b2b/users",
      body: { a: 1 },
    }),
    { user: USER },
  );
  assert.equal(second.requests.length, 2);
  const third = client([new TypeError("reset")]);
  await assert.rejects(
    third.embed.request({ method: "POST", path: "/b2b/users", body: {} }),
    EmbedNetworkError,
  );
  assert.equal(third.requests.length, 1);
  const fourth = client([new TypeError("reset"), success()]);
  await fourth.embed.request({
    method: "POST",
    path: "/b2b/users",
    body: {},
    idempotent: true,
  });
  assert.equal(fourth.requests.length, 2);
});

test("request() PUT, which executes a quote, is not sent again after it may have acted", async () => {
  const execute = {
    method: "PUT",
    path: "/b2b/quotes/Q123",
    query: { user: USER },
  } as const;
  // A 5xx, a dropped connection and a timeout may each have traded.
  for (const reply of [failure(500, []), new TypeError("reset"), "hang"]) {
    // The timeout covers signing too, which a busy machine can stretch past
    // a fixed timeout: its timer is held, and fired once the PUT is sent.
    await withHeldTimers(300, async (fire) => {
      const { embed, requests } = client([reply as Reply, success()], {
        timeoutMs: 300,
      });
      const call = embed.request(execute);
      if (reply === "hang") {
        await reached(() => requests.length === 1, "the PUT sent");
        assert.equal(fire(), 1);
      }
      await assert.rejects(call, Error);
      assert.equal(requests.length, 1, `after ${String(reply)}`);
    });
  }
  // An answer that says it was not acted on is retried: Kraken's 503.
  const busy = client([failure(503, ["EService:Unavailable"]), success()]);
  assert.equal(await busy.embed.request(execute), "success");
  assert.equal(busy.requests.length, 2);
  // A 503 that is not Kraken's (a proxy's page, after it may have passed
  // the request on) is not.
  for (
    const reply of [
      new Response("upstream reset", { status: 503 }),
      Response.json({ error: "upstream request timeout" }, { status: 503 }),
      Response.json({ error: { code: 503 } }, { status: 503 }),
      Response.json({ error: ["upstream connect error"] }, { status: 503 }),
      // A gateway's text that starts with an E and a colon is not a
      // category: Kraken's have a capital after the E (EAPI, EService).
      Response.json({ error: ["Error: upstream request timeout"] }, {
        status: 503,
      }),
      Response.json({ error: ["Envoy: upstream connect error"] }, {
        status: 503,
      }),
      // Kraken's text, but not in Kraken's list.
      Response.json({ error: "EService:Unavailable" }, { status: 503 }),
    ]
  ) {
    const proxied = client([reply, success()]);
    const error = await proxied.embed.request(execute).catch((e) => e);
    assert.ok(error instanceof EmbedApiError);
    assert.equal(error.mayHaveTakenEffect, true);
    assert.equal(proxied.requests.length, 1);
  }
  // And the caller can say a PUT is safe to repeat.
  const opted = client([failure(500, []), success()]);
  await opted.embed.request({ ...execute, idempotent: true });
  assert.equal(opted.requests.length, 2);
  // PATCH, GET and DELETE are retried after a 5xx.
  for (const method of ["PATCH", "GET", "DELETE"] as const) {
    const { embed, requests } = client([failure(500, []), success()]);
    await embed.request({ method, path: "/b2b/users/x" });
    assert.equal(requests.length, 2, method);
  }
});

test("request() refuses malformed paths, queries and bodies before sending", async () => {
  const { embed, requests } = client([success()]);
  const bad = [
    { method: "GET", path: "b2b/users" },
    { method: "GET", path: "/b2b/users/a b" },
    { method: "GET", path: "/b2b/../admin" },
    { method: "GET", path: "/b2b/users?x=1" },
    { method: "GET", path: "/b2b/users#x" },
    { method: "GET", path: "/b2b/\r\nX: 1" },
    { method: "TRACE", path: "/b2b/users" },
    { method: "GET", path: "/b2b/users", body: { a: 1 } },
    { method: "POST", path: "/b2b/users", body: { n: 1n } },
    { method: "GET", path: "/b2b/users", query: { a: { b: 1 } } },
    { method: "GET", path: "/b2b/users", query: "a=1" },
    { method: "GET", path: "/b2b/users", idempotent: "yes" },
  ];
  for (const options of bad) {
    await assert.rejects(
      embed.request(options as never),
      EmbedValidationError,
      JSON.stringify(options, (_, v) => typeof v === "bigint" ? String(v) : v),
    );
  }
  assert.equal(requests.length, 0);
});

test("a 204 without a body is no success: an error that says the request may have taken effect, for request() as for users.update", async () => {
  // Kraken documents its answers as {"result": ...}: a proxy that answers
  // 204 may never have passed the request on, so it is not reported done.
  for (const method of ["DELETE", "POST", "PATCH"] as const) {
    const { embed, requests } = client([new Response(null, { status: 204 })]);
    const error = await embed.request({
      method,
      path: "/b2b/webhooks/w1",
      ...(method === "DELETE" ? {} : { body: {} }),
    }).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, `${method}: ${error}`);
    assert.equal(error.status, 204);
    assert.equal(error.mayHaveTakenEffect, true, method);
    assert.match(error.message, /with a body that is not JSON/);
    assert.equal(requests.length, 1, method);
  }
  const update = client([new Response(null, { status: 204 })]);
  const error = await update.embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.mayHaveTakenEffect, true);
});

test("request() says whether a query parameter's name or its value is refused", async () => {
  const { embed, requests } = client([success()]);
  const messageOf = (query: Record<string, unknown>) =>
    embed.request({ method: "GET", path: "/b2b/quotes", query } as never)
      .catch((e) => (e as EmbedValidationError).message);
  assert.equal(
    await messageOf({ "\ud800": "ok" }),
    "Invalid query: [1-character key]: Expected a name without lone surrogates",
  );
  assert.equal(
    await messageOf({ user: "\ud800" }),
    "Invalid query: user: Expected a string without lone surrogates, a finite number, a boolean or a bigint",
  );
  assert.equal(requests.length, 0);
});

test("request() checks the result against a schema when given one", async () => {
  const { embed } = client([Response.json({ result: { user: 42 } })]);
  const v = await import("valibot");
  const schema = v.object({ user: v.string() });
  const error = await embed.request({
    method: "GET",
    path: "/b2b/users/x",
    schema,
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.match(error.message, /user/);
});

test("the constructor refuses unusable options, naming the field", () => {
  const good = { apiKey: API_KEY, apiSecret: SECRET };
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ apiKey: "" }, "apiKey"],
    [{ apiKey: "key\r\nX-Evil: 1" }, "apiKey"],
    [{ apiKey: "clé" }, "apiKey"],
    [{ apiKey: "a b" }, "apiKey"],
    [{ apiKey: 42 }, "apiKey"],
    [{ apiSecret: "" }, "apiSecret"],
    [{ apiSecret: "not base64!" }, "apiSecret"],
    [{ apiSecret: undefined }, "apiSecret"],
    [{ baseUrl: "ftp://nexus.kraken.com" }, "baseUrl"],
    [{ baseUrl: "https://user:pass@nexus.kraken.com" }, "baseUrl"],
    [{ baseUrl: "nexus.kraken.com" }, "baseUrl"],
    [{ baseUrl: "https://nexus.kraken.com/?a=1" }, "baseUrl"],
    [{ baseUrl: "http://nexus.kraken.com" }, "baseUrl"],
    [{ allowInsecureHttp: "yes" }, "allowInsecureHttp"],
    [{ allowInsecureHttp: 1 }, "allowInsecureHttp"],
    [{ apiVersion: "2025-04-15\r\n" }, "apiVersion"],
    [{ fetch: "fetch" }, "fetch"],
    [{ nonce: 5 }, "nonce"],
    [{ timeoutMs: -1 }, "timeoutMs"],
    [{ timeoutMs: Infinity }, "timeoutMs"],
    [{ timeoutMs: NaN }, "timeoutMs"],
    [{ maxRetries: -1 }, "maxRetries"],
    [{ maxRetries: 1.5 }, "maxRetries"],
    [{ maxRetries: Infinity }, "maxRetries"],
    [{ maxConcurrency: 0 }, "maxConcurrency"],
    [{ backoff: { baseMs: -5 } }, "backoff.baseMs"],
    [{ backoff: { jitter: true } }, "backoff.jitter"],
    [{ timeout: 5 }, "timeout"],
  ];
  for (const [change, field] of bad) {
    assert.throws(
      () => new EmbedClient({ ...good, ...change } as EmbedClientOptions),
      (error: unknown) =>
        error instanceof EmbedConfigError && error.field === field &&
        error.message.startsWith(field),
      JSON.stringify(change),
    );
  }
  assert.throws(() => new EmbedClient(null as never), EmbedConfigError);
});

test("options that are an array, a Map or a Date, or another object with neither credential, are refused as what they are, not as a missing environment variable", () => {
  const whole = [
    [],
    [API_KEY, SECRET],
    new Map([["apiKey", API_KEY], ["apiSecret", SECRET]]),
    new Date(),
    new (class Settings {})(),
  ];
  for (const options of whole) {
    assert.throws(
      () => new EmbedClient(options as unknown as EmbedClientOptions),
      (error: unknown) =>
        error instanceof EmbedConfigError && error.field === "options" &&
        error.message ===
          "options: Expected an object with apiKey and apiSecret",
      inspect(options),
    );
  }
  // A class's instance that has them, as getters, is read as before; a
  // plain object without them is most often an environment variable unset.
  const settings = new (class {
    get apiKey() {
      return API_KEY;
    }
    get apiSecret() {
      return SECRET;
    }
  })();
  assert.ok(new EmbedClient(settings) instanceof EmbedClient);
  // Options read through a Proxy's get trap alone (no has trap), over a
  // class's instance or over defaults, are read, not refused as empty.
  const credentials = { apiKey: API_KEY, apiSecret: SECRET };
  for (
    const target of [new (class Settings {})(), Object.create(credentials)]
  ) {
    const proxy = new Proxy(target, {
      get: (target, name) =>
        Object.hasOwn(credentials, name)
          ? credentials[name as keyof typeof credentials]
          : Reflect.get(target, name),
    });
    assert.ok(new EmbedClient(proxy) instanceof EmbedClient, inspect(target));
  }
  assert.throws(
    () => new EmbedClient({} as EmbedClientOptions),
    /^EmbedConfigError: apiKey: Missing \(undefined\)/,
  );
});

test("request() called apart from its client, or through a Proxy of it, sends as client.request() does", async () => {
  const { embed, requests } = client([success()]);
  const { request } = embed;
  const path = "/b2b/quotes/Q1";
  assert.equal(await request({ method: "GET", path }), "success");
  const proxied = new Proxy(embed, {});
  assert.equal(await proxied.request({ method: "GET", path }), "success");
  assert.equal(requests.length, 2);
  assert.ok(requests.every((sent) => sent.url.endsWith(path)));
  // Bound without changing what the client shows: its keys, or a subclass
  // whose prototype is frozen (SES's harden) or holds an accessor.
  assert.deepEqual(Object.keys(embed), ["users"]);
  class Hardened extends EmbedClient {
    override request<T>(options: RequestOptions<T>): Promise<T> {
      return super.request(options);
    }
  }
  Object.freeze(Hardened.prototype);
  const hardened = new Hardened({ apiKey: API_KEY, apiSecret: SECRET });
  assert.equal(typeof hardened.request, "function");
});

test("a custom nonce source is used, and a bad one is reported as configuration", async () => {
  let n = 100n;
  const { embed, requests } = client([success()], {
    nonce: () => Promise.resolve(++n),
  });
  await embed.users.update(USER, PATCH);
  assert.equal(requests[0].headers["api-nonce"], "101");
  const broken = client([success()], { nonce: () => "1.5" });
  await assert.rejects(
    broken.embed.users.update(USER, PATCH),
    EmbedConfigError,
  );
  const failing = client([success()], {
    nonce: () => {
      throw new Error("redis down");
    },
  });
  const error = await failing.embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(error instanceof EmbedConfigError);
  assert.equal((error.cause as Error).message, "redis down");
  // A result whose `then` getter throws fails the same way, once: not as a
  // network error, which would be retried.
  let calls = 0;
  const trapped = client([success()], {
    maxRetries: 2,
    nonce: () => {
      calls++;
      return {
        get then() {
          throw new Error("broken source");
        },
      } as unknown as string;
    },
  });
  const trap = await trapped.embed.users.update(USER, PATCH).catch((e) => e);
  assert.ok(trap instanceof EmbedConfigError, String(trap));
  assert.equal(trap.field, "nonce");
  assert.equal((trap.cause as Error).message, "broken source");
  assert.equal(calls, 1);
  assert.equal(
    broken.requests.length + failing.requests.length + trapped.requests.length,
    0,
  );
});

test("two clients in one process share one increasing nonce sequence", async () => {
  const a = client([success()]);
  const b = client([success()]);
  const nonces: bigint[] = [];
  for (let i = 0; i < 20; i++) {
    await (i % 2 ? a : b).embed.users.update(USER, PATCH);
  }
  for (const r of [...a.requests, ...b.requests].sort((x, y) => x.at - y.at)) {
    nonces.push(BigInt(r.headers["api-nonce"]));
  }
  for (let i = 1; i < nonces.length; i++) assert.ok(nonces[i] > nonces[i - 1]);
});

test("maxConcurrency: 1 sends one request at a time, in nonce order", async () => {
  let inFlight = 0;
  let peak = 0;
  const slow = async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight--;
    return success();
  };
  const { embed, requests } = client([slow], { maxConcurrency: 1 });
  await Promise.all(
    Array.from({ length: 20 }, () => embed.users.update(USER, PATCH)),
  );
  assert.equal(peak, 1);
  const nonces = requests.map((r) => BigInt(r.headers["api-nonce"]));
  for (let i = 1; i < nonces.length; i++) assert.ok(nonces[i] > nonces[i - 1]);
});

test("without maxConcurrency, requests are sent concurrently", async () => {
  // Each answer waits until all 20 are in fetch, not for a fixed 5 ms, which
  // signings spread out on a busy machine could outlast, one request at a
  // time then looking like a limit. A client that sent one at a time would
  // hold the first forever, which the guard turns into a failure.
  let inFlight = 0;
  let peak = 0;
  let allIn!: () => void;
  const all = new Promise<void>((resolve) => (allIn = resolve));
  const slow = async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    if (inFlight === 20) allIn();
    await all;
    inFlight--;
    return success();
  };
  const { embed } = client([slow]);
  const calls = Promise.all(
    Array.from({ length: 20 }, () => embed.users.update(USER, PATCH)),
  );
  assert.notEqual(await within(calls, 10_000), "hung", `peak ${peak}`);
  assert.ok(peak > 1);
});

test("maxConcurrency: Infinity is accepted, and sends concurrently as the default does", async () => {
  // Each answer waits until both are in fetch: a client that sent one at a
  // time would hold the first forever, which the guard turns into a failure.
  let inFlight = 0;
  let bothIn!: () => void;
  const both = new Promise<void>((resolve) => (bothIn = resolve));
  const slow = async () => {
    if (++inFlight === 2) bothIn();
    await both;
    return success();
  };
  const { embed } = client([slow], { maxConcurrency: Infinity });
  const calls = Promise.all([
    embed.users.update(USER, PATCH),
    embed.users.update(USER, PATCH),
  ]);
  assert.notEqual(await within(calls, 10_000), "hung");
});

test("an abort while waiting for a maxConcurrency slot ends the call at once", async () => {
  const { embed, requests } = client(["hang"], {
    maxConcurrency: 1,
    timeoutMs: 200,
    maxRetries: 0,
  });
  // The first call's timeout is held and fired once it is in fetch: it
  // covers signing, which a busy machine can stretch past 200 ms.
  await withHeldTimers(200, async (fire) => {
    const first = embed.users.update(USER, PATCH).catch((e) => e);
    const controller = new AbortController();
    const second = embed.users.update(USER, PATCH, {
      signal: controller.signal,
    })
      .catch((e) => e);
    controller.abort();
    assert.ok((await second) instanceof EmbedAbortError);
    await reached(() => requests.length === 1, "the first call sent");
    assert.equal(fire(), 1);
    assert.ok((await first) instanceof EmbedTimeoutError);
    assert.equal(requests.length, 1);
  });
});

test("a call whose signal has already fired is refused at once, even while every maxConcurrency slot is busy", async () => {
  let sent!: () => void;
  const sending = new Promise<void>((resolve) => (sent = resolve));
  const { embed, requests } = client([() => {
    sent();
    return new Promise<Response>(() => {});
  }], {
    maxConcurrency: 1,
    timeoutMs: 3_000,
    maxRetries: 0,
  });
  // The first call's 3 s timeout is held, never fired: it covers signing,
  // and the first call must be in fetch however long that takes. It ends by
  // its caller's signal.
  await withHeldTimers(3_000, async () => {
    const holder = new AbortController();
    const first = embed.users.update(USER, PATCH, { signal: holder.signal })
      .catch((e) => e);
    // The slot is the first call's: it is in fetch.
    await sending;
    const call = embed.users.update(USER, PATCH, {
      signal: AbortSignal.abort("gone"),
    }).catch((e) => e);
    // At once, in the microtasks after the call, not once the first call
    // gives its slot up; timed (under 1.5 s), a busy machine could fail it.
    assert.ok(await settlesAtOnce(call), "not refused at once");
    const second = await call;
    holder.abort();
    assert.ok(second instanceof EmbedAbortError, String(second));
    assert.equal(second.cause, "gone");
    assert.ok((await first) instanceof EmbedAbortError);
    assert.equal(requests.length, 1);
  });
});

test("calls sharing one signal share one listener on it, in flight, in a backoff and queued, and all stop when it fires", async () => {
  // Node warns "Possible EventTarget memory leak detected" above ten
  // listeners: a server's shutdown signal passed to every call would carry
  // one per call in flight.
  for (const stage of ["in flight", "in a backoff", "queued"] as const) {
    const controller = new AbortController();
    const { signal, live } = countedSignal(controller.signal);
    let most = 0;
    let started = 0;
    const { embed } = client([
      () => {
        started++;
        most = Math.max(most, live());
        return stage === "in flight"
          ? new Promise<Response>(() => {})
          : stage === "in a backoff"
          ? failure(503, [], { "retry-after": "60" })
          : new Promise<Response>(() => {});
      },
    ], {
      timeoutMs: 60_000,
      maxConcurrency: stage === "queued" ? 1 : undefined,
    });
    const calls = Array.from(
      { length: 20 },
      () => embed.users.update(USER, PATCH, { signal }).catch((e) => e),
    );
    const expected = stage === "queued" ? 1 : 20;
    while (started < expected) {
      await new Promise((resolve) => realSetTimeout(resolve, 1));
    }
    // Let every call reach its wait.
    await new Promise((resolve) => realSetTimeout(resolve, 20));
    most = Math.max(most, live());
    assert.equal(most, 1, stage);
    controller.abort(new Error("shutting down"));
    for (const error of await Promise.all(calls)) {
      assert.ok(error instanceof EmbedAbortError, `${stage}: ${error}`);
    }
    assert.equal(live(), 0, stage);
  }
});

test("a call leaves no timer running and no listener on the caller's signal, however it ends", async () => {
  // A timer left running keeps a process alive for up to timeoutMs (30 s by
  // default) after its last call; a listener left on a long-lived signal (a
  // shutdown signal passed to every call) holds each call's state.
  const { signal, live } = countedSignal(new AbortController().signal);
  const options = { timeoutMs: 60_000 };
  await withTimers(async (timers) => {
    const ok = client([success()], options);
    await ok.embed.users.update(USER, PATCH, { signal });
    assert.equal(timers.pending(), 0, "after a success");
    assert.equal(live(), 0, "after a success");
    // A 503 and a wait of Retry-After: 0, then a success.
    const retried = client([
      failure(503, [], { "retry-after": "0" }),
      success(),
    ], options);
    await retried.embed.users.update(USER, PATCH, { signal });
    assert.equal(retried.requests.length, 2);
    assert.equal(timers.pending(), 0, "after a retry");
    assert.equal(live(), 0, "after a retry");
    // Three calls, two of them queued for the one slot.
    const queued = client([success()], { ...options, maxConcurrency: 1 });
    await Promise.all(
      [1, 2, 3].map(() => queued.embed.users.update(USER, PATCH, { signal })),
    );
    assert.equal(timers.pending(), 0, "after queued calls");
    assert.equal(live(), 0, "after queued calls");
    // Refused by the API, and failed at the network.
    const refused = client([failure(400, ["EGeneral:Invalid arguments"])], {
      ...options,
      maxRetries: 0,
    });
    await assert.rejects(
      refused.embed.users.update(USER, PATCH, { signal }),
      EmbedApiError,
    );
    const dropped = client([new TypeError("fetch failed")], {
      ...options,
      maxRetries: 0,
    });
    await assert.rejects(
      dropped.embed.users.update(USER, PATCH, { signal }),
      EmbedNetworkError,
    );
    assert.equal(timers.pending(), 0, "after failures");
    assert.equal(live(), 0, "after failures");
    // Aborted while waiting 10 s to retry: the wait's timer is cleared.
    const controller = new AbortController();
    const waiting = client([() => {
      realSetTimeout(() => controller.abort(), 20);
      return failure(503, [], { "retry-after": "10" });
    }], options);
    await assert.rejects(
      waiting.embed.users.update(USER, PATCH, { signal: controller.signal }),
      EmbedAbortError,
    );
    assert.equal(timers.pending(), 0, "after an abort during a wait");
  });
});

test("maxConcurrency: a call aborted in the queue gives its place up, and the queue is first come, first served", async () => {
  const slow = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return success();
  };
  const { embed, requests } = client([slow], {
    maxConcurrency: 1,
    maxRetries: 0,
  });
  const first = embed.users.update(USER, { language: "en" });
  const controller = new AbortController();
  const second = embed.users.update(USER, { language: "de" }, {
    signal: controller.signal,
  }).catch((e) => e);
  controller.abort();
  assert.ok((await second) instanceof EmbedAbortError);
  await first;
  // The aborted call must not hold a slot: a later call still gets one. A
  // slot held would hold it forever; 10 s tells that apart from signing on
  // a busy machine, which 1 s did not always.
  const third = await within(
    embed.users.update(USER, { language: "fr" }).then(() => "done"),
    10_000,
  );
  assert.equal(third, "done", "still queued after 10 s");
  // Queued calls are sent in the order they were made.
  const queued = ["de", "es", "fr", "it"] as const;
  const before = requests.length;
  await Promise.all(
    queued.map((language) => embed.users.update(USER, { language })),
  );
  assert.deepEqual(
    requests.slice(before).map((r) => JSON.parse(r.body).language),
    queued,
  );
});

test("an issue's path shows a name of up to 64 characters bare, a longer one or one that looks like an index by its length, and keeps a path of 200 characters whole", async () => {
  const { embed, requests } = client([success()]);
  const pathOf = async (body: unknown) => {
    const error = await embed.request({
      method: "POST",
      path: "/b2b/quotes",
      body,
    }).catch((e) => e);
    assert.ok(error instanceof EmbedValidationError, String(error));
    return error.issues[0].path;
  };
  assert.equal(await pathOf({ ["k".repeat(64)]: NaN }), "k".repeat(64));
  assert.equal(
    await pathOf({ ["k".repeat(65)]: NaN }),
    "[65-character key]",
  );
  // An object's key "0" must not read as an array's index 0.
  assert.equal(await pathOf({ list: { "0": NaN } }), "list.[1-character key]");
  assert.equal(await pathOf({ list: [NaN] }), "list.0");
  assert.equal(await pathOf({ "1st": NaN }), "[3-character key]");
  // 49 levels of "abc." and "leaf": exactly 200 characters, not cut.
  let body: unknown = { leaf: NaN };
  for (let i = 0; i < 49; i++) body = { abc: body };
  const whole = "abc.".repeat(49) + "leaf";
  assert.equal(whole.length, 200);
  assert.equal(await pathOf(body), whole);
  assert.equal(requests.length, 0);
});

test("globalThis.fetch is used when no fetch is given", async () => {
  const original = globalThis.fetch;
  const fake = fakeFetch(success());
  globalThis.fetch = fake.fetch as typeof fetch;
  try {
    const embed = new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET });
    await embed.users.update(USER, PATCH);
    assert.equal(fake.requests.length, 1);
  } finally {
    globalThis.fetch = original;
  }
});

test("without a fetch (none given, globalThis.fetch not a function) a call is an EmbedConfigError on fetch that sent nothing, not a network error retried", async () => {
  const original = globalThis.fetch;
  // @ts-ignore: a runtime without fetch, or one a test removed.
  globalThis.fetch = undefined;
  try {
    const embed = new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET });
    for (
      const call of [
        () => embed.users.update(USER, PATCH),
        () => embed.request({ method: "POST", path: "/b2b/quotes", body: {} }),
        () => embed.request({ method: "GET", path: "/b2b/quotes" }),
      ]
    ) {
      const started = Date.now();
      const error = await call().catch((e) => e);
      assert.ok(error instanceof EmbedConfigError, String(error));
      assert.equal(error.field, "fetch");
      assert.equal(
        error.message,
        "fetch: Expected a fetch function: none was given and globalThis.fetch is not one",
      );
      assert.equal(error.mayHaveTakenEffect, false);
      // Not retried with backoff: it ends at once.
      assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
    }
  } finally {
    globalThis.fetch = original;
  }
});

test("without a fetch, a key import that fails is not started, so no rejection goes unheard", async () => {
  const original = globalThis.fetch;
  const importKey = crypto.subtle.importKey;
  // @ts-ignore: a runtime without fetch
  globalThis.fetch = undefined;
  let imports = 0;
  crypto.subtle.importKey = () => {
    imports++;
    return Promise.reject(new Error("no HMAC here"));
  };
  try {
    const embed = new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET });
    const error = await embed.request({ method: "GET", path: "/b2b/assets" })
      .catch((e) => e);
    assert.ok(error instanceof EmbedConfigError, String(error));
    assert.equal(error.field, "fetch");
    assert.equal(imports, 0);
    // An unheard rejection would fail the test here, in each runtime.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    globalThis.fetch = original;
    crypto.subtle.importKey = importKey;
  }
});

test("a key import that fails is heard though the call ends before it awaits the key (aborted at the limiter)", async () => {
  const importKey = crypto.subtle.importKey;
  crypto.subtle.importKey = () => Promise.reject(new Error("no HMAC here"));
  try {
    const embed = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      maxConcurrency: 1,
      fetch: () => Promise.resolve(Response.json({ result: 1 })),
    });
    const error = await embed.request({
      method: "GET",
      path: "/b2b/assets",
      signal: AbortSignal.abort(),
    }).catch((e) => e);
    assert.ok(error instanceof EmbedAbortError, String(error));
    // An unheard rejection would fail the test here, in each runtime.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    crypto.subtle.importKey = importKey;
  }
});

test("a key import that fails is an EmbedConfigError on apiSecret that sent nothing, and the next call imports again", async () => {
  const importKey = crypto.subtle.importKey;
  const failure = new Error("no HMAC here");
  let imports = 0;
  crypto.subtle.importKey = function (...args: unknown[]) {
    return ++imports === 1
      ? Promise.reject(failure)
      : (importKey as (...a: unknown[]) => Promise<CryptoKey>).apply(
        crypto.subtle,
        args,
      );
  } as typeof crypto.subtle.importKey;
  try {
    const { embed, requests } = client([success()]);
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.ok(error instanceof EmbedConfigError, String(error));
    assert.equal(error.field, "apiSecret");
    assert.equal(error.mayHaveTakenEffect, false);
    assert.equal(error.cause, failure);
    assert.equal(requests.length, 0);
    assert.deepEqual(await embed.users.update(USER, PATCH), {
      result: "success",
    });
    assert.equal(imports, 2);
    assert.equal(requests.length, 1);
  } finally {
    crypto.subtle.importKey = importKey;
  }
});

test("each error class has its name and code written out, which a check on code can narrow by", () => {
  const errors = [
    [new EmbedConfigError("f", "m"), "EmbedConfigError", "ERR_EMBED_CONFIG"],
    [
      new EmbedValidationError("patch", [{ path: "", message: "m" }]),
      "EmbedValidationError",
      "ERR_EMBED_VALIDATION",
    ],
    [new EmbedApiError("m", { status: 500 }), "EmbedApiError", "ERR_EMBED_API"],
    [new EmbedTimeoutError(1, 1), "EmbedTimeoutError", "ERR_EMBED_TIMEOUT"],
    [new EmbedNetworkError(1, null), "EmbedNetworkError", "ERR_EMBED_NETWORK"],
    [new EmbedAbortError("r"), "EmbedAbortError", "ERR_EMBED_ABORTED"],
  ] as const;
  for (const [error, name, code] of errors) {
    assert.equal(error.name, name);
    assert.equal(error.code, code);
    assert.ok(String(error).startsWith(`${name}: `));
    // Own, as an Error's name set in its constructor is.
    assert.ok(Object.hasOwn(error, "name"));
  }
  // Compile time: each class's code is its own literal, so that code
  // (which holds across two copies of the package, where instanceof does
  // not) narrows a union of the classes.
  const apiCode: "ERR_EMBED_API" = errors[2][0].code;
  const narrow = (
    error: EmbedApiError | EmbedTimeoutError,
  ): number | undefined =>
    error.code === "ERR_EMBED_API" ? error.status : error.timeoutMs;
  assert.equal(apiCode, "ERR_EMBED_API");
  assert.equal(narrow(errors[2][0]), 500);
  assert.equal(narrow(errors[3][0]), 1);
});

test("an error's attempts: one by default for EmbedApiError, and the message says 1 attempt, not 1 attempts", () => {
  assert.equal(new EmbedApiError("m", { status: 500 }).attempts, 1);
  assert.equal(
    new EmbedTimeoutError(250, 1).message,
    "Request timed out after 250 ms (1 attempt)",
  );
  assert.equal(
    new EmbedTimeoutError(250, 2).message,
    "Request timed out after 250 ms (2 attempts)",
  );
  assert.equal(
    new EmbedNetworkError(1, null).message,
    "Network error after 1 attempt",
  );
});

test("an Invalid nonce in Kraken's 503, or in a GET's 500, is a 5xx judged as one: not resent at once past maxRetries", async () => {
  const cases = [
    [
      "PATCH 503",
      503,
      () => (e: ReturnType<typeof client>) =>
        e.embed.users.update(USER, { occupation: "finance" }),
    ],
    [
      "GET 500",
      500,
      () => (e: ReturnType<typeof client>) => e.embed.users.get(USER),
    ],
  ] as const;
  for (const [name, status, call] of cases) {
    const c = client([
      failure(status, ["EAPI:Invalid nonce"]),
      Response.json({ result: "success" }),
    ], { maxRetries: 0 });
    const error = await call()(c).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, `${name}: ${error}`);
    assert.equal(error.status, status, name);
    assert.equal(c.requests.length, 1, name);
  }
});

test("a 300 is a redirect, never a success; a 400 is no redirect", async () => {
  const redirect = client([
    new Response(JSON.stringify({ result: "success" }), { status: 300 }),
  ]);
  const error = await redirect.embed.users.update(USER, {
    occupation: "finance",
  })
    .catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 300);
  assert.match(error.message, /a redirect, not followed/);
  const refused = client([new Response("Bad Request", { status: 400 })]);
  const bad = await refused.embed.users.update(USER, { occupation: "finance" })
    .catch((e) => e);
  assert.ok(bad instanceof EmbedApiError, String(bad));
  assert.equal(bad.message, "Kraken answered 400 with a body that is not JSON");
});

test("a mismatched answer's error says what the schema expected at each path, never the value the answer held there", async () => {
  const { embed } = client([
    Response.json({ result: { amount: "jane.doe@example.com", id: 7 } }),
  ]);
  const error = await embed.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    schema: v.object({
      amount: v.number(),
      id: v.picklist(["a", "b"]),
    }),
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(
    error.message,
    'Kraken answered 200 with an unexpected body (at amount: expected number, id: expected ("a" | "b"))',
  );
  assert.doesNotMatch(error.message, /jane|7/);
});

test("a missing field of a user's answer is said to be missing, and one of a request()'s answer too, not expected by its own name", async () => {
  const { embed } = client([
    Response.json({
      result: {
        user_type: "individual",
        status: { state: "ok", required_actions: [] },
        created_at: "2025-04-15T09:00:00Z",
      },
    }),
  ]);
  const error = await embed.users.get(USER).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(
    error.message,
    "Kraken answered 200 with an unexpected body (at result.user: Expected a value: this field is required)",
  );
  const generic = client([Response.json({ result: {} })]);
  const missing = await generic.embed.request({
    method: "GET",
    path: "/b2b/quotes/q1",
    schema: v.object({ id: v.string() }),
  }).catch((e) => e);
  assert.equal(
    missing.message,
    "Kraken answered 200 with an unexpected body (at id: missing)",
  );
});

test("a request()'s result that does not match its schema as a whole is named result", async () => {
  const { embed } = client([Response.json({ result: "x" })]);
  const error = await embed.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    schema: v.number(),
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(
    error.message,
    "Kraken answered 200 with an unexpected body (at result: expected number)",
  );
});

test("a trace id that echoes the API-Sign is redacted when the body is lost", async () => {
  let sign = "";
  const { embed } = client([(request: Recorded) => {
    sign = request.headers["api-sign"];
    return {
      status: 200,
      headers: {
        get: (name: string) => name === "x-trace-id" ? `t-${sign}` : null,
      },
      text: () => Promise.reject(new Error("cut")),
    } as unknown as Response;
  }]);
  const error = await embed.request({
    method: "POST",
    path: "/b2b/quotes",
    body: { a: 1 },
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.traceId, "t-[redacted]");
  assert.ok(sign.length > 0 && !inspect(error).includes(sign));
});

test("a query whose every value is undefined sends and signs no `?`", async () => {
  const { embed, requests } = client([Response.json({ result: 1 })]);
  await embed.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    query: { user: undefined },
  });
  await embed.request({ method: "GET", path: "/b2b/quotes/limits", query: {} });
  for (const sent of requests) {
    assert.equal(sent.url, "https://nexus.kraken.com/b2b/quotes/limits");
  }
});

test("a body that holds one object twice (not a cycle) is sent, not refused as a cycle", async () => {
  const shared = { n: 1 };
  const list = [1];
  const { embed, requests } = client([Response.json({ result: 1 })]);
  await embed.request({
    method: "POST",
    path: "/b2b/quotes",
    body: { a: shared, b: shared, c: list, d: list },
  });
  assert.equal(requests[0].body, '{"a":{"n":1},"b":{"n":1},"c":[1],"d":[1]}');
});

test("a call that ends does not take the shared listener from a call still in flight on the same signal", async () => {
  const controller = new AbortController();
  const { signal } = controller;
  let n = 0;
  const { embed } = client([() => {
    n++;
    return n === 1
      ? new Promise<Response>(() => {})
      : Response.json({ result: "success" });
  }], { timeoutMs: 5_000 });
  const hanging = embed.users.update(USER, { occupation: "finance" }, {
    signal,
  })
    .catch((e) => e);
  while (n < 1) await new Promise((resolve) => setTimeout(resolve, 1));
  await embed.users.update(USER, { occupation: "finance" }, { signal });
  controller.abort(new Error("shutting down"));
  // At once: in the microtasks after the abort, not within a time a busy
  // machine could exceed.
  assert.ok(await settlesAtOnce(hanging), "the call went on after the abort");
  const error = await hanging;
  assert.equal(error?.name, "EmbedAbortError", String(error));
});

/**
 * Runs `body` under the valibot global config another part of a program may
 * set: stop at the first issue.
 */
async function withAbortEarly<T>(body: () => Promise<T>): Promise<T> {
  v.setGlobalConfig({ abortEarly: true, abortPipeEarly: true });
  try {
    return await body();
  } finally {
    v.deleteGlobalConfig();
  }
}

test("valibot's global config, set by another part of the program, cuts no refused patch's issues short", async () => {
  const patch = {
    phone_number: "+441234567890",
    emial: "a@b.c",
    language: "EN",
    employer_name: "\u202e" + "x".repeat(300),
  } as never;
  const issuesOf = async () => {
    const { embed, requests } = client([success()]);
    const error = await embed.users.update(USER, patch).catch((e) => e);
    assert.ok(error instanceof EmbedValidationError, String(error));
    assert.equal(requests.length, 0);
    return error.issues;
  };
  const every = await issuesOf();
  assert.ok(every.length >= 4, String(every.length));
  assert.deepEqual(await withAbortEarly(issuesOf), every);
});

test("valibot's global config cuts no mismatched answer's paths short", async () => {
  const messageOf = async () => {
    const { embed } = client([
      Response.json({ result: { status: 1, amount: 2 } }),
    ]);
    const error = await embed.request({
      method: "GET",
      path: "/b2b/quotes/limits",
      schema: v.object({ status: v.string(), amount: v.string() }),
    }).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    return error.message;
  };
  const every = await messageOf();
  assert.equal(
    every,
    "Kraken answered 200 with an unexpected body (at status: expected string, amount: expected string)",
  );
  assert.equal(await withAbortEarly(messageOf), every);
});

test("call options that are a function, even one without a prototype, are refused before sending", async () => {
  const { embed, requests } = client([success()]);
  const options = Object.setPrototypeOf(() => {}, null);
  const error = await embed.users.update(USER, PATCH, options).catch((e) => e);
  assert.ok(error instanceof EmbedValidationError, String(error));
  assert.equal(error.target, "options");
  assert.equal(requests.length, 0);
});

test("the 500-character cut of Kraken's error text never leaves an escape cut after its u or its third digit", async () => {
  for (const before of [498, 495]) {
    const { embed } = client([
      failure(400, ["a".repeat(before) + "\u202etail"]),
    ]);
    const error = await embed.users.update(USER, PATCH).catch((e) => e);
    assert.equal(
      error.message,
      `Kraken answered 400: ${"a".repeat(before)}...`,
    );
  }
});

test("users.update() sends the checked output: a non-enumerable own toJSON is not called, a non-enumerable own field is sent", async () => {
  const { embed, requests } = client([success(), success()]);
  const withToJSON = { phone: "+447700900123" };
  Object.defineProperty(withToJSON, "toJSON", {
    enumerable: false,
    value: () => ({ occupation: "astronaut", phone: "0" }),
  });
  await embed.users.update(USER, withToJSON as UserPatch);
  assert.deepEqual(JSON.parse(requests[0].body), { phone: "+447700900123" });
  const hidden = { language: "fr" };
  Object.defineProperty(hidden, "phone", {
    enumerable: false,
    value: "+447700900123",
  });
  await embed.users.update(USER, hidden as UserPatch);
  assert.deepEqual(JSON.parse(requests[1].body), {
    phone: "+447700900123",
    language: "fr",
  });
});

test("idempotent: false on a PATCH, a DELETE or a GET is not retried after a 500 or a network error", async () => {
  for (const method of ["PATCH", "DELETE", "GET"] as const) {
    for (
      const [first, kind] of [
        [failure(500, ["EGeneral:Internal error"]), EmbedApiError],
        [new TypeError("connection reset"), EmbedNetworkError],
      ] as const
    ) {
      const { embed, requests } = client([first, success()]);
      const error = await embed.request({
        method,
        path: "/b2b/things/1",
        idempotent: false,
      }).catch((e) => e);
      assert.ok(error instanceof kind, `${method}: ${error}`);
      assert.equal(requests.length, 1, method);
    }
  }
});

test("maxConcurrency: 1: a call aborted in flight, or whose nonce source throws, gives its permit back", async () => {
  const { embed, requests } = client(["hang", success()], {
    maxConcurrency: 1,
    timeoutMs: 5_000,
  });
  const controller = new AbortController();
  const first = embed.users.update(USER, { phone: "+447700900123" }, {
    signal: controller.signal,
  }).catch((e) => e);
  // Aborted once in flight: after a fixed 20 ms, a busy machine could still
  // be signing, and the next call was the one sent first, into the hang.
  await reached(() => requests.length === 1, "the first call in flight");
  controller.abort(new Error("gone"));
  assert.ok((await first) instanceof EmbedAbortError);
  // A permit kept would hold the next call forever: 10 s tells that apart
  // from signing on a busy machine, which 2 s did not always.
  assert.deepEqual(
    await within(embed.users.update(USER, { phone: "+447700900123" }), 10_000),
    { result: "success" },
  );
  assert.equal(requests.length, 2);
  let fail = true;
  let n = 1_000n;
  const source = client([success()], {
    maxConcurrency: 1,
    nonce: () => {
      if (fail) throw new Error("no nonce");
      return ++n;
    },
  }).embed;
  assert.ok(
    (await source.users.update(USER, { phone: "+447700900123" }).catch((
      e,
    ) => e)) instanceof EmbedConfigError,
  );
  fail = false;
  assert.deepEqual(
    await within(source.users.update(USER, { phone: "+447700900123" }), 10_000),
    { result: "success" },
  );
});

test("after an Invalid nonce's resend, the first retry's backoff is still the first's (below backoff.baseMs)", async () => {
  const random = Math.random;
  Math.random = () => 0.99;
  try {
    await withTimers(async (timers) => {
      const { embed, requests } = client([
        failure(401, ["EAPI:Invalid nonce"]),
        failure(500, ["EGeneral:Internal error"]),
        success(),
      ], { backoff: { baseMs: 200, capMs: 10_000 } });
      await embed.users.update(USER, { phone: "+447700900123" });
      assert.equal(requests.length, 3);
      // 0.99 × 200: the resend is an attempt, not a retry (0.99 × 400).
      assert.ok(timers.delays.includes(198), String(timers.delays));
      assert.ok(!timers.delays.includes(396), String(timers.delays));
    });
  } finally {
    Math.random = random;
  }
});
