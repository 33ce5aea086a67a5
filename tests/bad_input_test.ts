// Bad input is refused before anything is sent: every field of the patch,
// the IIBAN, every client option, the nonce source and request() arguments,
// each with a recording fetch that must stay empty.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import {
  EmbedApiError,
  EmbedClient,
  type EmbedClientOptions,
  EmbedConfigError,
  EmbedValidationError,
  type RequestOptions,
  type UserPatch,
} from "@kraken-embed/client";
import { API_KEY, fakeFetch, SECRET, success, USER } from "./_fake_fetch.ts";
import {
  IIBAN_CORPUS,
  NONCE_VALUE_CORPUS,
  OPTION_CORPUS,
  PATCH_CORPUS,
  place,
  REQUEST_CORPUS,
  WHOLE_PATCH_CORPUS,
} from "./_corpus.ts";
import { assertNames, describe, exactPath, unpack } from "./_refusal.ts";

// Everything that could send goes through this recorder: the clients' fetch
// option, and globalThis.fetch for clients made without one.
const recorder = fakeFetch(success());
const realFetch = globalThis.fetch;
let rejected = 0;

before(() => {
  globalThis.fetch = ((input: string, init: RequestInit) =>
    recorder.fetch(String(input), init ?? {})) as typeof fetch;
});

after(() => {
  globalThis.fetch = realFetch;
  console.log(
    `summary: bad input: ${rejected} rejected, ${recorder.requests.length} sent`,
  );
});

function client(options: Partial<EmbedClientOptions> = {}): EmbedClient {
  return new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: recorder.fetch,
    maxRetries: 0,
    ...options,
  });
}

test("every field of the patch refuses at least 8 bad values, naming the field", async () => {
  const embed = client();
  let cases = 0;
  for (const [field, values] of PATCH_CORPUS) {
    assert.ok(values.length >= 8, `${field}: only ${values.length} values`);
    for (const entry of values) {
      const { value, at } = unpack(entry);
      const patch = place(field, value);
      const where = `${field} = ${describe(value)}`;
      const error = await embed.users.update(USER, patch as UserPatch).then(
        () => undefined,
        (e) => e,
      );
      assertNames(error, "patch", field, exactPath(field, value, at), where);
      rejected++;
      cases++;
    }
  }
  assert.ok(cases > 8 * PATCH_CORPUS.length);
  assert.equal(recorder.requests.length, 0);
});

test("a patch that is not an object, is empty, or has an unknown key is refused", async () => {
  const embed = client();
  for (const [patch, path] of WHOLE_PATCH_CORPUS) {
    const error = await embed.users.update(USER, patch as UserPatch).then(
      () => undefined,
      (e) => e,
    );
    assertNames(error, "patch", path, path, describe(patch));
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("the IIBAN refuses bad values, in update() and get(), before anything is sent", async () => {
  const embed = client();
  assert.ok(IIBAN_CORPUS.length >= 8);
  for (const user of IIBAN_CORPUS) {
    const error = await embed.users.update(user as string, {
      language: "en",
    }).then(() => undefined, (e) => e);
    assertNames(error, "user", "", "", `update: user = ${describe(user)}`);
    rejected++;
    const got = await embed.users.get(user as string).then(
      () => undefined,
      (e) => e,
    );
    assertNames(got, "user", "", "", `get: user = ${describe(user)}`);
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("every client option refuses at least 8 bad values with an EmbedConfigError naming it", () => {
  for (const [field, values] of OPTION_CORPUS) {
    assert.ok(values.length >= 8, `${field}: only ${values.length} values`);
    for (const entry of values) {
      const { value, at } = unpack(entry);
      const options = field === "options" ? value : {
        apiKey: API_KEY,
        apiSecret: SECRET,
        fetch: recorder.fetch,
        [field]: value,
      };
      const where = `${field} = ${describe(value)}`;
      assert.throws(
        () => new EmbedClient(options as EmbedClientOptions),
        (error) => {
          assert.ok(error instanceof EmbedConfigError, `${where}: ${error}`);
          assert.equal(error.field, at ?? field, where);
          assert.equal(error.code, "ERR_EMBED_CONFIG", where);
          // A key or secret that was refused is not quoted back.
          if (
            (field === "apiKey" || field === "apiSecret") &&
            typeof value === "string" && value.length >= 4
          ) {
            assert.ok(!error.message.includes(value), where);
          }
          return true;
        },
        where,
      );
      rejected++;
    }
  }
  assert.equal(recorder.requests.length, 0);
});

test("a secret given as a CryptoKey must be an HMAC SHA-512 signing key", async () => {
  const keys: CryptoKey[] = [
    await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
      "encrypt",
    ]) as CryptoKey,
    await crypto.subtle.generateKey(
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    ) as CryptoKey,
    await crypto.subtle.generateKey(
      { name: "HMAC", hash: "SHA-512" },
      false,
      ["verify"],
    ) as CryptoKey,
    (await crypto.subtle.generateKey(
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    ) as CryptoKeyPair).privateKey,
    // Looks like a signing key, but WebCrypto would refuse it.
    {
      type: "secret",
      extractable: false,
      algorithm: { name: "HMAC", hash: { name: "SHA-512" }, length: 512 },
      usages: ["sign"],
    } as unknown as CryptoKey,
  ];
  for (const apiSecret of keys) {
    assert.throws(
      () => client({ apiSecret }),
      (error) =>
        error instanceof EmbedConfigError && error.field === "apiSecret" &&
        // A real CryptoKey of another kind is said to be one, not bad
        // base64; the look-alike is no CryptoKey at all.
        (!(apiSecret instanceof CryptoKey) ||
          /a CryptoKey for HMAC SHA-512 that can sign/.test(
            error.message,
          )),
    );
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("a nonce source that returns anything but an unsigned 64-bit integer fails the call unsent", async () => {
  const sources: [string, () => unknown][] = NONCE_VALUE_CORPUS.map((
    value,
  ) => [describe(value), () => value]);
  sources.push(
    ["a source that throws", () => {
      throw new Error("counter down");
    }],
    ["a source that rejects", () => Promise.reject(new Error("counter down"))],
    ["a promise of a bad value", () => Promise.resolve(-5n)],
  );
  for (const [where, nonce] of sources) {
    const embed = client({ nonce: nonce as () => string });
    const error = await embed.users.update(USER, { language: "en" }).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(error instanceof EmbedConfigError, `${where}: ${error}`);
    assert.equal(error.field, "nonce", where);
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("request() refuses bad methods, paths, queries, bodies, signals and idempotent flags", async () => {
  const embed = client();
  for (const [target, changes] of REQUEST_CORPUS) {
    assert.ok(changes.length >= 7, `${target}: only ${changes.length} values`);
    for (const change of changes) {
      const options = {
        method: "POST",
        path: "/b2b/quotes",
        ...change as object,
      } as RequestOptions;
      const where = `${target}: ${describe(change)}`;
      const error = await embed.request(options).then(
        () => undefined,
        (e) => e,
      );
      assert.ok(error instanceof EmbedValidationError, `${where}: ${error}`);
      assert.equal(error.target, target, where);
      rejected++;
    }
  }
  assert.equal(recorder.requests.length, 0);
});

test("request() refuses a body nested deeper than the stack as the body at every depth, never as an unreadable request", async () => {
  // JSON.stringify of the checked copy, whose objects have no prototype,
  // overflows at a depth the check itself passes (2,250 to 3,749 levels in
  // Node, 3,590 to about 5,000 in Deno): that was refused as the request.
  // A body that can be sent is: to a fetch of its own, not the recorder
  // that must see nothing.
  const embed = client({ fetch: fakeFetch(success()).fetch });
  let refused = 0;
  for (let depth = 1_000; depth <= 20_000; depth += 250) {
    let body: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < depth; i++) body = { a: body };
    const error = await embed.request({
      method: "POST",
      path: "/b2b/quotes",
      body,
    }).then(() => undefined, (e) => e);
    if (error === undefined) continue;
    assert.ok(error instanceof EmbedValidationError, `${depth}: ${error}`);
    assert.equal(error.target, "body", `${depth}: ${error.message}`);
    refused++;
  }
  assert.ok(refused > 0, "no depth refused");
  rejected++;
});

// What request() makes of a body whose getter throws `thrown`: a refusal on
// body of its own, that says nothing was done, and nothing sent.
async function refusedAroundGetter(thrown: unknown): Promise<void> {
  const error = await client().request({
    method: "POST",
    path: "/b2b/quotes",
    body: {
      get amount() {
        throw thrown;
      },
    },
  }).then(() => undefined, (e) => e);
  assert.ok(error instanceof EmbedValidationError, String(error));
  assert.notEqual(error, thrown);
  assert.equal(error.target, "body");
  assert.equal(error.mayHaveTakenEffect, false);
  assert.equal(recorder.requests.length, 0);
  rejected++;
}

test("request()'s body getter that throws another call's EmbedApiError is refused on body, nothing sent, not passed on as that error", async () => {
  const earlier = new EmbedApiError("Kraken answered 500", { status: 500 });
  (earlier as { mayHaveTakenEffect?: boolean }).mayHaveTakenEffect = true;
  await refusedAroundGetter(earlier);
});

test("request()'s body getter that throws another call's EmbedValidationError is refused on body with an error of its own", async () => {
  const embed = client();
  const earlier = await embed.users.update(USER, { language: "xx" } as never)
    .then(() => undefined, (e) => e);
  assert.ok(earlier instanceof EmbedValidationError, String(earlier));
  assert.equal(earlier.target, "patch");
  await refusedAroundGetter(earlier);
  // Another request()'s own refusal on body, thrown by a getter: a new one.
  const other = await embed.request({
    method: "POST",
    path: "/b2b/quotes",
    body: { deep: { amount: NaN } },
  }).then(() => undefined, (e) => e);
  assert.ok(other instanceof EmbedValidationError, String(other));
  assert.equal(other.issues[0]?.path, "deep.amount");
  await refusedAroundGetter(other);
  rejected += 2;
});

test("request() arguments that are not an object are refused as the request, not as a missing method", async () => {
  const embed = client();
  for (const options of [42, "GET /b2b/assets", () => "GET", true, null]) {
    const where = describe(options);
    const error = await embed.request(options as never).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(error instanceof EmbedValidationError, `${where}: ${error}`);
    assert.equal(error.target, "request", where);
    assert.match(error.message, /Expected an object with method and path/);
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("request() refuses a body or query that JSON or a URL would change, an unknown option and a schema that is not valibot's, naming where", async () => {
  const embed = client();
  const cyclic: Record<string, unknown> = { id: 1 };
  cyclic.self = cyclic;
  class Quote {
    amount = 1;
  }
  const bad: Array<[object, string, string]> = [
    [{ body: { amount: NaN } }, "body", "amount"],
    [{ body: { amount: -Infinity } }, "body", "amount"],
    [{ body: { tags: new Map([["a", 1]]) } }, "body", "tags"],
    [{ body: { at: new Date(0) } }, "body", "at"],
    // deno-lint-ignore no-sparse-arrays
    [{ body: { ids: [1, , 3] } }, "body", "ids.1"],
    [{ body: { ids: [1, undefined] } }, "body", "ids.1"],
    [{ body: { run: () => 1 } }, "body", "run"],
    [{ body: { big: 1n } }, "body", "big"],
    [{ body: { name: "Zo\ud800e" } }, "body", "name"],
    // A key without a field name's shape is shown by its length.
    [{ body: { ["\udc00"]: 1 } }, "body", "[1-character key]"],
    [{ body: cyclic }, "body", "self"],
    [{ body: new Quote() }, "body", ""],
    [{ body: { a: { b: [{ c: NaN }] } } }, "body", "a.b.0.c"],
    [{ query: { amount: NaN } }, "query", "amount"],
    [{ query: { amount: Infinity } }, "query", "amount"],
    [{ query: { name: "Zo\ud800e" } }, "query", "name"],
    [{ query: { ["\ud800"]: "x" } }, "query", "[1-character key]"],
    [{ data: { amount: 1 } }, "request", "data"],
    [{ qurey: { user: USER } }, "request", "qurey"],
    [{ signl: AbortSignal.abort() }, "request", "signl"],
    [{ schema: { "~standard": { version: 1 } } }, "schema", ""],
    [{ schema: "valibot" }, "schema", ""],
    // An async schema's check is a promise: the result would be lost.
    [{ schema: v.objectAsync({}) }, "schema", ""],
    [{ schema: { "~run": () => ({}) } }, "schema", ""],
    // A URLSearchParams or a Map would be sent as no query at all.
    [{ query: new URLSearchParams({ user: USER }) }, "query", ""],
    [{ query: new Map([["user", USER]]) }, "query", ""],
    [{ query: new Quote() }, "query", ""],
    // JSON text, as fetch takes a body: it would be sent as one JSON string.
    [{ body: JSON.stringify({ amount: 1 }) }, "body", ""],
  ];
  for (const [change, target, path] of bad) {
    const where = describe(change);
    const error = await embed.request(
      { method: "POST", path: "/b2b/quotes", ...change } as RequestOptions,
    ).then(() => undefined, (e) => e);
    assertNames(error, target, path, path, where);
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("a key without a field name's shape shows in an issue's path by its length: it cannot pass for a nested field, forge a log line or fill one", async () => {
  const embed = client();
  const forged = "x\n2026-12-06T00:00:00Z INFO payout approved\u2028";
  const long = "k".repeat(100_000);
  const cases: Array<[() => Promise<unknown>, string, string[]]> = [
    [
      () =>
        embed.users.update(USER, {
          phone: "+447700900123",
          "residence.country": "GB",
        } as UserPatch),
      "patch",
      ["[17-character key]"],
    ],
    [
      () =>
        embed.users.update(USER, {
          phone: "+447700900123",
          [forged]: 1,
          full_name: { first_name: "A", last_name: "B", [long]: 1 },
        } as UserPatch),
      "patch",
      [
        "full_name.[100000-character key]",
        `[${forged.length}-character key]`,
      ],
    ],
    [
      () =>
        embed.request({
          method: "POST",
          path: "/b2b/quotes",
          body: { list: [{ [forged]: NaN }] },
        }),
      "body",
      [`list.0.[${forged.length}-character key]`],
    ],
    [
      () =>
        embed.request({
          method: "GET",
          path: "/b2b/quotes",
          query: { [long]: NaN },
        }),
      "query",
      ["[100000-character key]"],
    ],
  ];
  for (const [call, target, paths] of cases) {
    const error = await call().then(() => undefined, (e) => e);
    assert.ok(error instanceof EmbedValidationError, String(error));
    assert.equal(error.target, target);
    assert.deepEqual(error.issues.map((issue) => issue.path), paths);
    // One line, printable ASCII apart from what the messages themselves say.
    assert.doesNotMatch(error.message, /[\n\r\u2028\u2029]/);
    assert.ok(error.message.length < 400, `${error.message.length} characters`);
    rejected++;
  }
  // Nested thousands of levels deep: the path is cut at 200 characters, not
  // megabytes long.
  const deepPath = async (key: string) => {
    let body: Record<string, unknown> = { leaf: NaN };
    for (let i = 0; i < 3000; i++) body = { [key]: body };
    const error = await embed.request({
      method: "POST",
      path: "/b2b/quotes",
      body,
    })
      .catch((e) => e);
    assert.ok(error instanceof EmbedValidationError, String(error));
    assert.ok(error.message.length < 400, `${error.message.length}`);
    rejected++;
    return error.issues[0].path;
  };
  // A key shown by its length, 18 characters a level.
  assert.equal(
    await deepPath("é".repeat(64)),
    "[64-character key].".repeat(11).slice(0, 200) + "...",
  );
  // Short keys: cut at 200 all the same.
  assert.equal(await deepPath("ab"), "ab.".repeat(70).slice(0, 200) + "...");
  // A call's own options and the client's: their unknown keys are quoted too.
  const callOption = await embed.users.get(USER, { [forged]: 1 } as object)
    .catch((e) => e);
  assert.deepEqual(callOption.issues.map((i: { path: string }) => i.path), [
    '"x\\n2026-12-06T00:00:00Z INFO payout approved\\u2028"',
  ]);
  assert.doesNotMatch(callOption.message, /[\n\u2028]/);
  rejected++;
  for (
    const options of [
      { apiKey: API_KEY, apiSecret: SECRET, [forged]: 1 },
      { apiKey: API_KEY, apiSecret: SECRET, backoff: { [forged]: 1 } },
    ]
  ) {
    const error = (() => {
      try {
        new EmbedClient(options as EmbedClientOptions);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof EmbedConfigError, String(error));
    assert.doesNotMatch(error.message, /[\n\u2028]/);
    assert.match(error.field, /"x\\n2026-12-06T00:00:00Z INFO/);
    rejected++;
  }
  // Names and indexes still read as a path does.
  const nested = await embed.users.update(USER, {
    tax_ids: [{ id: "1", issuing_country: "GB", $note: 1 }],
  } as unknown as UserPatch).catch((e) => e);
  assert.deepEqual(nested.issues.map((issue: { path: string }) => issue.path), [
    "tax_ids.0.$note",
  ]);
  rejected++;
  assert.equal(recorder.requests.length, 0);
});

test("request() sends the JSON it checked: own __proto__ keys kept, undefined keys left out, a getter read once, an array by its indices", async () => {
  const probe = fakeFetch(success());
  let reads = 0;
  const body = {
    // An own "__proto__" key (which Node and Bun would turn into the copy's
    // prototype if the copy had one; Deno has no __proto__ setter).
    proto: JSON.parse('{"__proto__": {"x": 1}}'),
    bare: Object.assign(Object.create(null), { y: [1, "two", null, true] }),
    gone: undefined,
    get amount() {
      return reads++ === 0 ? 5 : NaN;
    },
    // An iterator of its own, which JSON.stringify does not use: the array's
    // indices are sent.
    ids: Object.assign([1, 2, 3], {
      *[Symbol.iterator]() {
        yield 1;
      },
    }),
  };
  await client({ fetch: probe.fetch }).request({
    method: "POST",
    path: "/b2b/quotes",
    body,
  });
  assert.equal(probe.requests.length, 1);
  assert.equal(
    probe.requests[0].body,
    '{"proto":{"__proto__":{"x":1}},"bare":{"y":[1,"two",null,true]},"amount":5,"ids":[1,2,3]}',
  );
  assert.equal(reads, 1);
});

test("per-call options of users.update() must be { signal?: AbortSignal }", async () => {
  const embed = client();
  const bad: Array<[unknown, string]> = [
    ["abort", ""],
    [42, ""],
    [null, ""],
    [true, ""],
    [{ signal: "abort" }, "signal"],
    [{ signal: {} }, "signal"],
    [{ signal: new AbortController() }, "signal"],
    [{ signal: null }, "signal"],
    [{ timeout: 5 }, "timeout"],
    [{ signl: AbortSignal.timeout(1000) }, "signl"],
  ];
  for (const [options, path] of bad) {
    const error = await embed.users.update(
      USER,
      { language: "en" },
      options as {
        signal?: AbortSignal;
      },
    ).then(() => undefined, (e) => e);
    assertNames(error, "options", path, path, describe(options));
    rejected++;
  }
  assert.equal(recorder.requests.length, 0);
});

test("a patch's unknown key is named when it has a field name's shape, up to 64 characters, and shown by its length otherwise, so a tax ID, an email or a phone number used as a key stays out of the message", async () => {
  const embed = client();
  const sixtyFour = "k-".repeat(32);
  const personal = ["123-45-6789", "ada@example.com", "+447700900123"];
  const error = await embed.users.update(USER, {
    phone: "+447700900123",
    // Named: a field name's shape, a "-" quoted as JSON.
    phone_number: 1,
    firstName: 1,
    line2: 1,
    address_line_12: 1,
    [sixtyFour]: 1,
    // By their length: 65 characters, a DEL, letters not ASCII, digits
    // inside or more than two at the end, and personal data.
    [sixtyFour + "k"]: 1,
    "a\u007fb": 1,
    ["\u00e9".repeat(64)]: 1,
    QQ123456C: 1,
    line123: 1,
    ...Object.fromEntries(personal.map((key) => [key, 1])),
  } as UserPatch).then(() => undefined, (e) => e);
  assert.ok(error instanceof EmbedValidationError, String(error));
  assert.deepEqual(error.issues.map((issue) => issue.path), [
    "phone_number",
    "firstName",
    "line2",
    "address_line_12",
    // Not cut: no "..." after a key that is whole.
    `"${sixtyFour}"`,
    "[65-character key]",
    "[3-character key]",
    "[64-character key]",
    "[9-character key]",
    "[7-character key]",
    "[11-character key]",
    "[15-character key]",
    "[13-character key]",
  ]);
  for (const key of [...personal, "QQ123456C", "line123"]) {
    assert.ok(!error.message.includes(key), `${key} in ${error.message}`);
  }
  rejected++;
  // Inside a tax ID, kept as a map from the ID to its country.
  const map = await embed.users.update(USER, {
    tax_ids: [{ "123-45-6789": "US" }],
  } as unknown as UserPatch).then(() => undefined, (e) => e);
  assert.ok(map instanceof EmbedValidationError, String(map));
  assert.ok(map.issues.some((i) => i.path === "tax_ids.0.[11-character key]"));
  assert.doesNotMatch(map.message, /123-45-6789|6789/);
  rejected++;
  assert.equal(recorder.requests.length, 0);
});

test("nothing reached fetch, and the recorder itself works", async () => {
  assert.equal(recorder.requests.length, 0);
  assert.ok(rejected >= 400, `only ${rejected} rejections`);
  // The same clients do send once the input is good: the checks above are
  // not passing only because nothing could ever be sent.
  const probe = fakeFetch(success());
  await client({ fetch: probe.fetch }).users.update(USER, { language: "en" });
  assert.equal(probe.requests.length, 1);
});
