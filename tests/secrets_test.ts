import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { runInNewContext } from "node:vm";
import {
  EmbedApiError,
  EmbedClient,
  type EmbedClientOptions,
  EmbedError,
  EmbedNetworkError,
  importSecret,
  signRequest,
} from "@kraken-embed/client";
import {
  API_KEY,
  failedUpdate,
  failure,
  fakeClient,
  fakeFetch,
  type Reply,
  SECRET,
  success,
  USER,
} from "./_fake_fetch.ts";
import { watchingImports } from "./_imports.ts";

const SECRET_HEX = Buffer.from(SECRET, "base64").toString("hex");
const denoInspect =
  (globalThis as { Deno?: { inspect(v: unknown, o?: unknown): string } }).Deno
    ?.inspect;

function renderings(value: unknown): string[] {
  const out = [
    String(value),
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    safeJson(value),
  ];
  if (denoInspect) {
    out.push(denoInspect(value, { depth: Infinity, showHidden: true }));
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? "", String(value.cause ?? ""));
  }
  return out;
}

/** No rendering of `value` holds the API key; `label` prefixes each failure. */
function assertNoKey(value: unknown, label?: string): void {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(API_KEY), label ? `${label}: ${text}` : text);
  }
}

/** What an error quotes from outside: its message, body, errors and trace id. */
function quotedBy(error: {
  message: string;
  body?: unknown;
  errors?: string[];
  traceId?: unknown;
}): string {
  return [
    error.message,
    String(error.body ?? ""),
    (error.errors ?? []).join(" "),
    String(error.traceId ?? ""),
  ].join("\n");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(
      value,
      (_, v) => typeof v === "bigint" ? String(v) : v,
    ) ?? "";
  } catch (error) {
    return String(error);
  }
}

test("no secret, secret bytes or API-Sign value appears in any error, inspect or JSON output", async () => {
  const signs: string[] = [];
  const texts: string[] = [];
  const scenarios: Array<
    [
      string,
      Reply[],
      Partial<EmbedClientOptions>,
      (c: EmbedClient) => Promise<unknown>,
    ]
  > = [
    [
      "success",
      [success()],
      {},
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "api error",
      [failure(400, ["EGeneral:Invalid arguments"])],
      {},
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "invalid nonce",
      [failure(401, ["EAPI:Invalid nonce"])],
      {},
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "non-JSON",
      [new Response("<html>oops</html>", { status: 502 })],
      {},
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "wrong shape",
      [Response.json({ result: 1 })],
      {},
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "network",
      [new TypeError("fetch failed")],
      {},
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "timeout",
      ["hang"],
      { timeoutMs: 20, maxRetries: 1 },
      (c) => c.users.update(USER, { language: "en" }),
    ],
    [
      "abort",
      ["hang"],
      {},
      (c) =>
        c.users.update(USER, { language: "en" }, {
          signal: AbortSignal.timeout(20),
        }),
    ],
    [
      "validation",
      [success()],
      {},
      (c) => c.users.update(USER, { phone: "x" }),
    ],
    [
      "bad request",
      [success()],
      {},
      (c) => c.request({ method: "GET", path: "bad" }),
    ],
    [
      "bad nonce source",
      [success()],
      { nonce: () => "x" },
      (c) => c.users.update(USER, { language: "en" }),
    ],
  ];
  for (const [name, replies, options, call] of scenarios) {
    const { embed: client, requests } = fakeClient(replies, {
      backoff: { baseMs: 1, capMs: 2 },
      ...options,
    });
    const outcome = await call(client).catch((error) => error);
    texts.push(...renderings(outcome).map((t) => `${name}: ${t}`));
    texts.push(...renderings(client), ...renderings(client.users));
    for (const request of requests) {
      signs.push(request.headers["api-sign"]);
    }
  }
  // Errors thrown synchronously by configuration and key import.
  for (const bad of ["", "%%%", SECRET + "!", SECRET.slice(0, -2) + " ="]) {
    try {
      new EmbedClient({ apiKey: API_KEY, apiSecret: bad });
    } catch (error) {
      texts.push(...renderings(error));
    }
    texts.push(...renderings(await importSecret(bad).catch((error) => error)));
  }
  texts.push(...renderings(await importSecret(SECRET)));
  texts.push(
    ...renderings(
      await signRequest({ secret: SECRET, nonce: "x", path: "/" }).catch((e) =>
        e
      ),
    ),
  );

  assert.ok(
    signs.length >= 10,
    `only ${signs.length} signatures were produced`,
  );
  const needles = [SECRET, SECRET_HEX, SECRET.slice(0, 24), ...signs];
  const haystack = texts.join("\n");
  for (const needle of needles) {
    assert.ok(!haystack.includes(needle), `leaked: ${needle.slice(0, 12)}…`);
  }
  // The scan itself must be able to see a leak.
  assert.ok(renderings(new Error(SECRET)).join("").includes(SECRET));
});

test("what an error quotes from a fetch's error or an answer leaves out the API key and the signature sent", async () => {
  // A fetch wrapper, a proxy's error page and an error list that each echo
  // the request's headers, and would put them in the error's message, body
  // or errors.
  const echo = (init: RequestInit) => JSON.stringify(init.headers);
  const replies: Array<[string, Reply]> = [
    ["network", (_, init) => {
      throw new TypeError(`request failed: ${echo(init)}`);
    }],
    [
      "non-JSON",
      (_, init) => new Response(`<pre>${echo(init)}</pre>`, { status: 502 }),
    ],
    [
      "error list",
      (_, init) =>
        Response.json({ error: [`EAPI:Invalid key ${echo(init)}`] }, {
          status: 403,
        }),
    ],
    [
      "trace id",
      (_, init) =>
        new Response("Bad gateway", {
          status: 502,
          headers: { "x-trace-id": `t-1 ${echo(init)}` },
        }),
    ],
  ];
  for (const [name, reply] of replies) {
    const fake = fakeFetch(reply);
    const client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: fake.fetch,
      maxRetries: 0,
    });
    const error = await client.users.update(USER, { language: "en" }).catch((
      e,
    ) => e);
    const sign = fake.requests[0].headers["api-sign"];
    const quoted = quotedBy(error);
    assert.ok(quoted.includes("[redacted]"), `${name}: ${quoted}`);
    for (const needle of [sign, API_KEY]) {
      assert.ok(!quoted.includes(needle), `${name}: ${quoted}`);
      // Nor in the error as logged, its cause included.
      for (const text of renderings(error)) {
        assert.ok(!text.includes(needle), `${name}: ${text}`);
      }
    }
  }
});

test("an error about a users.update leaves out the personal data the patch sent, wherever an answer or a fetch's error echoes it; short codes stay", async () => {
  const patch = {
    full_name: {
      first_name: "Ada",
      middle_name: 'Zoë "Z"/2',
      last_name: "Lovelace",
    },
    date_of_birth: "1990-12-10",
    phone: "+447700900123",
    tax_ids: [{ id: "QQ123456C", issuing_country: "GB" }],
    residence: {
      line1: 'Flat "B", 12 Jermyn St',
      city: "London",
      postal_code: "SW1Y 6HP",
      country: "GB",
    },
  } as const;
  const personal = [
    "Ada",
    "Zoë",
    "Lovelace",
    "1990-12-10",
    "+447700900123",
    "447700900123",
    "QQ123456C",
    'Flat "B", 12 Jermyn St',
    'Flat \\"B\\", 12 Jermyn St',
    "SW1Y 6HP",
    "SW1Y%206HP",
    // Inside every form of the first line.
    "Jermyn",
  ];
  const replies: Array<[string, Reply]> = [
    ["network", (request) => {
      throw new TypeError(`request failed: ${request.body}`);
    }],
    ["network, in a property", (request) => {
      throw Object.assign(new TypeError("request failed"), {
        sent: request.body,
      });
    }],
    [
      "a proxy's page",
      (request) => new Response(`<pre>${request.body}</pre>`, { status: 502 }),
    ],
    ["an error list", () =>
      Response.json({
        error: [
          "EGeneral:Invalid arguments:tax_ids QQ123456C for GB",
          // Without its +, as a form may have turned it into a space.
          "EGeneral:Invalid arguments:phone 447700900123",
          "EGeneral:Invalid arguments:postal_code SW1Y%206HP",
        ],
      }, { status: 400 })],
    [
      "a 2xx that echoes the record",
      (request) => Response.json({ result: JSON.parse(request.body) }),
    ],
    [
      "a JSON echo, escaped",
      (request) => Response.json({ echo: request.body }, { status: 500 }),
    ],
    ["a trace id", (request) =>
      new Response("Bad gateway", {
        status: 502,
        headers: { "x-trace-id": `t-1 ${request.body.slice(0, 200)}` },
      })],
  ];
  for (const [name, reply] of replies) {
    const error = await failedUpdate(patch, reply);
    assert.ok(error instanceof EmbedError, name);
    const texts = [quotedBy(error), ...renderings(error)];
    // (A cause that quotes one in a property of its own is copied without
    // it, as one quoting a credential is. A 2xx's JSON is not kept at all:
    // it may echo the record's other personal data, which the patch did not
    // send.)
    if (name === "a 2xx that echoes the record") {
      assert.equal((error as EmbedApiError).body, undefined);
    } else {
      assert.ok(
        name.endsWith("property") ||
          texts.some((text) => text.includes("[redacted]")),
        `${name}: ${texts[0]}`,
      );
    }
    for (const text of texts) {
      for (const value of personal) {
        assert.ok(!text.includes(value), `${name}: ${value} in ${text}`);
      }
    }
    if (name === "an error list") {
      // Codes (a country, a language) are left: taken out, they would leave
      // nothing of the text around them.
      assert.match(
        (error as EmbedApiError).errors?.[0] ?? "",
        /^EGeneral:Invalid arguments:tax_ids \[redacted\] for GB$/,
      );
    }
  }
  // A request() body is not looked through: its values (an asset, an
  // amount) are what an error about it must show.
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: fakeFetch(failure(400, ["EQuery:Unknown asset XTZZ"])).fetch,
  });
  const error = await client.request({
    method: "POST",
    path: "/b2b/quotes",
    body: { asset: "XTZZ" },
  }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.deepEqual(error.errors, ["EQuery:Unknown asset XTZZ"]);
});

test("an answer, a trace id or a fetch's error that echoes an earlier attempt's signature of the call leaves it out too", async () => {
  // A proxy's page, an access log or a fetch wrapper that lists the requests
  // it saw: after two Kraken 503s (not processed, so their nonces may be
  // unused and their signatures replayable under a nonce window), the last
  // attempt's failure quotes all three attempts' API-Sign values.
  const seen: string[] = [];
  const echo = (request: { headers: Record<string, string> }) => {
    seen.push(request.headers["api-sign"]);
    return seen.join(" | ");
  };
  const unavailable: Reply = (request) => {
    echo(request);
    return failure(503, ["EService:Unavailable"]);
  };
  const last: Array<[string, Reply]> = [
    [
      "non-JSON page",
      (request) => new Response(`<pre>${echo(request)}</pre>`, { status: 400 }),
    ],
    [
      "error list",
      (request) =>
        Response.json({ error: [`EGeneral:Bad ${echo(request)}`] }, {
          status: 400,
        }),
    ],
    ["trace id", (request) =>
      new Response("Bad request", {
        status: 400,
        headers: { "x-trace-id": `t-1 ${echo(request)}` },
      })],
    ["network", (request) => {
      throw new TypeError(`request failed: ${echo(request)}`);
    }],
  ];
  for (const [name, reply] of last) {
    seen.length = 0;
    const { embed, requests } = fakeClient([unavailable, unavailable, reply]);
    const error = await embed.users.update(USER, { language: "en" }).catch((
      e,
    ) => e);
    assert.equal(requests.length, 3, name);
    assert.equal(seen.length, 3, name);
    const quoted = quotedBy(error);
    assert.ok(quoted.includes("[redacted]"), `${name}: ${quoted}`);
    for (const [i, sign] of seen.entries()) {
      for (const text of renderings(error)) {
        assert.ok(!text.includes(sign), `${name}: attempt ${i + 1}: ${text}`);
      }
    }
  }
});

test("an echo of the signature JSON-escaped, percent-encoded, in a name or cut by the excerpt is left out too", async () => {
  // A nonce whose signature holds a "/", which a JSON encoder may write as
  // "\/": found by signing, so that the test does not depend on chance.
  let nonce = 0;
  let sign = "";
  while (!sign.includes("/") || !sign.includes("+")) {
    const fake = fakeFetch(success());
    const fixed = String(++nonce);
    await new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: fake.fetch,
      nonce: () => fixed,
    }).users.update(USER, { language: "en" });
    sign = fake.requests[0].headers["api-sign"];
  }
  const escaped = sign.replaceAll("/", "\\/");
  const encoded = encodeURIComponent(sign);
  // Every run of 16 characters of the signature: a part of it is a leak too.
  const leaks = (text: string) => {
    for (let i = 0; i + 16 <= sign.length; i++) {
      if (text.includes(sign.slice(i, i + 16))) return true;
    }
    return text.includes(escaped.slice(0, 24)) ||
      text.includes(encoded.slice(-24));
  };
  // Copies of the signature one after the other, from 44 characters in: one
  // of them crosses the excerpt's 500th character plus the room a cut before
  // the redaction left, whatever the API key's length.
  const copies = "x".repeat(44) + sign.repeat(12);
  const replies: Array<[string, Reply]> = [
    [
      "escaped",
      new Response(`{"headers":{"API-Sign":"${escaped}"}}`, {
        status: 502,
      }),
    ],
    ["encoded", new Response(`sign=${encoded}`, { status: 502 })],
    [
      "encoded trace id",
      new Response("Bad gateway", {
        status: 502,
        headers: { "x-trace-id": `t-1 ${encoded}` },
      }),
    ],
    ["copies", new Response(copies, { status: 502 })],
    [
      "copies in a trace id",
      new Response("Bad gateway", {
        status: 502,
        headers: { "x-trace-id": copies },
      }),
    ],
    ["encoded, thrown", new Error(`failed: sign=${encoded}`)],
    // Other encoders rewrite the "+", "/" and "=" their own way: .NET's
    // JSON, Go's html/template, lower-case hex, Python's quote() (which
    // keeps the "/").
    [
      "\\u002B-escaped",
      new Response(
        `{"API-Sign":"${sign.replaceAll("+", "\\u002B")}"}`,
        { status: 502 },
      ),
    ],
    [
      "HTML entities",
      new Response(`<td>${sign.replaceAll("+", "&#43;")}</td>`, {
        status: 403,
      }),
    ],
    [
      "lower-case hex, thrown",
      new Error(
        `request failed: api-sign=${
          encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())
        }`,
      ),
    ],
    [
      "quote()",
      new Response(
        JSON.stringify({
          error: [`EGateway:Forbidden ?sign=${encoded.replaceAll("%2F", "/")}`],
        }),
        { status: 403 },
      ),
    ],
    [
      "in a name, thrown",
      (() => {
        const error = new Error("failed");
        Object.assign(error, { [`API-Sign: ${sign}`]: true });
        return error;
      })(),
    ],
  ];
  for (const [name, reply] of replies) {
    const fake = fakeFetch(reply);
    const fixed = String(nonce);
    const client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: fake.fetch,
      nonce: () => fixed,
      maxRetries: 0,
    });
    const error = await client.users.update(USER, { language: "en" }).catch((
      e,
    ) => e);
    assert.equal(fake.requests[0].headers["api-sign"], sign);
    assert.ok(
      error.code === "ERR_EMBED_API" || error.code === "ERR_EMBED_NETWORK",
    );
    for (const text of renderings(error)) {
      assert.ok(!leaks(text), `${name}: ${text}`);
    }
    if (error.code === "ERR_EMBED_API") {
      assert.match(
        `${error.body}${error.traceId}${error.errors}`,
        /\[redacted\]/,
        name,
      );
    } else {
      // Redacted copies: the caller's own error is not kept.
      assert.notEqual(error.cause, reply, name);
    }
  }
});

test("an answer's excerpt is redacted from its start only, and from the whole where what was taken out pulls a credential its cut halved into the excerpt", async () => {
  // An API key of 1,000 characters, each 4 hex digits of a count, so that
  // any run of 16 of them is the key's own.
  const key = Array.from(
    { length: 250 },
    (_, i) => i.toString(16).padStart(4, "0"),
  ).join("");
  const leaks = (text: string) => {
    for (let i = 0; i + 16 <= key.length; i++) {
      if (text.includes(key.slice(i, i + 16))) return true;
    }
    return false;
  };
  const excerpt = async (body: string) => {
    const fake = fakeFetch(new Response(body, { status: 502 }));
    const error = await new EmbedClient({
      apiKey: key,
      apiSecret: SECRET,
      fetch: fake.fetch,
    }).request({ method: "POST", path: "/b2b/quotes", body: {} })
      .catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    return error.body as string;
  };
  // The start looked through is the excerpt's 500 characters and room for
  // the longest form of a credential (3 × 1,000 here) or a spelled text
  // (8,704): 9,204. The
  // tenth copy runs from 9,000 to 10,000, across that cut; the nine before
  // it shrink to 90 characters, which would bring its first 204 into the
  // excerpt, unredacted, were the start not redacted again whole.
  const body = key.repeat(10) + " and the rest of a long page".repeat(1_000);
  const kept = await excerpt(body);
  assert.ok(!leaks(kept), kept);
  assert.equal(kept.slice(0, 100), "[redacted]".repeat(10));
  // A copy across the excerpt's own end, in a page past the cut: left out.
  const across = "x".repeat(450) + key + "y".repeat(20_000);
  const end = await excerpt(across);
  assert.ok(!leaks(end), end);
  assert.equal(end, "x".repeat(450) + "[redacted]" + "y".repeat(40));
});

test("a fetch's error that quotes the credentials is kept as a redacted copy; one that does not is kept as thrown", async () => {
  const echo = (init: RequestInit) => JSON.stringify(init.headers);
  const failing = (reject: (init: RequestInit) => unknown) => {
    const fake = fakeFetch((_, init) => {
      throw reject(init);
    });
    const client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: fake.fetch,
      maxRetries: 0,
    });
    return { client, fake };
  };
  const thrown: unknown[] = [];
  // Each as rendered when thrown, to hold the client to leaving it as it was.
  const views: string[] = [];
  for (
    const reject of [
      (init: RequestInit) => new TypeError(`failed: ${echo(init)}`),
      (init: RequestInit) => {
        const error = new RangeError("failed");
        error.stack = `RangeError: failed\n    at ${echo(init)}`;
        return error;
      },
      (init: RequestInit) => `failed: ${echo(init)}`,
      // Not an Error: what some fetch wrappers reject with.
      (init: RequestInit) => ({ message: `failed: ${echo(init)}` }),
      // An Error of another realm (a test environment's, an iframe's).
      (init: RequestInit) =>
        runInNewContext("new Error(message)", {
          message: `failed: ${echo(init)}`,
        }),
      // The credentials only in a property, as an HTTP library's error
      // carries its request's configuration; a code worth keeping.
      (init: RequestInit) =>
        Object.assign(new Error("failed"), {
          code: "ECONNRESET",
          config: { headers: init.headers },
        }),
      // In a code: it is kept, redacted.
      () => Object.assign(new Error("failed"), { code: `E ${API_KEY}` }),
      // Only in the cause of the cause, as the runtime's own "fetch failed"
      // wraps the error underneath.
      (init: RequestInit) =>
        new TypeError("fetch failed", {
          cause: new Error("socket", { cause: new Error(echo(init)) }),
        }),
      // The credentials inside what its own properties do not show: a Map,
      // Headers (as some fetch wrappers' errors carry them).
      (init: RequestInit) =>
        Object.assign(new Error("failed"), {
          headers: new Map(Object.entries(init.headers as object)),
        }),
      (init: RequestInit) =>
        Object.assign(new Error("failed"), {
          headers: new Headers(init.headers),
        }),
      // Too large to look through: a megabyte of bytes, an array of a
      // thousand entries.
      () =>
        Object.assign(new Error("failed"), { data: new Uint8Array(2 ** 20) }),
      () => Object.assign(new Error("failed"), { list: Array(1000).fill("x") }),
      // A value that throws when looked at.
      () => ({
        get message() {
          throw new Error("no");
        },
      }),
    ]
  ) {
    const { client, fake } = failing((init) => {
      const error = reject(init);
      thrown.push(error);
      views.push(inspect(error, { depth: Infinity }));
      return error;
    });
    const error = await client.users.update(USER, { language: "en" }).catch((
      e,
    ) => e);
    const sign = fake.requests[0].headers["api-sign"];
    for (const text of renderings(error)) {
      for (const needle of [sign, API_KEY]) {
        assert.ok(!text.includes(needle), text);
      }
    }
    const original = thrown.at(-1) as Record<string, unknown>;
    if (typeof original === "string") {
      assert.equal(typeof error.cause, "string");
      assert.match(error.cause, /\[redacted\]/);
      continue;
    }
    // A copy, an Error of this realm, with what can be kept of the original.
    assert.notEqual(error.cause, original);
    assert.ok(error.cause instanceof Error);
    if (Object.getOwnPropertyDescriptor(original, "message")?.get) {
      // The value that throws: nothing of it could be read.
      assert.equal(error.cause.message, "The fetch's error could not be read");
      continue;
    }
    const redacted = (text: unknown) =>
      String(text).replaceAll(sign, "[redacted]").replaceAll(
        API_KEY,
        "[redacted]",
      );
    assert.equal(error.cause.name, original.name ?? "Error");
    assert.equal(
      error.cause.code,
      typeof original.code === "string" ? redacted(original.code) : undefined,
    );
    assert.equal(error.cause.message, redacted(original.message));
    // The caller's own error is not changed.
    assert.equal(inspect(original, { depth: Infinity }), views.at(-1));
  }
  // The copy keeps the chain of causes, each redacted.
  const chained = await failing(() =>
    new TypeError("fetch failed", {
      cause: new Error(`socket ${API_KEY}`, { cause: new Error("reset") }),
    })
  ).client.users.update(USER, { language: "en" }).catch((e) => e);
  assert.equal(chained.cause.message, "fetch failed");
  assert.ok(chained.cause.cause instanceof Error);
  assert.equal(chained.cause.cause.message, "socket [redacted]");
  assert.equal(chained.cause.cause.cause?.message, "reset");
  // An error that quotes nothing of the request is the cause itself.
  const plain = new TypeError("connection reset");
  const { client } = failing(() => plain);
  const error = await client.users.update(USER, { language: "en" }).catch((
    e,
  ) => e);
  assert.equal(error.cause, plain);
  // Not a plain object, an array or an error (its message a getter on its
  // prototype, which throws): not looked through, so replaced by a copy, and
  // the error is made all the same.
  const odd = Object.create({
    get message(): string {
      throw new Error("no");
    },
  });
  const oddError = await failing(() => odd).client.users.update(USER, {
    language: "en",
  }).catch((e) => e);
  assert.equal(oddError.name, "EmbedNetworkError");
  assert.notEqual(oddError.cause, odd);
  assert.equal(oddError.cause.message, "The fetch's error could not be read");
});

test("the client imports its secret once, on its first request, as a non-extractable signing key, and zeroes the decoded bytes", async () => {
  await watchingImports(async (imports) => {
    const fake = fakeFetch(success());
    const client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: fake.fetch,
    });
    assert.equal(imports.length, 0, "imported when built");
    await client.users.update(USER, { language: "en" });
    await client.users.update(USER, { language: "fr" });
    assert.equal(fake.requests.length, 2);
    assert.equal(imports.length, 1, "imported once");
    const [{ args, bytes }] = imports;
    const [format, data, algorithm, extractable, usages] = args;
    assert.equal(format, "raw");
    assert.deepEqual(bytes, [...Buffer.from(SECRET, "base64")]);
    assert.deepEqual(algorithm, { name: "HMAC", hash: "SHA-512" });
    assert.equal(extractable, false);
    assert.deepEqual(usages, ["sign"]);
    assert.ok(
      (data as Uint8Array).every((byte) => byte === 0),
      "the decoded secret is zeroed once imported",
    );
  });
});

test("the client's own rendering names it without its secret or full API key", () => {
  const client = new EmbedClient({ apiKey: API_KEY, apiSecret: SECRET });
  for (const text of renderings(client)) {
    assert.ok(!text.includes(API_KEY), text);
    assert.ok(!text.includes(SECRET), text);
  }
  assert.match(String(client), /EmbedClient/);
  assert.deepEqual(JSON.parse(JSON.stringify(client)), {
    type: "EmbedClient",
    baseUrl: "https://nexus.kraken.com",
    apiVersion: "2025-04-15",
    apiKey: "test…[redacted]",
  });
});

/** The error of an update whose fetch throws what `reject` returns. */
// deno-lint-ignore no-explicit-any
function updateFailingWith(reject: () => unknown): Promise<any> {
  return new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: fakeFetch(() => {
      throw reject();
    }).fetch,
    maxRetries: 0,
  }).users.update(USER, { language: "en" }).catch((e) => e);
}

test("a fetch's error is redacted in its name and in a message its prototype computes; a numeric code is kept", async () => {
  // The key in the name: the copy's name is redacted, its numeric code kept.
  const named = Object.assign(new Error("failed"), {
    name: `FetchError for ${API_KEY}`,
    code: -104,
  });
  const fromNamed = await updateFailingWith(() => named);
  assert.notEqual(fromNamed.cause, named);
  assert.equal(fromNamed.cause.name, "FetchError for [redacted]");
  assert.equal(fromNamed.cause.code, -104);
  assertNoKey(fromNamed);
  // A message computed by a getter on the error's class, which a look at
  // its own properties does not see: the error's message leaves the key out.
  class DescribedError extends Error {
    constructor() {
      super();
      this.stack = "DescribedError: request failed";
    }
    override get message(): string {
      return `request with API-Key ${API_KEY} failed`;
    }
  }
  const described = new DescribedError();
  const fromDescribed = await updateFailingWith(() => described);
  assert.equal(fromDescribed.name, "EmbedNetworkError");
  assert.equal(
    fromDescribed.message,
    "Network error after 1 attempt: request with API-Key [redacted] failed",
  );
  // The cause is a copy too: its message, read through the class, and every
  // rendering of the error leave the key out.
  assert.notEqual(fromDescribed.cause, described);
  assert.equal(
    fromDescribed.cause.message,
    "request with API-Key [redacted] failed",
  );
  assertNoKey(fromDescribed);
  // A name computed the same way is read through the class as well.
  class NamedByClass extends Error {
    constructor() {
      super("request failed");
      this.stack = "Error: request failed";
    }
    override get name(): string {
      return `FetchError for ${API_KEY}`;
    }
  }
  const fromNamedByClass = await updateFailingWith(() => new NamedByClass());
  assert.equal(fromNamedByClass.cause.name, "FetchError for [redacted]");
  assertNoKey(fromNamedByClass);
});

test("a fetch's error whose class computes its cause, code, JSON, errors, inspection or string is looked through those too", async () => {
  class CauseByClass extends Error {
    constructor() {
      super("fetch failed");
    }
    override get cause(): Error {
      return new Error(`request with API-Key ${API_KEY}`);
    }
  }
  class CodeByClass extends Error {
    constructor() {
      super("fetch failed");
    }
    get code(): string {
      return `EFETCH ${API_KEY}`;
    }
  }
  class JsonByClass extends Error {
    readonly #key = API_KEY;
    constructor() {
      super("fetch failed");
    }
    toJSON(): unknown {
      return { message: this.message, headers: { "API-Key": this.#key } };
    }
  }
  for (const Class of [CauseByClass, CodeByClass, JsonByClass]) {
    const thrown = new Class();
    const error = await updateFailingWith(() => thrown);
    assert.notEqual(error.cause, thrown, Class.name);
    assert.equal(error.cause.message, "fetch failed", Class.name);
    assertNoKey(error, Class.name);
  }
  // What Node's or Deno's inspect, or String(), shows through the class: an
  // inherited `errors`, a custom inspect method, a toString of its own, and
  // a symbol key whose description quotes the key.
  class ErrorsByClass extends Error {
    get errors(): string[] {
      return [`request with API-Key ${API_KEY}`];
    }
  }
  class InspectByClass extends Error {
    readonly #key = API_KEY;
    [Symbol.for("nodejs.util.inspect.custom")](): string {
      return `${this.message} (API-Key ${this.#key})`;
    }
    [Symbol.for("Deno.customInspect")](): string {
      return `${this.message} (API-Key ${this.#key})`;
    }
  }
  class StringByClass extends Error {
    readonly #key = API_KEY;
    override toString(): string {
      return `${this.message} (API-Key ${this.#key})`;
    }
  }
  const bySymbol = Object.assign(new Error("fetch failed"), {
    [Symbol(`API-Key ${API_KEY}`)]: true,
  });
  for (
    const thrown of [
      new ErrorsByClass("fetch failed"),
      new InspectByClass("fetch failed"),
      new StringByClass("fetch failed"),
      bySymbol,
    ]
  ) {
    const error = await updateFailingWith(() => thrown);
    const name = thrown.constructor.name;
    assert.notEqual(error.cause, thrown, name);
    assert.equal(error.cause.message, "fetch failed", name);
    assertNoKey(error, name);
  }
  // A code computed by the class that quotes nothing is kept in the copy's
  // place as it was: the error is kept as thrown.
  class Plain extends Error {
    get code(): string {
      return "ECONNRESET";
    }
  }
  const plain = new Plain("socket hang up");
  assert.equal((await updateFailingWith(() => plain)).cause, plain);
});

test("a thrown object without a message that quotes the key is copied with what String() makes of it, or says it could not be read", async () => {
  const plain = { request: { headers: { "API-Key": API_KEY } } };
  const fromPlain = await updateFailingWith(() => plain);
  assert.equal(fromPlain.cause.message, "[object Object]");
  // Without a prototype, String() itself throws.
  const bare = Object.assign(Object.create(null), plain);
  const fromBare = await updateFailingWith(() => bare);
  assert.equal(fromBare.cause.message, "The fetch's error could not be read");
  for (const error of [fromPlain, fromBare]) {
    assertNoKey(error);
  }
});

test("a fetch's error whose class has a getter of its own (the request it failed) is looked through that getter too, and copied when it quotes", async () => {
  const failing = (
    quoting: boolean,
  ): Promise<EmbedNetworkError & { cause: Error & { request?: unknown } }> =>
    new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      maxRetries: 0,
      fetch: (_url, init) => {
        class FetchError extends Error {
          #init = init;
          get request() {
            return quoting
              ? { headers: this.#init?.headers, body: this.#init?.body }
              : { method: this.#init?.method };
          }
        }
        return Promise.reject(new FetchError("fetch failed"));
      },
    }).users.update(USER, {
      full_name: { first_name: "Sean", last_name: "O'Brien" },
    }).catch((e) => e);
  const quoting = await failing(true);
  assert.ok(quoting instanceof EmbedNetworkError);
  assert.equal(quoting.cause.constructor, Error, "a copy");
  assertNoKey(quoting);
  for (const text of renderings(quoting)) {
    assert.ok(!text.includes("Brien"), text);
  }
  // A getter that quotes nothing: the error is kept as thrown.
  const plain = await failing(false);
  assert.equal(plain.cause.constructor.name, "FetchError");
  assert.deepEqual(plain.cause.request, { method: "PATCH" });
});

test("a fetch's error whose name cannot be read keeps its message", async () => {
  class Throwing extends Error {
    constructor() {
      super("fetch failed");
    }
    override get name(): string {
      throw new Error("boom");
    }
  }
  const error = await updateFailingWith(() => new Throwing());
  assert.equal(error.message, "Network error after 1 attempt: fetch failed");
  assert.equal(error.cause.message, "fetch failed");
});

test("a fetch's error of another realm that quotes nothing is kept as thrown; one nested too deep to look through is copied", async () => {
  const foreign = runInNewContext("new Error('connection reset')");
  assert.equal((await updateFailingWith(() => foreign)).cause, foreign);
  // Within the levels looked through: kept; past them: a copy.
  const shallow = Object.assign(new Error("failed"), {
    detail: { a: { b: { c: "x" } } },
  });
  assert.equal((await updateFailingWith(() => shallow)).cause, shallow);
  // The last level looked through: an object at depth 4 is read, not copied.
  const edge = Object.assign(new Error("failed"), {
    detail: { a: { b: { c: { d: "x" } } } },
  });
  assert.equal((await updateFailingWith(() => edge)).cause, edge);
  const deep = Object.assign(new Error("failed"), {
    detail: { a: { b: { c: { d: { e: "x" } } } } },
  });
  const fromDeep = await updateFailingWith(() => deep);
  assert.notEqual(fromDeep.cause, deep);
  assert.equal(fromDeep.cause.message, "failed");
  // An array as long as the budget is not looked through, nor its keys
  // listed: copied, even when sparse (its only own key is "length").
  const long = Object.assign(new Error("failed"), { slots: new Array(1000) });
  const fromLong = await updateFailingWith(() => long);
  assert.notEqual(fromLong.cause, long);
  assert.equal(fromLong.cause.message, "failed");
});

test("a fetch's error message goes into EmbedNetworkError's message on one line, escaped and cut, and the cause keeps it whole", async () => {
  // A wrapper's message can quote what a server sent (a TLS name, a proxy's
  // status line): it must not forge a log line, turn words around or fill a
  // log with megabytes.
  const text = "connect failed\n2026-12-06T00:00:00Z INFO payout approved" +
    "\r\u2028\u202e\u0007" + "z".repeat(10_000);
  const error = await updateFailingWith(() => new TypeError(text));
  assert.ok(error instanceof EmbedNetworkError, String(error));
  assert.ok(
    error.message.startsWith(
      "Network error after 1 attempt: connect failed\\u000a2026-12-06T00:00:00Z" +
        " INFO payout approved\\u000d\\u2028\\u202e\\u0007zzz",
    ),
    error.message.slice(0, 200),
  );
  assert.doesNotMatch(error.message, /[\p{Cc}\u2028\u2029\u202a-\u202e]/u);
  assert.ok(error.message.endsWith("z..."), error.message.slice(-20));
  assert.equal(
    error.message.length,
    "Network error after 1 attempt: ".length + 503,
  );
  assert.equal((error.cause as Error).message, text);
});

test("a credential found inside another does not keep the rest of the longer one from being taken out", async () => {
  // An API key that is a piece of the signature it sends: taken out first,
  // it cut the signature, whose remains were quoted.
  const fixed = "1";
  const probe = fakeFetch(success());
  await new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: probe.fetch,
    nonce: () => fixed,
  }).users.update(USER, { language: "en" });
  const sign = probe.requests[0].headers["api-sign"];
  const apiKey = sign.slice(20, 40);
  const client = new EmbedClient({
    apiKey,
    apiSecret: SECRET,
    fetch: fakeFetch(() => new Response(`echo ${sign}`, { status: 502 }))
      .fetch,
    nonce: () => fixed,
    maxRetries: 0,
  });
  const error = await client.users.update(USER, { language: "en" }).catch((
    e,
  ) => e);
  assert.equal(error.body, "echo [redacted]");
});

test("a key without +, / or = is taken out whole only, so its words stay in the text; a fetch's error holding a null-prototype object is kept as thrown", async () => {
  // The CLI's throwaway keys are emulator-<hex>: its runs of letters are
  // words, which the service's and the runtime's messages use too.
  const apiKey = "emulator-0123456789abcdef";
  const thrown = Object.assign(
    new Error("fetch failed for http://emulator.invalid:8787/b2b/users"),
    { details: Object.assign(Object.create(null), { attempt: 1 }) },
  );
  const error = await new EmbedClient({
    apiKey,
    apiSecret: SECRET,
    fetch: fakeFetch(() => {
      throw thrown;
    }).fetch,
    maxRetries: 0,
  }).users.update(USER, { language: "en" }).catch((e) => e);
  assert.match(error.message, /http:\/\/emulator\.invalid:8787/);
  // Nothing in it quotes a credential: kept as thrown, null-prototype
  // object and all (what String() would make of that object throws).
  assert.equal(error.cause, thrown);
});

test("EmbedNetworkError skips an empty or missing credential", () => {
  const error = new EmbedNetworkError(1, new Error("boom"), ["", undefined]);
  assert.equal(error.message, "Network error after 1 attempt: boom");
  assert.equal((error.cause as Error).message, "boom");
});

test("an API key of 8 characters is shown as [redacted] alone, none of it kept", () => {
  const { embed } = fakeClient([], { apiKey: "abcd1234" });
  assert.equal(JSON.parse(JSON.stringify(embed)).apiKey, "[redacted]");
  assert.ok(!String(embed).includes("abcd"));
  const longer = fakeClient([], { apiKey: "abcd12345" });
  assert.equal(
    JSON.parse(JSON.stringify(longer.embed)).apiKey,
    "abcd…[redacted]",
  );
});

test("the redacted copy of a thrown object without a stack has its name and message as its stack", async () => {
  const error = await updateFailingWith(() => ({
    message: `fetch failed for ${API_KEY}`,
  }));
  assert.equal(error.cause.message, "fetch failed for [redacted]");
  assert.equal(error.cause.stack, "Error: fetch failed for [redacted]");
});

test("a fetch's error whose class has only Node's, or only Deno's, custom inspect is copied", async () => {
  class NodeInspect extends Error {
    readonly #key = API_KEY;
    [Symbol.for("nodejs.util.inspect.custom")](): string {
      return `${this.message} (API-Key ${this.#key})`;
    }
  }
  class DenoInspect extends Error {
    readonly #key = API_KEY;
    [Symbol.for("Deno.customInspect")](): string {
      return `${this.message} (API-Key ${this.#key})`;
    }
  }
  for (const Class of [NodeInspect, DenoInspect]) {
    const thrown = new Class("fetch failed");
    const error = await updateFailingWith(() => thrown);
    assert.notEqual(error.cause, thrown, Class.name);
    assert.equal(error.cause.message, "fetch failed", Class.name);
    assertNoKey(error, Class.name);
  }
});

test("EmbedNetworkError's message leaves out a key that the cause's message getter gives only when read again", () => {
  // How often the look through an error reads its message: every read but
  // the last, which is the constructor's own.
  let reads = 0;
  class Counting extends Error {
    override get message(): string {
      reads++;
      return "fetch failed";
    }
  }
  new EmbedNetworkError(1, new Counting(), [API_KEY]);
  const looks = reads - 1;
  reads = 0;
  class Later extends Error {
    override get message(): string {
      return reads++ < looks ? "fetch failed" : `fetch failed for ${API_KEY}`;
    }
  }
  const thrown = new Later();
  const error = new EmbedNetworkError(1, thrown, [API_KEY]);
  assert.equal(error.cause, thrown);
  assert.equal(
    error.message,
    "Network error after 1 attempt: fetch failed for [redacted]",
  );
});

test("an API key holding a quote, a backslash or a slash is taken out of an answer that echoes it as sent or as JSON writes it", async () => {
  // Printable ASCII, as the client takes it; runs of fewer than 8 letters
  // and digits, so that only the escaped forms themselves can find it.
  const apiKey = 'pk"live\\2024/ab';
  const json = JSON.stringify(apiKey).slice(1, -1); // pk\"live\\2024/ab
  const php = json.replaceAll("/", "\\/"); // pk\"live\\2024\/ab
  const answered = async (reply: Reply) => {
    const fake = fakeFetch(reply);
    const client = new EmbedClient({
      apiKey,
      apiSecret: SECRET,
      fetch: fake.fetch,
      maxRetries: 0,
    });
    const error = await client.users.update(USER, { language: "en" }).catch((
      e,
    ) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(fake.requests[0].headers["api-key"], apiKey);
    return error;
  };
  // As sent too: its JSON-escaped forms differ from it, and it has no run.
  for (const echoed of [apiKey, json, php]) {
    const refused = await answered(() =>
      Response.json({ error: [`EAPI:Invalid key ${echoed}`] }, { status: 403 })
    );
    assert.deepEqual(refused.errors, ["EAPI:Invalid key [redacted]"]);
    const gateway = await answered(() =>
      new Response(`{"headers":{"API-Key":"${echoed}"}}`, { status: 502 })
    );
    assert.equal(gateway.body, '{"headers":{"API-Key":"[redacted]"}}');
    const thrown = new EmbedNetworkError(
      1,
      new Error(`failed: {"key":"${echoed}"}`),
      [apiKey],
    );
    assert.equal(
      thrown.message,
      'Network error after 1 attempt: failed: {"key":"[redacted]"}',
    );
  }
});

test("a credential is taken out whole as sent, JSON-escaped or percent-encoded, and each run of 8 or more of its letters and digits in any other form", () => {
  const sign = "abcdefgh+ijklmnop/qrstuvwx=";
  const text = [
    sign,
    sign.replaceAll("/", "\\/"),
    encodeURIComponent(sign),
    sign.replaceAll("+", "&#43;"),
  ].join(" ");
  assert.equal(
    new EmbedNetworkError(1, new Error(text), [sign]).message,
    "Network error after 1 attempt: [redacted] [redacted] [redacted] " +
      "[redacted]&#43;[redacted]/[redacted]=",
  );
  // "=" alone marks a credential whose runs are taken out too.
  const padded = "abcdefgh12==";
  assert.equal(
    new EmbedNetworkError(1, new Error("sign=abcdefgh12&#61;&#61;"), [padded])
      .message,
    "Network error after 1 attempt: sign=[redacted]&#61;&#61;",
  );
  // So does "/" alone: a secret without padding may hold no "+" or "=".
  const slashed = "abcdefgh12/ijklmnop34";
  assert.equal(
    new EmbedNetworkError(1, new Error("sign=abcdefgh12\\u002Fijklmnop34"), [
      slashed,
    ]).message,
    "Network error after 1 attempt: sign=[redacted]\\u002F[redacted]",
  );
});
