import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import vm from "node:vm";
import * as v from "valibot";
import fc from "fast-check";
import {
  EmbedApiError,
  EmbedClient,
  type EmbedClientOptions,
  EmbedError,
  EmbedTimeoutError,
  EmbedValidationError,
  GetUserResponseSchema,
} from "@kraken-embed/client";
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  MAX_BODY_BYTES,
  type RawRequest,
  type UserSeed,
} from "@kraken-embed/client/emulator";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";
import { serveFetch } from "./_serve.ts";
import { oracleSign } from "./_oracle.ts";
import { reached, withHeldTimers, within } from "./_timers.ts";

const PATH = "/b2b/users/AA95%20N84G%20TEST%20XXXX";
const ORIGIN = "http://emulator.test";

const SEEDED: UserSeed = {
  user: USER,
  external_id: "customer-1",
  full_name: { first_name: "Ada", last_name: "Lovelace" },
  residence: {
    line1: "1 High Street",
    line2: "Flat 2",
    province: "Greater London",
    city: "London",
    postal_code: "N1 9GU",
    country: "GB",
  },
  phone: "+447700900000",
  tax_ids: [{ id: "AB123456C", issuing_country: "GB" }],
  language: "en",
};

function emulatorWith(options: Partial<EmulatorOptions> = {}): Emulator {
  return createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [SEEDED],
    ...options,
  });
}

function clientOf(
  emulator: Emulator,
  options: Partial<EmbedClientOptions> = {},
): EmbedClient {
  return new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: (input, init) => emulator.fetch(new Request(input, init)),
    backoff: { baseMs: 1, capMs: 4 },
    ...options,
  });
}

// Nonces of the raw requests below: increasing, and far above the client's
// own clock-based ones would not matter, since each test has its own emulator.
let lastNonce = 1_000_000n;
const nextNonce = () => String(++lastNonce);

// The independent signer, with the emulator's test secret by default.
function signFor(
  nonce: string,
  target: string,
  body: Uint8Array | string = "",
  secret = SECRET,
): string {
  return oracleSign(secret, nonce, target, body);
}

interface Raw {
  method?: string;
  target?: string;
  body?: string | Uint8Array<ArrayBuffer> | undefined;
  nonce?: string | null;
  sign?: string | null;
  key?: string | null;
  headers?: Record<string, string>;
}

/** The headers of a signed request; `null` leaves a header out. */
function signedHeaders(raw: Raw): Headers {
  const method = raw.method ?? "PATCH";
  const target = raw.target ?? PATH;
  const nonce = raw.nonce === undefined ? nextNonce() : raw.nonce;
  const headers = new Headers(raw.headers);
  const key = raw.key === undefined ? API_KEY : raw.key;
  if (key !== null) headers.set("API-Key", key);
  if (nonce !== null) headers.set("API-Nonce", nonce);
  const sign = raw.sign === undefined
    ? signFor(nonce ?? "", target, method === "GET" ? "" : raw.body ?? "")
    : raw.sign;
  if (sign !== null) headers.set("API-Sign", sign);
  if (method === "PATCH" && !headers.has("content-type")) {
    headers.set("Content-Type", "application/json");
  }
  return headers;
}

/** Sends a request signed by the oracle through `emulator.fetch`. */
async function send(
  emulator: Emulator,
  raw: Raw = {},
): Promise<
  { status: number; body: Record<string, unknown>; response: Response }
> {
  const method = raw.method ?? "PATCH";
  const response = await emulator.fetch(
    new Request(ORIGIN + (raw.target ?? PATH), {
      method,
      headers: signedHeaders(raw),
      body: method === "GET" ? null : raw.body ?? "",
    }),
  );
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), response };
}

const errorsOf = (answer: { body: Record<string, unknown> }) =>
  answer.body.error as string[];

test("the client updates and reads back a user through the emulator in process", async () => {
  const emulator = emulatorWith();
  const client = clientOf(emulator);
  assert.deepEqual(
    await client.users.update(USER, {
      phone: "+447700900123",
      occupation: "finance",
    }),
    { result: "success" },
  );
  const body = await client.users.get(USER);
  assert.ok(v.is(GetUserResponseSchema, body));
  const { result } = body;
  assert.equal(result.user, USER);
  assert.equal(result.user_type, "individual");
  assert.deepEqual(result.status, { state: "ok", required_actions: [] });
  assert.match(result.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(result.external_id, "customer-1");
  assert.equal(result.phone, "+447700900123");
  assert.equal(result.occupation, "finance");
  assert.deepEqual(result.full_name, SEEDED.full_name);
  assert.deepEqual(emulator.users.get(USER), result);
});

test("the client works against the emulator over loopback HTTP", async () => {
  const emulator = emulatorWith();
  const server = await serveFetch(emulator.fetch);
  try {
    const client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      baseUrl: server.url,
    });
    await client.users.update(USER, {
      language: "fr",
      employer_name: "Analytical Engines Ltd",
    });
    const { result } = await client.users.get(USER);
    assert.equal(result.language, "fr");
    assert.equal(result.employer_name, "Analytical Engines Ltd");
    const error = await client.users.get("AA95 N84G TEST XXXY").catch((e) => e);
    assert.ok(error instanceof EmbedApiError);
    assert.equal(error.status, 404);
    assert.deepEqual(error.errors, ["ENexus:Invalid user ID"]);
    assert.match(error.traceId ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      emulator.log.map((entry) => [entry.method, entry.path, entry.status]),
      [
        ["PATCH", PATH, 200],
        ["GET", PATH, 200],
        ["GET", "/b2b/users/AA95%20N84G%20TEST%20XXXY", 404],
      ],
    );
  } finally {
    await server.close();
  }
});

test("a request signed by an independent node:crypto signer is accepted, and a one-byte change to the path, body or nonce is refused", async () => {
  const emulator = emulatorWith();
  const body = JSON.stringify({ phone: "+447700900123" });
  const target = `${PATH}?trace=1`;
  assert.equal((await send(emulator, { target, body })).status, 200);

  const nonce = nextNonce();
  const sign = signFor(nonce, target, body);
  const changes: Raw[] = [
    { target: `${PATH}?trace=2` },
    { target: PATH },
    { body: body.replace("123", "124") },
    { body: `${body} ` },
    { nonce: String(BigInt(nonce) + 1n) },
  ];
  for (const change of changes) {
    const answer = await send(emulator, {
      target,
      body,
      nonce,
      sign,
      ...change,
    });
    assert.equal(answer.status, 401, JSON.stringify(change));
    assert.deepEqual(errorsOf(answer), ["EAPI:Invalid signature"]);
  }
  // None of the refused requests used up the nonce.
  assert.equal(
    (await send(emulator, { target, body, nonce, sign })).status,
    200,
  );
  assert.equal(emulator.users.get(USER)?.phone, "+447700900123");
});

test("401 EAPI:Invalid key for a missing or unknown API-Key", async () => {
  const emulator = emulatorWith();
  for (const key of [null, "", "someone-else", API_KEY.toUpperCase()]) {
    const answer = await send(emulator, { key, body: '{"language":"de"}' });
    assert.equal(answer.status, 401, String(key));
    assert.deepEqual(answer.body, { error: ["EAPI:Invalid key"] });
  }
  assert.equal(emulator.users.get(USER)?.language, "en");
});

test("401 EAPI:Invalid signature for a missing, malformed or wrongly keyed API-Sign", async () => {
  const emulator = emulatorWith();
  const body = '{"language":"de"}';
  // A nonce whose signature holds a + or a /, so that its base64url form
  // differs from it.
  let nonce;
  let right;
  do {
    nonce = nextNonce();
    right = signFor(nonce, PATH, body);
  } while (!/[+/]/.test(right));
  const signs = [
    null,
    "",
    "not base64!",
    // Base64 as the reference gives it, not another form of the same bytes:
    // without its padding, in the URL-safe alphabet, or sent twice (a
    // repeated header, which Headers joins with ", ").
    right.replace(/=+$/, ""),
    right.replaceAll("+", "-").replaceAll("/", "_"),
    `${right}, ${right}`,
    right.slice(0, -4),
    `${right}AAAA`,
    right.toLowerCase(),
    // Each end changed, the length kept: every character is compared.
    `${right.slice(0, -1)}A`,
    `${right[0] === "A" ? "B" : "A"}${right.slice(1)}`,
    signFor(
      nonce,
      PATH,
      body,
      Buffer.from("another secret").toString("base64"),
    ),
  ];
  for (const sign of signs) {
    const answer = await send(emulator, { body, nonce, sign });
    assert.equal(answer.status, 401, String(sign));
    assert.deepEqual(errorsOf(answer), ["EAPI:Invalid signature"]);
  }
  assert.equal(
    (await send(emulator, { body, nonce, sign: right })).status,
    200,
  );
});

test("401 EAPI:Invalid nonce for a missing nonce or one that is not an unsigned 64-bit integer", async () => {
  const emulator = emulatorWith();
  const nonces = [
    null,
    "",
    "-1",
    "1.5",
    "01",
    "0x10",
    "5 0",
    "1e3",
    "18446744073709551616",
    "abc",
  ];
  for (const nonce of nonces) {
    const answer = await send(emulator, { body: '{"language":"de"}', nonce });
    assert.equal(answer.status, 401, String(nonce));
    assert.deepEqual(errorsOf(answer), ["EAPI:Invalid nonce"]);
  }
  const max = await send(emulator, {
    body: '{"language":"de"}',
    nonce: "18446744073709551615",
  });
  assert.equal(max.status, 200);
});

test("a replayed request is refused with EAPI:Invalid nonce and changes nothing", async () => {
  const emulator = emulatorWith();
  const first: Raw = { body: '{"phone":"+447700900111"}', nonce: nextNonce() };
  assert.equal((await send(emulator, first)).status, 200);
  assert.equal(
    (await send(emulator, { body: '{"phone":"+447700900222"}' })).status,
    200,
  );
  const replay = await send(emulator, first);
  assert.equal(replay.status, 401);
  assert.deepEqual(errorsOf(replay), ["EAPI:Invalid nonce"]);
  // A lower nonce, correctly signed, is refused too.
  const lower = await send(emulator, { body: first.body, nonce: "5" });
  assert.deepEqual(errorsOf(lower), ["EAPI:Invalid nonce"]);
  assert.equal(emulator.users.get(USER)?.phone, "+447700900222");
});

test("two requests racing with one nonce: exactly one is accepted", async () => {
  const emulator = emulatorWith();
  const raw: Raw = { body: '{"language":"it"}', nonce: nextNonce() };
  const answers = await Promise.all([
    send(emulator, raw),
    send(emulator, raw),
    send(emulator, raw),
  ]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401, 401]);
});

test("requests handed over at once with increasing nonces are judged in the order they arrived: none refused, the last patch kept", async () => {
  // The first requests carry the largest bodies, whose signatures take
  // WebCrypto's thread the longest: checked in the order the thread
  // finishes them, later nonces would be consumed first.
  const languages = ["de", "fr", "it", "es", "nl"];
  for (let round = 0; round < 3; round++) {
    const emulator = emulatorWith();
    const count = 40;
    const requests: RawRequest[] = [];
    for (let i = 0; i < count; i++) {
      const body = `{"language":"${languages[i % languages.length]}"${
        " ".repeat((count - i) * 1500)
      }}`;
      const nonce = nextNonce();
      const headers = signedHeaders({ body, nonce });
      // Two refused on the way, which must hold no one up.
      if (i === 7) headers.set("API-Sign", signFor(nonce, PATH, "{}"));
      if (i === 21) headers.set("API-Key", "not-a-key");
      requests.push({
        method: "PATCH",
        target: PATH,
        headers,
        body: new TextEncoder().encode(body),
      });
    }
    const answers = await Promise.all(requests.map((r) => emulator.handle(r)));
    const statuses = answers.map((answer) => answer.status);
    const expected = statuses.map((_, i) => i === 7 || i === 21 ? 401 : 200);
    assert.deepEqual(statuses, expected, `round ${round}`);
    assert.equal(
      emulator.users.get(USER)?.language,
      languages[(count - 1) % languages.length],
    );
  }
});

test("fetch() takes a request's turn, and its fault, when it is handed over, not once its body is read", async () => {
  // A GET has no body to read: taken once the body is read, its turn
  // would come before the PATCH handed over before it.
  for (let round = 0; round < 3; round++) {
    const emulator = emulatorWith();
    emulator.failNext(1, { status: 503 });
    const order: string[] = [];
    const requests: Promise<Response>[] = [];
    for (let i = 0; i < 21; i++) {
      const method = i % 2 === 0 ? "PATCH" : "GET";
      const body = `{"language":"${i === 20 ? "fr" : "de"}"${
        " ".repeat((21 - i) * 1000)
      }}`;
      order.push(method);
      requests.push(emulator.fetch(
        new Request(ORIGIN + PATH, {
          method,
          headers: signedHeaders({ method, body }),
          body: method === "GET" ? null : body,
        }),
      ));
    }
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    // The first, a PATCH, took the fault; every other one is judged in turn.
    assert.deepEqual(
      statuses,
      order.map((_, i) => i === 0 ? 503 : 200),
      `round ${round}`,
    );
    assert.equal(emulator.users.get(USER)?.language, "fr");
  }
});

test("nonceWindow accepts reordered nonces within the window, each once, and refuses older ones", async () => {
  const emulator = emulatorWith({ nonceWindow: 10 });
  const statusOf = async (nonce: string) =>
    (await send(emulator, { method: "GET", nonce })).status;
  assert.equal(await statusOf("100"), 200);
  assert.equal(await statusOf("95"), 200, "reordered within the window");
  assert.equal(await statusOf("95"), 401, "reused");
  assert.equal(await statusOf("100"), 401, "the highest, reused");
  assert.equal(await statusOf("90"), 401, "at the window's edge");
  assert.equal(await statusOf("91"), 200);
  assert.equal(await statusOf("105"), 200);
  assert.equal(await statusOf("95"), 401, "now outside the window");
  assert.equal(await statusOf("96"), 200);
  assert.equal(await statusOf("96"), 401);

  const strict = emulatorWith();
  assert.equal(
    (await send(strict, { method: "GET", nonce: "100" })).status,
    200,
  );
  assert.equal(
    (await send(strict, { method: "GET", nonce: "99" })).status,
    401,
  );
  assert.equal(
    (await send(strict, { method: "GET", nonce: "100" })).status,
    401,
  );
  assert.equal(
    (await send(strict, { method: "GET", nonce: "101" })).status,
    200,
  );

  const big = emulatorWith({ nonceWindow: 1_000_000n });
  assert.equal(
    (await send(big, { method: "GET", nonce: "5000000" })).status,
    200,
  );
  assert.equal(
    (await send(big, { method: "GET", nonce: "4000001" })).status,
    200,
  );
  assert.equal(
    (await send(big, { method: "GET", nonce: "4000000" })).status,
    401,
  );
});

test("an explicit nonceWindow of 0 (the default, written out) is taken, and each nonce must be above the last", async () => {
  for (const nonceWindow of [0, 0n]) {
    const emulator = createEmulator({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
      users: [SEEDED],
      nonceWindow,
    });
    const errorsFor = async (nonce: string) => {
      const answer = await send(emulator, { method: "GET", nonce });
      return answer.status === 200 ? [] : errorsOf(answer);
    };
    const what = `nonceWindow: ${typeof nonceWindow} 0`;
    assert.deepEqual(await errorsFor("100"), [], what);
    assert.deepEqual(await errorsFor("100"), ["EAPI:Invalid nonce"], what);
    assert.deepEqual(await errorsFor("99"), ["EAPI:Invalid nonce"], what);
    assert.deepEqual(await errorsFor("101"), [], what);
    assert.deepEqual(await errorsFor("100"), ["EAPI:Invalid nonce"], what);
    assert.deepEqual(await errorsFor("103"), [], what);
    assert.deepEqual(await errorsFor("102"), ["EAPI:Invalid nonce"], what);
  }
});

test("nonces are tracked per API key", async () => {
  const other = { apiKey: "second-key", apiSecret: "c2Vjb25kLXNlY3JldA==" };
  const emulator = emulatorWith({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }, other],
  });
  assert.equal(
    (await send(emulator, { method: "GET", nonce: "500" })).status,
    200,
  );
  const second = await send(emulator, {
    method: "GET",
    nonce: "500",
    key: other.apiKey,
    sign: signFor("500", PATH, "", other.apiSecret),
  });
  assert.equal(second.status, 200);
});

test("the nonce is consumed once key and signature verify, even when the body is then refused", async () => {
  const emulator = emulatorWith();
  const nonce = nextNonce();
  const bad = await send(emulator, { body: '{"phone":"nope"}', nonce });
  assert.equal(bad.status, 400);
  const again = await send(emulator, {
    body: '{"phone":"+447700900123"}',
    nonce,
  });
  assert.deepEqual(errorsOf(again), ["EAPI:Invalid nonce"]);
  const unknown = await send(emulator, {
    target: "/b2b/users/ZZ00%20UNKNOWN%20USER",
    body: "{}",
    nonce: nextNonce(),
  });
  assert.equal(unknown.status, 404);
  assert.equal(emulator.users.get(USER)?.phone, SEEDED.phone);
});

test("auth comes before the user lookup: a bad signature to an unknown user is 401, not 404, and a signed request to one uses up its nonce", async () => {
  const emulator = emulatorWith();
  const UNKNOWN = "/b2b/users/ZZ00%20UNKNOWN%20USER";
  // A request that does not verify learns nothing of which users exist.
  for (const method of ["GET", "PATCH"]) {
    const badSign = await send(emulator, {
      method,
      target: UNKNOWN,
      body: "{}",
      sign: "AAAA",
    });
    assert.equal(badSign.status, 401, method);
    assert.deepEqual(errorsOf(badSign), ["EAPI:Invalid signature"], method);
  }
  // One that verifies is then refused 404, its nonce spent all the same.
  for (const method of ["GET", "PATCH"]) {
    const nonce = nextNonce();
    const unknown = await send(emulator, {
      method,
      target: UNKNOWN,
      body: "{}",
      nonce,
    });
    assert.equal(unknown.status, 404, method);
    assert.deepEqual(errorsOf(unknown), ["ENexus:Invalid user ID"], method);
    const replayed = await send(emulator, { method: "GET", nonce });
    assert.equal(replayed.status, 401, method);
    assert.deepEqual(errorsOf(replayed), ["EAPI:Invalid nonce"], method);
  }
  assert.equal((await send(emulator, { method: "GET" })).status, 200);
});

test("400 EGeneral:Invalid arguments names every field UserPatchSchema refuses", async () => {
  const emulator = emulatorWith();
  const answer = await send(emulator, {
    body: JSON.stringify({
      phone_number: "+1555",
      residence: { line1: "x", city: "y", postal_code: "z", country: "XX" },
      tax_ids: [{ id: "", issuing_country: "GB" }],
    }),
  });
  assert.equal(answer.status, 400);
  assert.deepEqual(errorsOf(answer).sort(), [
    "EGeneral:Invalid arguments:phone_number",
    "EGeneral:Invalid arguments:residence.country",
    "EGeneral:Invalid arguments:tax_ids.0.id",
  ]);
  for (const body of ["{}", "[]", "null", '"text"']) {
    const whole = await send(emulator, { body });
    assert.equal(whole.status, 400, body);
    assert.deepEqual(errorsOf(whole), ["EGeneral:Invalid arguments"], body);
  }
  // A key without a field name's shape is shown by its length, as the
  // client's issues show it: the answer, and what logs it, get one line and
  // no personal data used as a key.
  const odd = await send(emulator, {
    body: JSON.stringify({ phone: "+447700900123", "a.b\nc": 1 }),
  });
  assert.deepEqual(errorsOf(odd), [
    "EGeneral:Invalid arguments:[5-character key]",
  ]);
  assert.equal((await send(emulator, { body: '{"phone":null}' })).status, 200);
});

test("400 EGeneral:Invalid JSON for a body that is not JSON or not UTF-8", async () => {
  const emulator = emulatorWith();
  const bodies: Array<string | Uint8Array<ArrayBuffer>> = [
    "",
    "{",
    "{'phone': '+1555'}",
    new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]),
  ];
  for (const body of bodies) {
    const answer = await send(emulator, { body });
    assert.equal(answer.status, 400, String(body));
    assert.deepEqual(answer.body, { error: ["EGeneral:Invalid JSON"] });
  }
});

test("404 ENexus:Invalid user ID for an unknown user or a malformed IIBAN", async () => {
  const emulator = emulatorWith();
  const targets = [
    "/b2b/users/AA95%20N84G%20TEST%20XXXY",
    "/b2b/users/short",
    "/b2b/users/%ZZ",
    "/b2b/users/AA95%20%20N84G%20TEST%20XXXX",
    "/b2b/users/",
  ];
  for (const target of targets) {
    for (const method of ["GET", "PATCH"]) {
      const answer = await send(emulator, {
        method,
        target,
        body: '{"language":"de"}',
      });
      assert.equal(answer.status, 404, `${method} ${target}`);
      assert.deepEqual(errorsOf(answer), ["ENexus:Invalid user ID"]);
    }
  }
  await assert.rejects(
    clientOf(emulator).users.update("ZZ00 UNKNOWN USER", { language: "de" }),
    (e: EmbedApiError) => e instanceof EmbedApiError && e.status === 404,
  );
});

test("unknown routes are 404, other methods 405 with Allow, never a 500", async () => {
  const emulator = emulatorWith();
  for (
    const target of [
      "/",
      "/b2b/users",
      "/b2b/assets",
      `${PATH}/extra`,
      "/B2B/users/x",
    ]
  ) {
    const answer = await send(emulator, { method: "GET", target });
    assert.equal(answer.status, 404, target);
    assert.deepEqual(answer.body, { error: ["EGeneral:Unknown route"] });
  }
  for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
    const answer = await send(emulator, { method, body: "{}" });
    assert.equal(answer.status, 405, method);
    assert.equal(answer.response.headers.get("allow"), "GET, PATCH");
    assert.deepEqual(answer.body, { error: ["EGeneral:Method not allowed"] });
  }
  const head = await emulator.fetch(
    new Request(ORIGIN + PATH, { method: "HEAD" }),
  );
  assert.equal(head.status, 405);
  assert.ok(emulator.log.every((entry) => entry.status < 500));
});

test("a method's name is case-sensitive: a signed `patch` or `get` is 405 with Allow, through handle() and fetch(), and changes nothing", async () => {
  const emulator = emulatorWith();
  const body = '{"language":"fr"}';
  const expect405 = async (answer: Response, what: string) => {
    assert.equal(answer.status, 405, what);
    assert.equal(answer.headers.get("allow"), "GET, PATCH", what);
    assert.deepEqual(await answer.json(), {
      error: ["EGeneral:Method not allowed"],
    }, what);
  };
  for (const method of ["patch", "get", "Patch", "gET"]) {
    const signed = method.toUpperCase() === "PATCH" ? body : "";
    const nonce = nextNonce();
    await expect405(
      await emulator.handle({
        method,
        target: PATH,
        headers: new Headers({
          "API-Key": API_KEY,
          "API-Nonce": nonce,
          "API-Sign": signFor(nonce, PATH, signed),
          "Content-Type": "application/json",
        }),
        body: new TextEncoder().encode(signed),
      }),
      `handle() ${method}`,
    );
  }
  assert.equal(emulator.users.get(USER)?.language, "en");
  assert.deepEqual(
    emulator.log.map((entry) => `${entry.method} ${entry.status}`),
    ["patch 405", "get 405", "Patch 405", "gET 405"],
  );
  // A Request keeps a `patch` as written: the Fetch standard upper-cases only
  // DELETE, GET, HEAD, OPTIONS, POST and PUT (Deno and Node follow it; Bun
  // upper-cases every method, so under Bun no `patch` reaches fetch()).
  const request = new Request(ORIGIN + PATH, {
    method: "patch",
    headers: signedHeaders({ method: "PATCH", body }),
    body,
  });
  if (request.method === "patch") {
    await expect405(await emulator.fetch(request), "fetch() patch");
    assert.equal(emulator.users.get(USER)?.language, "en");
    assert.equal(emulator.log.at(-1)?.method, "patch");
  }
});

test("413 for a body over 64 KiB, whether or not Content-Length says so", async () => {
  const emulator = emulatorWith();
  const big = JSON.stringify({ employer_name: "x".repeat(MAX_BODY_BYTES) });
  const streamed = await send(emulator, { body: big });
  assert.equal(streamed.status, 413);
  assert.deepEqual(streamed.body, { error: ["EGeneral:Request too large"] });
  const declared = await send(emulator, {
    body: "{}",
    headers: { "content-length": String(MAX_BODY_BYTES + 1) },
  });
  assert.equal(declared.status, 413);
  // Exactly at the limit is read and judged on its content.
  const atLimit = JSON.stringify({ employer_name: "" }).length;
  const edge = `{"employer_name":"${"x".repeat(MAX_BODY_BYTES - atLimit)}"}`;
  assert.equal(new TextEncoder().encode(edge).length, MAX_BODY_BYTES);
  assert.deepEqual(errorsOf(await send(emulator, { body: edge })), [
    "EGeneral:Invalid arguments:employer_name",
  ]);
});

test("the body limit is 64 KiB, written out: a PATCH of 65,536 bytes is applied and one of 65,537 is 413, through fetch() and handle()", async () => {
  // The documented figure, not read from MAX_BODY_BYTES: a change to the
  // constant must fail here rather than move the test with it.
  assert.equal(MAX_BODY_BYTES, 65536);
  const padded = (length: number) => {
    const json = '{"language":"de"}';
    return json + " ".repeat(length - json.length);
  };
  const handled = (emulator: Emulator, body: string) =>
    emulator.handle({
      method: "PATCH",
      target: PATH,
      headers: signedHeaders({ body }),
      body: new TextEncoder().encode(body),
    });
  const atLimit = padded(65536);
  assert.equal(new TextEncoder().encode(atLimit).length, 65536);
  const over = padded(65537);
  assert.equal(new TextEncoder().encode(over).length, 65537);

  const fetched = emulatorWith();
  const accepted = await send(fetched, { body: atLimit });
  assert.equal(accepted.status, 200);
  assert.deepEqual(accepted.body, { result: "success" });
  assert.equal(fetched.users.get(USER)?.language, "de");
  const refused = await send(fetched, { body: over });
  assert.equal(refused.status, 413);
  assert.deepEqual(refused.body, { error: ["EGeneral:Request too large"] });

  const raw = emulatorWith();
  assert.equal((await handled(raw, over)).status, 413);
  assert.equal(raw.users.get(USER)?.language, "en");
  assert.equal((await handled(raw, atLimit)).status, 200);
  assert.equal(raw.users.get(USER)?.language, "de");
});

test("415 for a PATCH whose body is marked with a Content-Encoding other than identity, which the emulator does not decode", async () => {
  const emulator = emulatorWith();
  for (const coding of ["gzip", "br", "x-made-up", "gzip, identity"]) {
    const answer = await send(emulator, {
      body: '{"language":"de"}',
      headers: { "content-encoding": coding },
    });
    assert.equal(answer.status, 415, coding);
    assert.deepEqual(answer.body, {
      error: ["EGeneral:Unsupported content encoding"],
    }, coding);
  }
  for (const coding of ["identity", " Identity "]) {
    const answer = await send(emulator, {
      body: '{"language":"de"}',
      headers: { "content-encoding": coding },
    });
    assert.equal(answer.status, 200, coding);
  }
});

test("a GET with a Content-Encoding and no body is answered: the 415 for a Content-Encoding is a PATCH's only", async () => {
  const emulator = emulatorWith();
  for (const coding of ["gzip", "br", "x-made-up"]) {
    const answer = await send(emulator, {
      method: "GET",
      headers: { "content-encoding": coding },
    });
    assert.equal(answer.status, 200, coding);
    assert.equal(
      (answer.body.result as { user: string }).user,
      USER,
      coding,
    );
  }
});

test("415 for a PATCH that is not application/json in UTF-8, by any of its labels (utf-8, utf8), whatever the case of the charset parameter's name", async () => {
  const emulator = emulatorWith();
  for (
    const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json; charset=latin1",
      "application/json; charset=utf-16",
      "application/json; charset=",
      "application/json; charset=utf-8x",
      // A value is all that follows the first "=": not a label of UTF-8.
      "application/json; charset=utf-8=latin1",
      "application/json; charset",
      // The parameter's name in any case.
      "application/json; Charset=latin1",
      "application/json; CHARSET=utf-16",
      // Every parameter is read, not the first alone.
      "application/json; foo=bar; charset=iso-8859-1",
      "application/json; q=1; charset=utf-16",
      "application/jsonp",
    ]
  ) {
    const answer = await send(emulator, {
      body: '{"language":"de"}',
      headers: { "content-type": type },
    });
    assert.equal(answer.status, 415, type);
    assert.deepEqual(answer.body, {
      error: ["EGeneral:Unsupported content type"],
    });
  }
  const none = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      body: new Uint8Array([0x7b, 0x7d]),
    }),
  );
  assert.equal(none.status, 415);
  for (
    const type of [
      "application/json; charset=UTF-8",
      "Application/JSON",
      'application/json; charset="utf-8"',
      "application/json ; charset=utf-8",
      // Other labels of UTF-8 in the Encoding standard.
      "application/json; charset=utf8",
      "application/json; charset=Unicode-1-1-UTF-8",
      "application/json; CHARSET=UTF-8",
      "application/json; foo=bar; charset=utf-8",
    ]
  ) {
    const answer = await send(emulator, {
      body: '{"language":"de"}',
      headers: { "content-type": type },
    });
    assert.equal(answer.status, 200, type);
  }
});

test("every answer carries an x-trace-id, also recorded in the log", async () => {
  const emulator = emulatorWith();
  const answers = [
    await send(emulator, { body: '{"language":"de"}' }),
    await send(emulator, { method: "GET" }),
    await send(emulator, { key: "nobody" }),
    await send(emulator, { target: "/nowhere", method: "GET" }),
    await send(emulator, { method: "POST" }),
  ];
  emulator.failNext(1, { status: 502, body: "<html>Bad gateway</html>" });
  const faulted = await emulator.fetch(new Request(ORIGIN + PATH));
  const ids = [
    ...answers.map((a) => a.response.headers.get("x-trace-id")),
    faulted.headers.get("x-trace-id"),
  ];
  for (const id of ids) assert.match(id ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(emulator.log.map((entry) => entry.traceId), ids);
});

test("PATCH semantics seen through GET: null clears a field, an object or array replaces the stored one whole", async () => {
  const emulator = emulatorWith();
  const client = clientOf(emulator);
  await client.users.update(USER, {
    phone: null,
    residence: {
      line1: "2 Low Road",
      city: "Leeds",
      postal_code: "LS1 1AA",
      country: "GB",
    },
    tax_ids: [{ id: "999", issuing_country: "FR" }],
    employer_name: "Babbage & Co",
  });
  const { result } = await client.users.get(USER);
  assert.equal("phone" in result, false);
  assert.deepEqual(result.residence, {
    line1: "2 Low Road",
    city: "Leeds",
    postal_code: "LS1 1AA",
    country: "GB",
  });
  assert.deepEqual(result.tax_ids, [{ id: "999", issuing_country: "FR" }]);
  assert.equal(result.employer_name, "Babbage & Co");
  assert.deepEqual(result.full_name, SEEDED.full_name, "untouched fields stay");
  assert.equal(result.language, "en");
  await client.users.update(USER, { tax_ids: null, language: null });
  const after = (await client.users.get(USER)).result;
  assert.equal("tax_ids" in after, false);
  assert.equal("language" in after, false);
});

test("a seed changed after createEmulator does not change the stored user", () => {
  const status = { state: "ok" as const, required_actions: [] };
  const residence = { ...SEEDED.residence! };
  const emulator = emulatorWith({ users: [{ user: USER, status, residence }] });
  (status as { state: string }).state = "suspended";
  residence.city = "Paris";
  const stored = emulator.users.get(USER)!;
  assert.equal((stored.status as { state: string }).state, "ok");
  assert.equal(
    (stored.residence as { city: string }).city,
    SEEDED.residence!.city,
  );
});

test("a PATCH body that is not valid UTF-8 is refused, not stored with replacement characters", async () => {
  const emulator = emulatorWith();
  const body = new Uint8Array([
    ...new TextEncoder().encode('{"employer_name":"Acme'),
    0xff,
    ...new TextEncoder().encode('"}'),
  ]);
  const answer = await send(emulator, { body });
  assert.equal(answer.status, 400);
  assert.deepEqual(answer.body, { error: ["EGeneral:Invalid JSON"] });
  assert.equal(emulator.users.get(USER)?.employer_name, SEEDED.employer_name);
});

test("emulator.users gives frozen deep copies that cannot change the store", () => {
  const emulator = emulatorWith({
    users: [SEEDED, {
      user: "BB11 SECOND USER 01",
      created_at: "2025-01-01T00:00:00Z",
    }],
  });
  const user = emulator.users.get(USER)!;
  assert.ok(Object.isFrozen(user) && Object.isFrozen(user.residence));
  // Reflect.set reports a refused write whether or not the code is strict.
  assert.equal(Reflect.set(user, "phone", "+1"), false);
  assert.equal(Reflect.set(user.residence as object, "city", "Paris"), false);
  assert.equal(Reflect.deleteProperty(user, "language"), false);
  assert.notEqual(emulator.users.get(USER), user);
  assert.deepEqual(emulator.users.get(USER), user);
  assert.equal(emulator.users.get("AA95 N84G TEST XXXY"), undefined);
  const list = emulator.users.list();
  assert.ok(Object.isFrozen(list));
  // The entries of the list too, all the way down.
  assert.ok(Object.isFrozen(list[0]) && Object.isFrozen(list[0].residence));
  assert.equal(Reflect.set(list[0], "phone", "+1"), false);
  assert.deepEqual(list.map((u) => u.user), [USER, "BB11 SECOND USER 01"]);
  assert.deepEqual(list[1], {
    user: "BB11 SECOND USER 01",
    user_type: "individual",
    status: { state: "ok", required_actions: [] },
    created_at: "2025-01-01T00:00:00Z",
  });
});

test("emulator.users reaches no live record and no unchecked update, even from JavaScript", async () => {
  const emulator = emulatorWith({ users: [SEEDED] });
  const users = emulator.users as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(users).sort(), ["get", "list"]);
  assert.equal(users.record, undefined);
  assert.equal(users.update, undefined);
  assert.ok(Object.isFrozen(users));
  assert.equal(Reflect.set(users, "get", () => undefined), false);
  // What the store holds is still what a signed GET answers.
  const { result } = await clientOf(emulator).users.get(USER);
  assert.deepEqual(result, emulator.users.get(USER));
});

test("the log records every request with its key, nonce and status, and shows no nonce sent twice by the client", async () => {
  const emulator = emulatorWith();
  const client = clientOf(emulator);
  emulator.failNext(2, { status: 503 });
  await client.users.update(USER, { language: "de" });
  await client.users.get(USER);
  await client.users.update(USER, { language: "es" });
  const log = emulator.log;
  assert.ok(Object.isFrozen(log) && Object.isFrozen(log[0]));
  assert.deepEqual(
    log.map((e) => [e.method, e.status, e.fault]),
    [
      ["PATCH", 503, true],
      ["PATCH", 503, true],
      ["PATCH", 200, false],
      ["GET", 200, false],
      ["PATCH", 200, false],
    ],
  );
  for (const entry of log) {
    assert.equal(entry.path, PATH);
    assert.equal(entry.apiKey, API_KEY);
    assert.match(entry.nonce ?? "", /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(entry.at)));
  }
  assert.deepEqual(log[0].errors, ["EService:Unavailable"]);
  const nonces = log.map((e) => e.nonce);
  assert.equal(new Set(nonces).size, nonces.length);
  // A snapshot does not change when more requests arrive.
  await client.users.get(USER);
  assert.equal(log.length, 5);
  assert.equal(emulator.log.length, 6);
});

test("fault 429 with Retry-After drives the client's wait and retry, and consumes no nonce", async () => {
  const emulator = emulatorWith();
  const client = clientOf(emulator, { backoff: { baseMs: 0, capMs: 0 } });
  emulator.failNext(1, { status: 429, retryAfter: 1 });
  // The wait is read from the client's timer, not timed: on a busy machine,
  // the signing and answering around it stretch a timed call past any thin
  // margin. A timer of exactly 1,000 ms is held until the test fires it; one
  // of more (the call's own timeouts among them) never fires here. A wait
  // shorter than the Retry-After ends the call with no timer held, a longer
  // one never ends it.
  await withHeldTimers(1000, (fire) =>
    withHeldTimers(1001, async () => {
      const call = client.users.update(USER, { language: "nl" });
      let fired = 0;
      await reached(() => (fired = fire()) > 0, "a wait of 1,000 ms", 5_000);
      assert.equal(fired, 1);
      assert.equal(emulator.log.length, 1, "retried before the wait was over");
      assert.deepEqual(await within(call, 5_000), { result: "success" });
    }));
  const [limited, ok] = emulator.log;
  assert.deepEqual([limited.status, limited.fault, limited.errors], [
    429,
    true,
    ["EAPI:Rate limit exceeded"],
  ]);
  assert.equal(ok.status, 200);
  assert.notEqual(limited.nonce, ok.nonce);
});

test("a faulted request consumes no nonce: the same signed request then succeeds", async () => {
  const emulator = emulatorWith();
  const raw: Raw = { body: '{"language":"fi"}', nonce: nextNonce() };
  emulator.failNext(1);
  const faulted = await send(emulator, raw);
  assert.equal(faulted.status, 503);
  assert.equal(emulator.users.get(USER)?.language, "en");
  assert.equal((await send(emulator, raw)).status, 200);
  assert.equal(emulator.users.get(USER)?.language, "fi");
});

test("fault 503 is retried; a faulted request changes no user", async () => {
  const emulator = emulatorWith();
  emulator.failNext(3, { status: 503, retryAfter: "0" });
  const error = await clientOf(emulator, { maxRetries: 2 })
    .users.update(USER, { language: "pt" })
    .catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.status, 503);
  assert.equal(error.attempts, 3);
  assert.deepEqual(error.errors, ["EService:Unavailable"]);
  assert.equal(emulator.users.get(USER)?.language, "en");
  await clientOf(emulator).users.update(USER, { language: "pt" });
  assert.equal(emulator.users.get(USER)?.language, "pt");
});

test("a fault's delay past the client's timeout is retried as a timeout", async () => {
  const emulator = emulatorWith();
  let fetched = 0;
  const fetch: EmbedClientOptions["fetch"] = (input, init) => {
    fetched++;
    return emulator.fetch(new Request(input, init));
  };
  // Each timeout fires when the test fires it, once its request is with the
  // emulator: on a busy machine, signing alone can outlast a real timeout,
  // which then ends an attempt before it is sent. The faults' delays are
  // held for good, so that only a timeout can end an attempt; the timers
  // from the timeout up to below the delay (the client's per-attempt ones)
  // are held until fired, so a timeout shorter than timeoutMs ends an
  // attempt with none held, and one as long as the delay never ends it.
  emulator.failNext(1, {
    status: 200,
    body: { result: "success" },
    delayMs: 1500,
  });
  const client = clientOf(emulator, { timeoutMs: 500, fetch });
  await withHeldTimers(500, (fire) =>
    withHeldTimers(1500, async () => {
      const call = client.users.update(USER, { language: "sv" });
      let settled = false;
      call.then(() => (settled = true), () => (settled = true));
      await reached(() => fetched === 1, "the fetch", 5_000);
      assert.equal(settled, false, "ended before its timeout");
      assert.equal(fire(), 1, "no timeout of 500 ms held");
      assert.deepEqual(await within(call, 5_000), { result: "success" });
    }));
  // Had the client waited for the delayed (successful) answer, the log would
  // hold that one request only: the retry proves the timeout fired.
  assert.deepEqual(emulator.log.map((entry) => entry.fault === true), [
    true,
    false,
  ]);
  assert.equal(emulator.users.get(USER)?.language, "sv");

  emulator.failNext(2, { delayMs: 1500 });
  const error = await withHeldTimers(
    400,
    (fire) =>
      withHeldTimers(1500, async () => {
        const call = clientOf(emulator, {
          timeoutMs: 400,
          maxRetries: 1,
          fetch,
        })
          .users.get(USER)
          .catch((e) => e);
        for (const attempt of [3, 4]) {
          await reached(() => fetched === attempt, "the fetch", 5_000);
          assert.equal(fire(), 1, "no timeout of 400 ms held");
        }
        return await within(call, 5_000);
      }),
  );
  assert.ok(error instanceof EmbedTimeoutError, String(error));
  assert.equal(error.attempts, 2);
  // The aborted requests still end up in the log, marked as faults (in the
  // same turn as the abort: no timer runs between them).
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(emulator.log.map((e) => e.fault), [true, false, true, true]);
});

test("a fault's non-JSON body is reported by the client with its text", async () => {
  const emulator = emulatorWith();
  const html = "<html><body>502 Bad Gateway</body></html>";
  emulator.failNext(1, { status: 502, body: html });
  const error = await clientOf(emulator, { maxRetries: 0 })
    .users.update(USER, { language: "da" })
    .catch((e) => e);
  assert.ok(error instanceof EmbedApiError);
  assert.equal(error.status, 502);
  assert.equal(error.body, html);
  assert.deepEqual(error.errors, []);
  assert.match(error.traceId ?? "", /^[0-9a-f-]{36}$/);
  const fault = emulator.log[0];
  assert.deepEqual([fault.status, fault.fault, fault.errors], [502, true, []]);
});

test("faults apply to any route, queue up in order, and are refused when malformed", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { status: 500 });
  emulator.failNext(1, { status: 429, body: { error: ["EAPI:Too many"] } });
  const first = await emulator.fetch(new Request(`${ORIGIN}/anything`));
  const second = await emulator.fetch(new Request(`${ORIGIN}/anything`));
  const third = await emulator.fetch(new Request(`${ORIGIN}/anything`));
  assert.deepEqual([first.status, second.status, third.status], [
    500,
    429,
    404,
  ]);
  assert.deepEqual(await second.json(), { error: ["EAPI:Too many"] });
  const bad: Array<[number, object | undefined]> = [
    [0, undefined],
    [1.5, undefined],
    [1, { status: 99 }],
    [1, { status: 600 }],
    [1, { delayMs: -1 }],
    [1, { delayMs: Number.NaN }],
    [1, { retryAfter: -1 }],
    [1, { retryAfter: "1\r\nX: y" }],
    // Headers would trim them: the header would not be sent as given.
    [1, { retryAfter: " 7 " }],
    [1, { retryAfter: "7 " }],
    [1, { retryAfter: " " }],
    [1, { retryAfter: "" }],
    [1, { body: () => 1 }],
    [1, { handled: 1 }],
    [1, { handled: "yes" }],
  ];
  for (const [count, fault] of bad) {
    assert.throws(
      () => emulator.failNext(count, fault),
      TypeError,
      JSON.stringify(fault),
    );
  }
  assert.throws(() => emulator.failNext(1, null as never), TypeError);
  // No own keys to refuse: read as no options, it would fail with a 503.
  assert.throws(
    () => emulator.failNext(1, new Map([["status", 429]]) as never),
    { name: "TypeError", message: /^fault: Expected a plain object/ },
  );
  // Each refusal names its option: JSON.stringify's own error for a bigint
  // or a cycle does not, and 1e21 is an integer that String() writes as
  // "1e+21", which is no Retry-After.
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  for (const body of [1n, cycle]) {
    assert.throws(() => emulator.failNext(1, { body }), {
      name: "TypeError",
      message: "fault.body: Expected a string or a JSON value",
    });
  }
  for (const retryAfter of [1e21, 2 ** 53]) {
    assert.throws(() => emulator.failNext(1, { retryAfter }), {
      name: "TypeError",
      message:
        "fault.retryAfter: Expected a non-negative integer of seconds or an HTTP date",
    });
  }
  // A misspelt option is refused, not left as the default 503 without it.
  for (const name of ["stauts", "retry_after"]) {
    assert.throws(
      () => emulator.failNext(1, { [name]: 500 } as never),
      {
        name: "TypeError",
        message:
          `fault.${name}: Unknown option; expected { status?, retryAfter?, body?, delayMs?, handled? }`,
      },
    );
  }
});

test("a handled fault lets the request act (nonce consumed, patch applied) and then answers with the fault: the case a client reports as may have taken effect", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { status: 504, handled: true });
  const nonce = nextNonce();
  const body = JSON.stringify({ language: "fr" });
  const lost = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      headers: signedHeaders({ body, nonce }),
      body,
    }),
  );
  assert.equal(lost.status, 504);
  // A gateway's text, not a Kraken refusal: the service did act.
  assert.equal(lost.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await lost.text(), "The gateway lost the service's answer");
  // Applied, and its nonce spent: sent again as it was, it is refused.
  assert.equal(emulator.users.get(USER)?.language, "fr");
  const again = await send(emulator, { body, nonce });
  assert.equal(again.status, 401);
  assert.deepEqual(errorsOf(again), ["EAPI:Invalid nonce"]);
  assert.deepEqual(emulator.log.map((entry) => [entry.status, entry.fault]), [
    [504, true],
    [401, false],
  ]);
  // Whatever the request's own answer was: a refused one changes nothing.
  emulator.failNext(1, { status: 502, handled: true });
  const unsigned = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      headers: signedHeaders({ body: '{"language":"de"}', sign: "AAAA" }),
      body: '{"language":"de"}',
    }),
  );
  assert.equal(unsigned.status, 502);
  await unsigned.body?.cancel();
  assert.equal(emulator.users.get(USER)?.language, "fr");
  // Through the client: a PATCH is retried and succeeds, applied once
  // more (the same record); a POST-like call with no retries says it may
  // have acted; so does a timeout on a slow answer after the change.
  const client = clientOf(emulator, { maxRetries: 0 });
  emulator.failNext(1, { status: 500, handled: true });
  const error = await client.users.update(USER, { language: "es" }).catch((
    e,
  ) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 500);
  assert.equal(error.mayHaveTakenEffect, true);
  assert.equal(emulator.users.get(USER)?.language, "es");
  emulator.failNext(1, { status: 503, handled: true, delayMs: 60_000 });
  const slow = await clientOf(emulator, { maxRetries: 0, timeoutMs: 200 })
    .users.update(USER, { language: "it" }).catch((e) => e);
  assert.ok(slow instanceof EmbedTimeoutError, String(slow));
  assert.equal(slow.mayHaveTakenEffect, true);
  assert.equal(emulator.users.get(USER)?.language, "it");
  emulator.failNext(1, { status: 502, handled: true });
  assert.deepEqual(
    await clientOf(emulator).users.update(USER, { language: "pt" }),
    { result: "success" },
  );
  assert.equal(emulator.users.get(USER)?.language, "pt");
});

test("a handled fault with the default status and no body tells the client it may have acted: a POST is not resent, a PATCH without retries fails saying so; a body given is sent as given", async () => {
  const emulator = emulatorWith();
  const client = clientOf(emulator);
  emulator.failNext(1, { handled: true });
  const posted = await client.request({
    method: "POST",
    path: PATH,
    body: {},
  }).catch((e) => e);
  assert.ok(posted instanceof EmbedError, String(posted));
  assert.equal(posted.mayHaveTakenEffect, true);
  assert.equal(emulator.log.length, 1, "not resent");
  assert.equal(emulator.log[0].status, 503);
  assert.deepEqual(emulator.log[0].errors, []);
  emulator.failNext(1, { handled: true });
  const patched = await clientOf(emulator, { maxRetries: 0 }).users
    .update(USER, { language: "nl" }).catch((e) => e);
  assert.ok(patched instanceof EmbedError, String(patched));
  assert.equal(patched.mayHaveTakenEffect, true);
  assert.equal(emulator.users.get(USER)?.language, "nl");
  // A refusal's body, given, is the test's own choice, sent as given: the
  // client believes it, and says nothing was taken in, though it was.
  emulator.failNext(1, {
    handled: true,
    body: { error: ["EService:Unavailable"] },
  });
  const told = await clientOf(emulator, { maxRetries: 0 }).users
    .update(USER, { language: "sv" }).catch((e) => e);
  assert.ok(told instanceof EmbedApiError, String(told));
  assert.deepEqual(told.errors, ["EService:Unavailable"]);
  assert.equal(told.mayHaveTakenEffect, false);
  assert.equal(emulator.users.get(USER)?.language, "sv");
});

test("a 204, 205 or 304 fault answers without a body, and a fault's null body is sent as null", async () => {
  const emulator = emulatorWith();
  for (const status of [204, 205, 304]) {
    assert.throws(
      () => emulator.failNext(1, { status, body: "" }),
      {
        name: "TypeError",
        message: `fault.body: A ${status} answer has no body; leave body out`,
      },
    );
    emulator.failNext(1, { status, retryAfter: 1 });
    const response = await emulator.fetch(new Request(`${ORIGIN}/anything`));
    assert.equal(response.status, status);
    assert.equal(response.body, null);
    assert.equal(response.headers.get("content-type"), null);
    assert.equal(response.headers.get("retry-after"), "1");
    assert.match(response.headers.get("x-trace-id") ?? "", /^[0-9a-f-]{36}$/);
  }
  emulator.failNext(1, { status: 500, body: null });
  const nullBody = await emulator.fetch(new Request(`${ORIGIN}/anything`));
  assert.equal(nullBody.headers.get("content-type"), "application/json");
  assert.equal(await nullBody.text(), "null");
  assert.deepEqual(
    emulator.log.map((entry) => [entry.status, entry.fault, entry.errors]),
    [[204, true, []], [205, true, []], [304, true, []], [500, true, []]],
  );
  // The client takes a bodiless 204 for what it is: not the success answer.
  emulator.failNext(1, { status: 204 });
  const error = await clientOf(emulator, { maxRetries: 0 })
    .users.update(USER, { language: "da" })
    .catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 204);
  assert.equal(error.body, "");
});

test("handle() checks the signature over the raw request target, never re-encoded", async () => {
  const emulator = emulatorWith();
  const raw = (target: string, sign: string, nonce: string) =>
    emulator.handle({
      method: "GET",
      target,
      headers: new Headers({
        "API-Key": API_KEY,
        "API-Nonce": nonce,
        "API-Sign": sign,
      }),
      body: new Uint8Array(0),
    });
  const literal = '/b2b/users/AA95 N84G TEST XXXX?q="<>';
  let nonce = nextNonce();
  assert.equal(
    (await raw(literal, signFor(nonce, literal), nonce)).status,
    200,
  );
  nonce = nextNonce();
  const encoded = "/b2b/users/AA95%20N84G%20TEST%20XXXX?q=%22%3C%3E";
  const answer = await raw(literal, signFor(nonce, encoded), nonce);
  assert.equal(answer.status, 401);
  assert.deepEqual(await answer.json(), { error: ["EAPI:Invalid signature"] });
  assert.equal(emulator.log[0].path, literal);
});

test("fetch() takes the target from request.url as it is, percent-encoding and query included", async () => {
  const emulator = emulatorWith();
  const target = "/b2b/users/AA95%20N84g%20TEST%20XXXX?a=%7e&b=~#fragment";
  const signed = target.slice(0, target.indexOf("#"));
  const nonce = nextNonce();
  const answer = await emulator.fetch(
    new Request(ORIGIN + target, {
      headers: {
        "API-Key": API_KEY,
        "API-Nonce": nonce,
        "API-Sign": signFor(nonce, signed),
      },
    }),
  );
  // Signature and route accepted; the user ID (with a lowercase g) is unknown.
  assert.equal(answer.status, 404);
  assert.deepEqual(await answer.json(), { error: ["ENexus:Invalid user ID"] });
  assert.equal(emulator.log[0].path, signed);
});

// A Request whose url is the string a server built, unparsed, as Deno.serve
// hands one to its handler: from the Host header and the origin-form target,
// or from an absolute-form target, as received. A Request built from a URL
// would have it normalized.
function asServed(url: string, init: RequestInit): Request {
  const request = new Request(ORIGIN, init);
  Object.defineProperty(request, "url", { value: url });
  return request;
}

test("fetch() ends a URL's authority at its first /, ? or #, so a query or fragment never passes for the path", async () => {
  const emulator = emulatorWith();
  const body = '{"language":"fr"}';
  for (
    const [url, judged] of [
      [`http://h?x=${PATH}`, `/?x=${PATH}`],
      [`http://h:8787?${PATH}`, `/?${PATH}`],
      [`http://h#${PATH}`, "/"],
    ]
  ) {
    // Signed over the path the old parsing found after the first `/`.
    const answer = await emulator.fetch(
      asServed(url, {
        method: "PATCH",
        body,
        headers: signedHeaders({ body, target: PATH }),
      }),
    );
    assert.equal(answer.status, 404, url);
    assert.deepEqual(await answer.json(), {
      error: ["EGeneral:Unknown route"],
    });
    assert.equal(emulator.log.at(-1)?.path, judged, url);
  }
  assert.equal(emulator.users.get(USER)?.language, "en");
});

test("fetch() refuses with 400 EGeneral:Bad request a URL or Host header whose host is not a host and port, consuming no nonce", async () => {
  const emulator = emulatorWith();
  const body = '{"language":"fr"}';
  const nonce = nextNonce();
  const cases: [url: string, host: string | null, signed: string][] = [
    // Deno.serve's url for `PATCH /anything` with this Host header.
    [`http://x${PATH}?/anything`, `x${PATH}?`, `${PATH}?/anything`],
    [`http://x${PATH}/anything`, `x${PATH}`, `${PATH}/anything`],
    // Its userinfo logged as [redacted]: a password never reaches the log.
    [`http://proxyuser:hunter2-secret@h${PATH}`, null, PATH],
    [`http://h\\x${PATH}`, null, PATH],
    [`http://a b${PATH}`, "a b", PATH],
    [`http://h${PATH}`, "h, h2", PATH],
  ];
  for (const [url, host, signed] of cases) {
    const headers = signedHeaders({ body, nonce, target: signed });
    if (host !== null) headers.set("Host", host);
    const answer = await emulator.fetch(
      asServed(url, { method: "PATCH", body, headers }),
    );
    assert.equal(answer.status, 400, url);
    assert.deepEqual(await answer.json(), { error: ["EGeneral:Bad request"] });
    assert.equal(
      emulator.log.at(-1)?.path,
      url.replace("//proxyuser:hunter2-secret@", "//[redacted]@"),
    );
  }
  assert.equal(emulator.users.get(USER)?.language, "en");
  assert.equal((await send(emulator, { body, nonce })).status, 200);
});

test("handle() drops a fragment from the target, as fetch() does: the signature and the log cover the target without it", async () => {
  const emulator = emulatorWith();
  const raw = (signedOver: string) => {
    const nonce = nextNonce();
    return emulator.handle({
      method: "GET",
      target: `${PATH}?q=1#frag`,
      headers: new Headers({
        "API-Key": API_KEY,
        "API-Nonce": nonce,
        "API-Sign": signFor(nonce, signedOver),
      }),
      body: new Uint8Array(0),
    });
  };
  assert.equal((await raw(`${PATH}?q=1`)).status, 200);
  assert.equal(emulator.log[0].path, `${PATH}?q=1`);
  const withFragment = await raw(`${PATH}?q=1#frag`);
  assert.equal(withFragment.status, 401);
  assert.deepEqual(await withFragment.json(), {
    error: ["EAPI:Invalid signature"],
  });
});

test("handle() refuses with 400 EGeneral:Bad request a target not in origin form or a Host that is not a host and port, ahead of a queued fault, consuming no nonce", async () => {
  const emulator = emulatorWith();
  const body = '{"language":"fr"}';
  const nonce = nextNonce();
  emulator.failNext(1);
  const cases: [target: string, host: string | null][] = [
    [`x${PATH}`, null],
    [`http://h${PATH}`, null],
    ["*", null],
    ["", null],
    [PATH, `x${PATH}?`],
    [PATH, "h/"],
    [PATH, "h#"],
    [PATH, "a@h"],
    [PATH, "h:80x"],
  ];
  for (const [target, host] of cases) {
    const headers = signedHeaders({ body, nonce, target });
    if (host !== null) headers.set("Host", host);
    const answer = await emulator.handle({
      method: "PATCH",
      target,
      headers,
      body: new TextEncoder().encode(body),
    });
    assert.equal(answer.status, 400, `${target} ${host}`);
    assert.deepEqual(await answer.json(), { error: ["EGeneral:Bad request"] });
    assert.equal(emulator.log.at(-1)?.path, target);
  }
  assert.equal((await send(emulator, { body, nonce })).status, 503);
  assert.equal((await send(emulator, { body, nonce })).status, 200);
  // A Host that is a host and port, or none, changes nothing.
  for (const host of ["127.0.0.1:8787", "[::1]:80", "emulator.test", ""]) {
    const answer = await send(emulator, { body, headers: { Host: host } });
    assert.equal(answer.status, 200, host);
  }
});

test("handle() logs an absolute-form target's userinfo as [redacted] up to its last @, never a password with an @ in it, and stops where the authority ends", async () => {
  const emulator = emulatorWith();
  const body = '{"language":"fr"}';
  const cases: [target: string, logged: string][] = [
    [`http://proxyuser:hunter2-secret@h${PATH}`, `http://[redacted]@h${PATH}`],
    // A raw @ inside the password (node:http passes such a request line
    // through as it is): all of the userinfo is redacted, to the last @.
    [`http://proxyuser:hunter2@secret@h${PATH}`, `http://[redacted]@h${PATH}`],
    [`https://a@b@c@h:8080${PATH}`, `https://[redacted]@h:8080${PATH}`],
    // An @ past the authority's end (in the fragment, the query or the path)
    // is no userinfo: the target is logged as it is.
    [`http://h#frag@x${PATH}`, `http://h#frag@x${PATH}`],
    [`http://h?q=a@x${PATH}`, `http://h?q=a@x${PATH}`],
    [`http://h/a@x${PATH}`, `http://h/a@x${PATH}`],
  ];
  for (const [target, logged] of cases) {
    const answer = await emulator.handle({
      method: "PATCH",
      target,
      headers: signedHeaders({ body, target }),
      body: new TextEncoder().encode(body),
    });
    assert.equal(answer.status, 400, target);
    assert.deepEqual(await answer.json(), { error: ["EGeneral:Bad request"] });
    assert.equal(emulator.log.at(-1)?.path, logged, target);
  }
  assert.equal(emulator.log.length, cases.length);
  assert.doesNotMatch(JSON.stringify(emulator.log), /proxyuser|hunter2|secret/);
  assert.equal(emulator.users.get(USER)?.language, "en");
});

test("handle() refuses what is not a raw request with a TypeError naming the field, and logs nothing", async () => {
  const emulator = emulatorWith();
  const good = () => ({
    method: "GET",
    target: PATH,
    headers: new Headers(),
    body: new Uint8Array(0),
  });
  const { body: _body, ...withoutBody } = good();
  const cases: [request: unknown, message: RegExp][] = [
    [undefined, /^request: Expected \{ method, target, headers, body/],
    [null, /^request: Expected/],
    [[], /^request: Expected/],
    ["GET /", /^request: Expected/],
    [
      { ...withoutBody, bdy: new Uint8Array(0) },
      /^request\.bdy: Unknown field/,
    ],
    [{ ...good(), extra: 1 }, /^request\.extra: Unknown field/],
    [withoutBody, /^request\.body: Expected a Uint8Array/],
    [{ ...good(), body: "{}" }, /^request\.body: Expected a Uint8Array/],
    [
      { ...good(), headers: { host: "h" } },
      /^request\.headers: Expected a Headers/,
    ],
    // Its get() is case-sensitive: every request would be refused.
    [
      { ...good(), headers: new Map([["API-Key", "k"]]) },
      /^request\.headers: Expected a Headers/,
    ],
    [{ ...good(), method: undefined }, /^request\.method: Expected a string/],
    [
      { ...good(), target: new URL("http://h/") },
      /^request\.target: Expected a string/,
    ],
  ];
  for (const [request, message] of cases) {
    await assert.rejects(
      emulator.handle(request as RawRequest),
      (error: unknown) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(error.message, message);
        return true;
      },
      JSON.stringify(request),
    );
  }
  assert.equal(emulator.log.length, 0);
  // A Node Buffer is a Uint8Array, and a signal may be given.
  const answer = await emulator.handle({
    ...good(),
    body: Buffer.alloc(0),
    signal: new AbortController().signal,
  });
  assert.equal(answer.status, 401);
  assert.equal(emulator.log.length, 1);
  // Taken by shape and tag: headers of another fetch implementation's class
  // (anything with get()), a body made in another realm (a test runner's).
  const foreign = await emulator.handle({
    ...good(),
    headers: { get: (name: string) => new Headers().get(name) } as Headers,
    body: vm.runInNewContext("new Uint8Array(0)"),
  });
  assert.equal(foreign.status, 401);
  assert.equal(emulator.log.length, 2);
});

test("handle() reads a header an adapter's get() answers undefined for as not sent, and refuses one it answers with a number, naming it", async () => {
  const emulator = emulatorWith();
  // A hand-written Node adapter: a plain object of lower-case names.
  const plain = (headers: Headers) => {
    const object: Record<string, unknown> = Object.fromEntries(headers);
    return { get: (name: string) => object[name] } as unknown as Headers;
  };
  const body = '{"language":"de"}';
  const patch = await emulator.handle({
    method: "PATCH",
    target: PATH,
    headers: plain(signedHeaders({ body })),
    body: new TextEncoder().encode(body),
  });
  assert.equal(patch.status, 200, await patch.clone().text());
  assert.equal(emulator.users.get(USER)?.language, "de");
  // The version headers too, by their lower-case names.
  const versioned = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    apiVersions: ["2099-01-01"],
  });
  const asked: string[] = [];
  const headers = plain(
    signedHeaders({
      method: "GET",
      headers: { "Payward-Version": "2099-01-01" },
    }),
  );
  const answered = await versioned.handle({
    method: "GET",
    target: PATH,
    headers: {
      get: (name: string) => (asked.push(name), headers.get(name)),
    } as Headers,
    body: new Uint8Array(0),
  });
  assert.equal(answered.status, 200, await answered.clone().text());
  // Each header asked for once, by its lower-case name.
  assert.deepEqual(asked, [...new Set(asked)]);
  assert.ok(asked.every((name) => name === name.toLowerCase()), asked.join());
  for (const left of ["key", "nonce", "sign"] as const) {
    const answer = await emulator.handle({
      method: "GET",
      target: PATH,
      headers: plain(signedHeaders({ method: "GET", [left]: null })),
      body: new Uint8Array(0),
    });
    assert.equal(answer.status, 401, left);
  }
  assert.equal(emulator.log.length, 4);
  const numbered = signedHeaders({ method: "GET" });
  // Refused before it takes a queued fault, which goes to the next request.
  emulator.failNext(1, { status: 503 });
  await assert.rejects(
    emulator.handle({
      method: "GET",
      target: PATH,
      headers: {
        get: (name: string) => name === "api-nonce" ? 7 : numbered.get(name),
      } as unknown as Headers,
      body: new Uint8Array(0),
    }),
    (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(
        error.message,
        /^request\.headers: Expected get\("api-nonce"\) to return a string, null or undefined$/,
      );
      return true;
    },
  );
  assert.equal(emulator.log.length, 4);
  // The refused request holds no turn, and took no fault: the next is
  // answered with the fault, and the one after it as usual.
  const faulted = await emulator.handle({
    method: "GET",
    target: PATH,
    headers: signedHeaders({ method: "GET" }),
    body: new Uint8Array(0),
  });
  assert.equal(faulted.status, 503);
  await faulted.body?.cancel();
  const after = await emulator.handle({
    method: "GET",
    target: PATH,
    headers: signedHeaders({ method: "GET" }),
    body: new Uint8Array(0),
  });
  assert.equal(after.status, 200);
});

test("handle() with a delay fault and a signal that is no AbortSignal waits the delay out and throws nothing later", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { delayMs: 20 });
  const answer = await emulator.handle({
    method: "GET",
    target: PATH,
    headers: new Headers(),
    body: new Uint8Array(0),
    signal: {} as AbortSignal,
  });
  assert.equal(answer.status, 503);
  // An exception thrown by a timer left behind would fail the run here.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(emulator.log.length, 1);
});

test("a body stream that breaks off is a 400, not a 500", async () => {
  const emulator = emulatorWith();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([0x7b]));
      controller.error(new Error("connection reset"));
    },
  });
  const answer = await emulator.fetch(
    new Request(
      ORIGIN + PATH,
      { method: "PATCH", body, duplex: "half" } as RequestInit,
    ),
  );
  assert.equal(answer.status, 400);
  assert.deepEqual(await answer.json(), { error: ["EGeneral:Bad request"] });
  assert.match(answer.headers.get("x-trace-id") ?? "", /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    [emulator.log[0].path, emulator.log[0].status, emulator.log[0].errors],
    [PATH, 400, ["EGeneral:Bad request"]],
  );
  // A queued fault is not used up by it, but given back for the next
  // request to arrive, and no one waits on its turn.
  emulator.failNext(1, { status: 429 });
  const broken = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new Error("connection reset"));
    },
  });
  const answers = await Promise.all([
    emulator.fetch(
      new Request(ORIGIN + PATH, {
        method: "PATCH",
        body: broken,
        duplex: "half",
      } as RequestInit),
    ),
    send(emulator, { body: '{"language":"de"}' }),
    send(emulator, { body: '{"language":"fr"}' }),
  ]);
  assert.deepEqual(
    [answers[0].status, answers[1].status, answers[2].status],
    [400, 200, 200],
  );
  assert.equal(emulator.users.get(USER)?.language, "fr");
  assert.equal(
    (await send(emulator, { body: '{"language":"it"}' })).status,
    429,
  );
  assert.equal(
    (await send(emulator, { body: '{"language":"it"}' })).status,
    200,
  );
});

test("fetch() refuses a request whose headers declare a body it does not carry, rather than judge its signature without the body", async () => {
  // Deno.serve and Bun.serve hand a GET's body over as none, keeping its
  // Content-Length: the bytes sent cannot be checked against API-Sign.
  for (
    const declared of [
      { "Content-Length": "3" },
      { "Transfer-Encoding": "chunked" },
    ] as Record<string, string>[]
  ) {
    const emulator = emulatorWith();
    const answer = await emulator.fetch(
      new Request(ORIGIN + PATH, {
        method: "GET",
        headers: signedHeaders({ method: "GET", headers: declared }),
      }),
    );
    assert.equal(answer.status, 400, JSON.stringify(declared));
    assert.deepEqual(await answer.json(), { error: ["EGeneral:Bad request"] });
    // Its turn goes to the next request, which is judged.
    assert.equal((await send(emulator, { method: "GET" })).status, 200);
  }
  // A GET that says its body is empty is judged.
  const emulator = emulatorWith();
  const answer = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "GET",
      headers: signedHeaders({
        method: "GET",
        headers: { "Content-Length": "0" },
      }),
    }),
  );
  assert.equal(answer.status, 200);
});

test("a request whose headers become malformed while its body is read is a 400 that holds no one up", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { status: 429 });
  for (const next of [429, 200]) {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    const request = new Request(ORIGIN + PATH, {
      method: "PATCH",
      body,
      duplex: "half",
      headers: signedHeaders({ body: "{}" }),
    } as RequestInit);
    const answering = emulator.fetch(request);
    // Admitted with its fault or its turn, then no longer well formed.
    request.headers.set("Host", "not a host");
    controller.enqueue(new TextEncoder().encode("{}"));
    controller.close();
    assert.equal((await answering).status, 400);
    // The fault it took, or its turn, goes to the next request. (A request
    // held up waits forever: the bound only tells that from an answer, which
    // on a busy machine can take WebCrypto's thread most of a second.)
    const later = await within(
      send(emulator, { method: "GET" }).then((answer) => answer.status),
      5_000,
    );
    assert.equal(later, next);
  }
});

test("a request whose body is slow to arrive holds up only the requests with its API key or to its user", async () => {
  const other = { apiKey: "second-key", apiSecret: "c2Vjb25kLXNlY3JldA==" };
  const third = { apiKey: "third-key", apiSecret: "dGhpcmQtc2VjcmV0" };
  const second = "BB11 N84G TEST YYYY";
  const secondPath = `/b2b/users/${encodeURIComponent(second)}`;
  const emulator = emulatorWith({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }, other, third],
    users: [SEEDED, { user: second }],
  });
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const slow = emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      body,
      duplex: "half",
      headers: signedHeaders({ body: '{"language":"de"}' }),
    } as RequestInit),
  );
  const by = (credential: typeof other, target: string) => {
    const nonce = nextNonce();
    return send(emulator, {
      method: "GET",
      target,
      nonce,
      key: credential.apiKey,
      sign: signFor(nonce, target, "", credential.apiSecret),
    }).then((answer) => answer.status);
  };
  const free = by(other, secondPath);
  const done: string[] = [];
  const waiting = {
    "its key": send(emulator, { method: "GET", target: secondPath }),
    "its user": by(third, PATH),
  };
  for (const [name, answer] of Object.entries(waiting)) {
    Promise.resolve(answer).then(() => done.push(name));
  }
  // Held up, it would wait forever: the bound only tells that from an
  // answer, whose signature check on a busy machine can take WebCrypto's
  // thread most of a second.
  const first = await within(free, 5_000);
  assert.equal(first, 200, "another key's request to another user");
  // A request with its key (nonces go by key) or to its user (patches are
  // applied in order) waits its turn, behind the slow one, however long.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(done, []);
  controller.enqueue(new TextEncoder().encode('{"language":"de"}'));
  controller.close();
  assert.equal((await slow).status, 200);
  assert.equal((await waiting["its key"]).status, 200);
  assert.equal(await waiting["its user"], 200);
});

/**
 * A PATCH to the seeded user handed to `emulator.fetch` with a body that
 * arrives only on `release()`: `text`, then its end.
 */
function heldPatch(
  emulator: Emulator,
  headers: HeadersInit,
  text = "",
): { answer: Promise<Response>; release(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const answer = emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      duplex: "half",
      headers,
      body: new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
      }),
    } as RequestInit),
  );
  const release = () => {
    if (text !== "") controller.enqueue(new TextEncoder().encode(text));
    controller.close();
  };
  return { answer, release };
}

test("a request with an unknown API key, whose body never ends, holds up no request to its user", async () => {
  // It can only be refused as an invalid key: anyone could open one.
  const emulator = emulatorWith();
  const stalled = heldPatch(emulator, {
    "API-Key": "nobody",
    "Content-Type": "application/json",
  });
  const signed = send(emulator, { method: "GET" }).then((a) => a.status);
  // Held up, it would wait forever: the bound only tells that from an
  // answer, whose signature check on a busy machine can take WebCrypto's
  // thread most of a second.
  const first = await within(signed, 5_000);
  assert.equal(first, 200, "the user's signed request");
  stalled.release();
  const refused = await stalled.answer;
  assert.equal(refused.status, 401);
  assert.deepEqual(await refused.json(), { error: ["EAPI:Invalid key"] });
});

test("a fault's error list is logged as the client reads it: an entry that is no string as its JSON text", async () => {
  const emulator = emulatorWith();
  const bodies = [
    { error: [{ code: 7 }, "EService:Busy", null] },
    { error: [Object.create(null)] },
    { error: [{ toString: () => "a caller's own" }] },
  ];
  for (const body of bodies) emulator.failNext(1, { status: 503, body });
  for (const body of bodies) {
    const answer = await emulator.fetch(new Request(`${ORIGIN}/anything`));
    assert.deepEqual(await answer.json(), JSON.parse(JSON.stringify(body)));
  }
  assert.deepEqual(emulator.log.map((entry) => entry.errors), [
    ['{"code":7}', "EService:Busy", "null"],
    ["{}"],
    ["{}"],
  ]);
});

test("of two patches to one user with two keys, handed over at once, the later is kept", async () => {
  // Their signatures finish in any order; each waits for the earlier
  // requests to its user, whatever their key, before it is applied.
  const other = { apiKey: "second-key", apiSecret: "c2Vjb25kLXNlY3JldA==" };
  const languages = ["de", "fr", "it", "es"];
  for (let round = 0; round < 20; round++) {
    const emulator = emulatorWith({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }, other],
    });
    const answers = await Promise.all(languages.map((language, i) => {
      // The earlier ones the larger, whose signatures take the longest.
      const body = `{"language":"${language}"${" ".repeat((4 - i) * 5000)}}`;
      const nonce = nextNonce();
      const byOther = i % 2 === 1;
      return send(emulator, {
        body,
        nonce,
        ...(byOther
          ? {
            key: other.apiKey,
            sign: signFor(nonce, PATH, body, other.apiSecret),
          }
          : {}),
      });
    }));
    assert.deepEqual(answers.map((answer) => answer.status), [
      200,
      200,
      200,
      200,
    ]);
    assert.equal(emulator.users.get(USER)?.language, "es", `round ${round}`);
  }
});

test("a target with a fragment waits its turn by its user too, as the target it is judged by", async () => {
  // C holds key one's turn (its body held back); A (key one, user U, with a
  // raw "#" that handle() takes and drops) arrives before B (key two, user
  // U): B must wait for A, and the later patch, B's, be kept.
  const other = { apiKey: "second-key", apiSecret: "c2Vjb25kLXNlY3JldA==" };
  const second = "BB11 N84G TEST YYYY";
  const secondPath = `/b2b/users/${encodeURIComponent(second)}`;
  const emulator = emulatorWith({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }, other],
    users: [SEEDED, { user: second }],
  });
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const held = '{"language":"de"}';
  const c = emulator.fetch(
    new Request(ORIGIN + secondPath, {
      method: "PATCH",
      duplex: "half",
      headers: signedHeaders({ target: secondPath, body: held }),
      body: new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
      }),
    } as RequestInit),
  );
  const raw = (body: string, target: string, headers: Headers) =>
    emulator.handle({
      method: "PATCH",
      target,
      headers,
      body: new TextEncoder().encode(body),
    });
  const a = raw(
    '{"language":"fr"}',
    `${PATH}#x`,
    signedHeaders({ body: '{"language":"fr"}' }),
  );
  const nonce = nextNonce();
  const b = raw(
    '{"language":"it"}',
    PATH,
    signedHeaders({
      body: '{"language":"it"}',
      nonce,
      key: other.apiKey,
      sign: signFor(nonce, PATH, '{"language":"it"}', other.apiSecret),
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.enqueue(new TextEncoder().encode(held));
  controller.close();
  assert.deepEqual(
    [(await c).status, (await a).status, (await b).status],
    [200, 200, 200],
  );
  assert.equal(emulator.users.get(USER)?.language, "it");
});

test("users.get() refuses a malformed IIBAN or signal before sending", async () => {
  const emulator = emulatorWith();
  const client = clientOf(emulator);
  await assert.rejects(client.users.get("short"), EmbedValidationError);
  await assert.rejects(
    client.users.get(USER, { signal: "no" } as never),
    EmbedValidationError,
  );
  assert.equal(emulator.log.length, 0);
});

test("createEmulator() refuses malformed options with a TypeError that never quotes a secret", () => {
  const secret = "bm90LWEtcmVhbC1zZWNyZXQ=";
  const bad: Array<Partial<EmulatorOptions> | null> = [
    null,
    { credentials: [] },
    { credentials: "key" as never },
    { credentials: [{ apiKey: "has space", apiSecret: secret }] },
    { credentials: [{ apiKey: "k", apiSecret: "not base64!" }] },
    { credentials: [{ apiKey: "k", apiSecret: "" }] },
    {
      credentials: [{ apiKey: "k", apiSecret: secret }, {
        apiKey: "k",
        apiSecret: secret,
      }],
    },
    { users: [{ user: "short" }] },
    { users: [SEEDED, SEEDED] },
    { users: [{ user: USER, phone: "+0" }] },
    { users: [{ user: USER, status: { state: 1 } as never }] },
    { users: [null as never] },
    { users: {} as never },
    { nonceWindow: -1 },
    { nonceWindow: 1.5 },
    { nonceWindow: "10" as never },
  ];
  for (const options of bad) {
    const error = (() => {
      try {
        createEmulator(
          options === null ? null as never : {
            credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
            ...options,
          },
        );
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof TypeError, JSON.stringify(options));
    assert.ok(
      !error.message.includes(SECRET) && !error.message.includes(secret),
    );
  }
  const seeded = (() => {
    try {
      createEmulator({
        credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
        users: [SEEDED, {
          user: "CC22 THIRD USER 99",
          residence: { country: "XX" } as never,
        }],
      });
    } catch (e) {
      return e as TypeError;
    }
  })();
  assert.match(seeded?.message ?? "", /^users\[1\]: .*residence\.country/);
  // The fields the emulator checks as an answer's `result` are named as the
  // seed's own.
  assert.throws(
    () =>
      createEmulator({
        credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
        users: [{ user: USER, status: { state: "weird" } as never }],
      }),
    (error) =>
      error instanceof TypeError &&
      /^users\[0\]: status\.required_actions: /.test(error.message),
  );
  // A misspelt option is refused by name, not ignored (the window would be 0).
  for (
    const [name, shown] of [["nonceWindw", "nonceWindw"], ["a.b\n", '"a.b\\n"']]
  ) {
    assert.throws(
      () =>
        createEmulator({
          credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
          [name]: 5,
        } as EmulatorOptions),
      (error) =>
        error instanceof TypeError &&
        error.message ===
          `${shown}: Unknown option; expected { credentials, users?, nonceWindow?, apiVersions? }`,
      name,
    );
  }
  // So is one inside a credential: a nonceWindow put there by mistake would
  // leave the window at 0.
  assert.throws(
    () =>
      createEmulator({
        credentials: [
          { apiKey: API_KEY, apiSecret: SECRET },
          { apiKey: "second", apiSecret: SECRET, nonceWindow: 5 },
        ],
      } as EmulatorOptions),
    (error) =>
      error instanceof TypeError &&
      error.message ===
        "credentials[1].nonceWindow: Unknown option; expected { apiKey, apiSecret }",
  );
});

test("the log keeps the latest 10,000 requests", async () => {
  const emulator = emulatorWith();
  for (let i = 0; i < 10_003; i++) {
    await emulator.fetch(new Request(`${ORIGIN}/nowhere/${i}`));
  }
  const log = emulator.log;
  assert.equal(log.length, 10_000);
  assert.equal(log[0].path, "/nowhere/3");
  assert.equal(log.at(-1)?.path, "/nowhere/10002");
});

test("the log keeps a known API-Key as it is, shows an unknown one by its first 4 characters only, and a missing one as undefined", async () => {
  const emulator = emulatorWith();
  // A partner who swapped the two variables sends the secret as the key.
  const other = Buffer.from(crypto.getRandomValues(new Uint8Array(64)))
    .toString("base64");
  assert.equal((await send(emulator, { method: "GET" })).status, 200);
  for (const key of [SECRET, other, null, "ab"]) {
    assert.equal((await send(emulator, { method: "GET", key })).status, 401);
  }
  assert.deepEqual(emulator.log.map((entry) => entry.apiKey), [
    API_KEY,
    `${SECRET.slice(0, 4)}…`,
    `${other.slice(0, 4)}…`,
    undefined,
    "ab…",
  ]);
  const json = JSON.stringify(emulator.log);
  for (const secret of [SECRET, other]) {
    assert.ok(!json.includes(secret.slice(0, 8)), "a secret in the log");
  }
});

test("the log keeps an API-Nonce of up to 20 digits as it is, and shows anything else by its first 4 characters only", async () => {
  const emulator = emulatorWith();
  // A partner who put the secret, or the signature, where the nonce goes.
  const digits = nextNonce();
  const sent = [digits, SECRET, signFor("1", PATH), "1".repeat(21), "ab"];
  for (const nonce of sent) {
    await send(emulator, { method: "GET", nonce, sign: "x" });
  }
  await send(emulator, { method: "GET", nonce: null, sign: "x" });
  assert.deepEqual(emulator.log.map((entry) => entry.nonce), [
    digits,
    `${SECRET.slice(0, 4)}…`,
    `${signFor("1", PATH).slice(0, 4)}…`,
    "1111…",
    "ab…",
    undefined,
  ]);
  assert.ok(!JSON.stringify(emulator.log).includes(SECRET.slice(0, 8)));
});

test("nonceWindow accepts exactly the nonces a naive model of the window rule accepts, on generated sequences", async () => {
  const MAX_U64 = (1n << 64n) - 1n;
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 0n, max: 12n }),
      // Near 0 and near the top of the 64-bit range.
      fc.constantFrom(0n, MAX_U64 - 40n),
      fc.array(fc.bigInt({ min: 0n, max: 40n }), { maxLength: 40 }),
      async (window, base, offsets) => {
        const emulator = emulatorWith({ nonceWindow: window });
        // The model: every nonce used so far, never forgotten.
        const used = new Set<bigint>();
        let highest = -1n;
        for (const nonce of offsets.map((offset) => base + offset)) {
          const accepted = !used.has(nonce) &&
            (highest === -1n || nonce > highest - window);
          if (accepted) {
            used.add(nonce);
            if (nonce > highest) highest = nonce;
          }
          const answer = await send(emulator, {
            method: "GET",
            nonce: String(nonce),
          });
          assert.equal(
            answer.status,
            accepted ? 200 : 401,
            `nonce ${nonce}, window ${window}`,
          );
        }
      },
    ),
    { numRuns: 100 },
  );
});

/** A Request that counts how often its `signal` getter is read. */
class SignalCountingRequest extends Request {
  signalReads = 0;
  override get signal(): AbortSignal {
    this.signalReads++;
    return super.signal;
  }
}

test("fetch() reads request.signal only for a fault with a delay, whose wait the signal's abort cuts short", async () => {
  const emulator = emulatorWith();
  const get = (signal?: AbortSignal) =>
    new SignalCountingRequest(ORIGIN + PATH, {
      headers: signedHeaders({ method: "GET" }),
      signal: signal ?? null,
    });
  const normal = get();
  assert.equal((await emulator.fetch(normal)).status, 200);
  assert.equal(normal.signalReads, 0, "a request without a fault");
  emulator.failNext(1, { status: 503 });
  const faulted = get();
  assert.equal((await emulator.fetch(faulted)).status, 503);
  assert.equal(faulted.signalReads, 0, "a fault without a delay");

  emulator.failNext(1, { status: 503, delayMs: 600_000 });
  const controller = new AbortController();
  const delayed = get(controller.signal);
  let settled = false;
  const answer = emulator.fetch(delayed).finally(() => (settled = true));
  const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
  // The emulator starts waiting as soon as it has read the signal.
  for (let i = 0; i < 1000 && delayed.signalReads === 0; i++) await turn();
  assert.ok(delayed.signalReads > 0, "the signal read for the delay");
  controller.abort();
  for (let i = 0; i < 10 && !settled; i++) await turn();
  assert.ok(settled, "the abort ends the delay");
  assert.equal((await answer).status, 503);
  assert.deepEqual(emulator.log.map((entry) => entry.fault), [
    false,
    true,
    true,
  ]);
});

test("fetch() called as fetch(input, init) rejects with a TypeError that names the fix, and logs nothing", async () => {
  const emulator = emulatorWith();
  const message =
    "request: Expected a Request; as a client's fetch, pass (input, init) => emulator.fetch(new Request(input, init))";
  const misused = emulator.fetch as unknown as (
    input: unknown,
    init?: RequestInit,
  ) => Promise<Response>;
  for (
    const input of [ORIGIN + PATH, new URL(ORIGIN + PATH), undefined, {
      url: ORIGIN + PATH,
      method: "GET",
      headers: new Headers(),
    }]
  ) {
    await assert.rejects(misused(input, { method: "GET" }), {
      name: "TypeError",
      message,
    });
  }
  // As a client's fetch option: the client's error carries it as a cause.
  const error: unknown = await new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: misused,
    maxRetries: 0,
  }).users.get(USER).catch((e) => e);
  const messages: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) messages.push(e.message);
  assert.ok(messages.includes(message), messages.join(" <- "));
  assert.equal(emulator.log.length, 0);
});

test("a seed's and a fault's optional fields given as undefined are taken as left out", async () => {
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{
      user: USER,
      external_id: undefined,
      status: undefined,
      created_at: undefined,
    }],
  });
  const seeded = emulator.users.get(USER);
  assert.ok(seeded !== undefined);
  assert.equal("external_id" in seeded, false);
  assert.deepEqual(seeded.status, { state: "ok", required_actions: [] });
  assert.match(seeded.created_at, /^\d{4}-\d\d-\d\dT/);
  emulator.failNext(1, {
    status: undefined,
    retryAfter: undefined,
    body: undefined,
    delayMs: undefined,
  });
  const response = await emulator.fetch(new Request(`${ORIGIN}/b2b/assets`));
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), null);
  assert.deepEqual(await response.json(), { error: ["EService:Unavailable"] });
});

test("a Payward-Version (or Kraken-Version) other than the emulator's is refused before the key is checked, and consumes no nonce", async () => {
  const emulator = emulatorWith();
  const body = JSON.stringify({ language: "fr" });
  const nonce = nextNonce();
  for (
    const [name, version] of [
      ["Payward-Version", "2099-01-01"],
      ["Payward-Version", "banana"],
      ["Kraken-Version", "2024-01-01"],
    ]
  ) {
    const refused = await send(emulator, {
      body,
      nonce,
      headers: { [name]: version },
    });
    assert.equal(refused.status, 400, `${name}: ${version}`);
    assert.deepEqual(errorsOf(refused), [
      `EGeneral:Invalid arguments:${name}`,
    ]);
  }
  // The same nonce, with the version the reference lists, or with none
  // (the service's default): accepted.
  const accepted = await send(emulator, {
    body,
    nonce,
    headers: { "Payward-Version": "2025-04-15" },
  });
  assert.equal(accepted.status, 200);
  assert.equal((await send(emulator, { body })).status, 200);
  // The client's apiVersion is refused through the emulator as well.
  const error = await clientOf(emulator, { apiVersion: "2024-01-01" }).users
    .update(USER, { language: "fr" }).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 400);
  assert.deepEqual(error.errors, [
    "EGeneral:Invalid arguments:Payward-Version",
  ]);
});

test("apiVersions lists the versions an emulator takes, and is checked", async () => {
  const emulator = emulatorWith({ apiVersions: ["2025-04-15", "2026-01-01"] });
  const client = clientOf(emulator, { apiVersion: "2026-01-01" });
  assert.deepEqual(await client.users.update(USER, { language: "fr" }), {
    result: "success",
  });
  // Without a version header, a request asks for the service's default,
  // 2025-04-15, which an emulator that does not take it refuses: a client
  // that sends none fails here as it would against such a service.
  const newer = emulatorWith({ apiVersions: ["2026-01-01"] });
  const none = await send(newer, { body: '{"language":"fr"}' });
  assert.equal(none.status, 400);
  assert.deepEqual(errorsOf(none), [
    "EGeneral:Invalid arguments:Payward-Version",
  ]);
  const named = await send(newer, {
    body: '{"language":"fr"}',
    headers: { "Kraken-Version": "2026-01-01" },
  });
  assert.equal(named.status, 200);
  // Both names, each a version it takes: the same one is taken, two
  // different ones are refused, on the second name, as neither can be the
  // one the service would apply.
  const both = emulatorWith({ apiVersions: ["2025-04-15", "2026-01-01"] });
  const same = await send(both, {
    body: '{"language":"fr"}',
    headers: {
      "Payward-Version": "2026-01-01",
      "Kraken-Version": "2026-01-01",
    },
  });
  assert.equal(same.status, 200);
  const nonce = nextNonce();
  const conflicting = await send(both, {
    body: '{"language":"fr"}',
    nonce,
    headers: {
      "Payward-Version": "2025-04-15",
      "Kraken-Version": "2026-01-01",
    },
  });
  assert.equal(conflicting.status, 400);
  assert.deepEqual(errorsOf(conflicting), [
    "EGeneral:Invalid arguments:Kraken-Version",
  ]);
  // No nonce consumed: the same one is taken with one version.
  const one = await send(both, {
    body: '{"language":"fr"}',
    nonce,
    headers: { "Kraken-Version": "2026-01-01" },
  });
  assert.equal(one.status, 200);
  for (
    const apiVersions of [[], ["2025-04-15\r\n"], [42], "2025-04-15", [""]]
  ) {
    assert.throws(
      () => emulatorWith({ apiVersions } as Partial<EmulatorOptions>),
      (error) =>
        error instanceof TypeError &&
        error.message ===
          'apiVersions: Expected a non-empty array of versions like "2025-04-15"',
      JSON.stringify(apiVersions),
    );
  }
});

test("the emulator's own answers, successes and refusals, are application/json", async () => {
  const emulator = emulatorWith();
  const answers = [
    await send(emulator, { method: "GET" }),
    await send(emulator, { body: '{"language":"fr"}' }),
    await send(emulator, { key: "nobody" }),
    await send(emulator, { method: "POST" }),
  ];
  for (const answer of answers) {
    assert.equal(
      answer.response.headers.get("content-type"),
      "application/json",
    );
  }
});

test("an apiVersions array changed after createEmulator does not change the versions the emulator takes", async () => {
  const apiVersions = ["2025-04-15"];
  const emulator = emulatorWith({ apiVersions });
  apiVersions.push("2099-01-01");
  const added = await send(emulator, {
    body: '{"language":"fr"}',
    headers: { "Payward-Version": "2099-01-01" },
  });
  assert.equal(added.status, 400);
  assert.deepEqual(errorsOf(added), [
    "EGeneral:Invalid arguments:Payward-Version",
  ]);
  apiVersions.length = 0;
  const listed = await send(emulator, {
    body: '{"language":"fr"}',
    headers: { "Payward-Version": "2025-04-15" },
  });
  assert.equal(listed.status, 200);
});

test("a PATCH body with a leading byte order mark is read without it, as the README says", async () => {
  const emulator = emulatorWith();
  const answer = await send(emulator, { body: '\uFEFF{"language":"fr"}' });
  assert.equal(answer.status, 200);
  assert.equal(emulator.users.get(USER)?.language, "fr");
});

test("a body of exactly 64 KiB whose Content-Length says so is read and judged on its content", async () => {
  const emulator = emulatorWith();
  const atLimit = JSON.stringify({ employer_name: "" }).length;
  const edge = `{"employer_name":"${"x".repeat(MAX_BODY_BYTES - atLimit)}"}`;
  const answer = await send(emulator, {
    body: edge,
    headers: { "content-length": String(MAX_BODY_BYTES) },
  });
  assert.equal(answer.status, 400);
  assert.deepEqual(errorsOf(answer), [
    "EGeneral:Invalid arguments:employer_name",
  ]);
});

test("a Content-Length that is not digits is not read as a size: the body is judged on its own length", async () => {
  const emulator = emulatorWith();
  for (const length of ["1e6", "0x20000"]) {
    const body = '{"language":"fr"}';
    const answer = await emulator.handle({
      method: "PATCH",
      target: PATH,
      headers: signedHeaders({ body, headers: { "content-length": length } }),
      body: new TextEncoder().encode(body),
    });
    assert.equal(answer.status, 200, length);
  }
});

test("a seed's created_at must be an RFC 3339 date-time, as UserSeed says", () => {
  for (
    const created_at of ["yesterday", "", "2025-04-15", "2025-02-30T00:00:00Z"]
  ) {
    assert.throws(
      () => emulatorWith({ users: [{ user: USER, created_at }] }),
      (error) =>
        error instanceof TypeError &&
        /^users\[0\]: created_at: Expected an RFC 3339 date-time/.test(
          error.message,
        ),
      created_at,
    );
  }
  const emulator = emulatorWith({
    users: [{ user: USER, created_at: "1999-12-31T23:59:59.5+01:00" }],
  });
  assert.equal(
    emulator.users.get(USER)!.created_at,
    "1999-12-31T23:59:59.5+01:00",
  );
});

test("a seed's profile fields are read up its prototype chain, as its service fields are: an inherited one stored, a misspelt one refused, none from Object.prototype", () => {
  const defaults = Object.assign(Object.create(null), {
    language: "en",
    phone: "+447700900123",
    external_id: "ext-1",
  });
  const seed = Object.assign(Object.create(defaults), {
    user: USER,
    phone: "+447700900999",
  });
  const stored = emulatorWith({ users: [seed] }).users.get(USER)!;
  assert.equal(stored.external_id, "ext-1");
  assert.equal(stored.language, "en");
  // The seed's own field wins over its defaults'.
  assert.equal(stored.phone, "+447700900999");
  assert.throws(
    () =>
      emulatorWith({
        users: [Object.assign(Object.create({ langauge: "en" }), {
          user: USER,
        })],
      }),
    (error) =>
      error instanceof TypeError &&
      /^users\[0\]: langauge: /.test(error.message),
  );
  (Object.prototype as Record<string, unknown>).occupation = "finance";
  try {
    const plain = emulatorWith({ users: [{ user: USER }] }).users.get(USER)!;
    assert.equal(Object.hasOwn(plain, "occupation"), false);
  } finally {
    delete (Object.prototype as Record<string, unknown>).occupation;
  }
});

test("a seed's null external_id or deadline is left out, as absent, as users.get reads it", async () => {
  const emulator = emulatorWith({
    users: [{
      user: USER,
      external_id: null,
      status: {
        state: "ok",
        required_actions: [{ action_type: "verification", deadline: null }],
      },
    } as never],
  });
  const stored = emulator.users.get(USER)!;
  assert.ok(!("external_id" in stored));
  assert.deepEqual(stored.status.required_actions, [
    { action_type: "verification" },
  ]);
  const answer = await send(emulator, { method: "GET" });
  assert.equal(answer.status, 200);
  assert.ok(!JSON.stringify(answer.body).includes("null"));
});

test("a seed's created_at defaults to the time of createEmulator()", () => {
  const before = Date.now();
  const emulator = emulatorWith({ users: [{ user: USER }] });
  const after = Date.now();
  const at = Date.parse(emulator.users.get(USER)!.created_at);
  assert.ok(at >= before && at <= after, `${at} not in [${before}, ${after}]`);
});

test("a credential that is not an object is refused by its apiKey", () => {
  for (const credential of [null, "test-key", 5]) {
    assert.throws(
      () => createEmulator({ credentials: [credential as never] }),
      {
        name: "TypeError",
        message:
          "credentials[0].apiKey: Expected 1 to 1024 printable ASCII characters without spaces",
      },
      JSON.stringify(credential),
    );
  }
});

test("a delayed fault answers at once a request whose signal is already aborted", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { delayMs: 5_000 });
  const status = await Promise.race([
    emulator.handle({
      method: "GET",
      target: PATH,
      headers: new Headers(),
      body: new Uint8Array(0),
      signal: AbortSignal.abort(),
    }).then((answer) => answer.status),
    new Promise((resolve) => setTimeout(() => resolve("no answer"), 1000)),
  ]);
  assert.equal(status, 503);
});

test("a fault's delay that runs out takes its abort listener off the request's signal", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { delayMs: 10 });
  const listeners = new Set<unknown>();
  const signal = {
    aborted: false,
    addEventListener: (_: string, listener: unknown) => listeners.add(listener),
    removeEventListener: (_: string, listener: unknown) =>
      listeners.delete(listener),
  } as unknown as AbortSignal;
  const answer = await emulator.handle({
    method: "GET",
    target: PATH,
    headers: new Headers(),
    body: new Uint8Array(0),
    signal,
  });
  assert.equal(answer.status, 503);
  assert.equal(listeners.size, 0);
});

test("a fault's string body is text/plain, its default body says unavailable for any status but 429, and its errors are logged as strings", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { status: 502, body: "<html>Bad gateway</html>" });
  emulator.failNext(1, { status: 500 });
  emulator.failNext(1, { status: 503, body: { error: ["EService:Busy", 7] } });
  const html = await emulator.fetch(new Request(`${ORIGIN}/anything`));
  assert.equal(html.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await html.text(), "<html>Bad gateway</html>");
  const plain = await emulator.fetch(new Request(`${ORIGIN}/anything`));
  assert.deepEqual(await plain.json(), { error: ["EService:Unavailable"] });
  await (await emulator.fetch(new Request(`${ORIGIN}/anything`))).body
    ?.cancel();
  const [, defaulted, listed] = emulator.log;
  assert.deepEqual(defaulted.errors, ["EService:Unavailable"]);
  assert.equal(listed.errors[0], "EService:Busy");
  assert.ok(listed.errors.every((error) => typeof error === "string"));
});

test("a fault given back by a request whose body broke off goes to the next request, ahead of the faults queued after it", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1, { status: 429, handled: true });
  emulator.failNext(1, { status: 500 });
  const broken = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new Error("connection reset"));
    },
  });
  const cut = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      body: broken,
      duplex: "half",
    } as RequestInit),
  );
  assert.equal(cut.status, 400);
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const answer = await emulator.fetch(new Request(`${ORIGIN}/anything`));
    await answer.body?.cancel();
    statuses.push(answer.status);
  }
  // (The request the handled fault went to was judged first, as an
  // unknown route, and answered 429 all the same.)
  assert.deepEqual(statuses, [429, 500, 404]);
  assert.deepEqual(emulator.log.slice(1).map((entry) => entry.fault), [
    true,
    true,
    false,
  ]);
});

test("failNext refuses statuses, delays, Retry-After values and counts just outside their ranges or of another type, and takes their edges", () => {
  const emulator = emulatorWith();
  const bad: Array<[number, object]> = [
    [1, { status: 199 }],
    [1, { status: 101 }],
    [1, { status: 200.5 }],
    [1, { status: Number.NaN }],
    [1, { status: "503" }],
    [1, { delayMs: 600_001 }],
    [1, { delayMs: "5" }],
    [1, { delayMs: null }],
    [1, { retryAfter: "" }],
    [1_000_001, {}],
  ];
  for (const [count, fault] of bad) {
    assert.throws(
      () => emulator.failNext(count, fault as never),
      TypeError,
      `${count} ${JSON.stringify(fault)}`,
    );
  }
  const edges: Array<[number, object]> = [
    [1_000_000, {}],
    [1, { status: 200 }],
    [1, { status: 599 }],
    [1, { delayMs: 600_000 }],
    [1, { retryAfter: "0" }],
  ];
  for (const [count, fault] of edges) emulator.failNext(count, fault);
});

test("fetch() takes a Request of another fetch implementation, known by its tag rather than instanceof", async () => {
  const emulator = emulatorWith();
  const real = new Request(ORIGIN + PATH, {
    headers: signedHeaders({ method: "GET" }),
  });
  // As undici's Request in Node is to the runtime's own: another class with
  // the same tag and members.
  class ForeignRequest {
    get [Symbol.toStringTag]() {
      return "Request";
    }
    method = real.method;
    url = real.url;
    headers = real.headers;
    body = null;
    signal = real.signal;
  }
  const answer = await emulator.fetch(
    new ForeignRequest() as unknown as Request,
  );
  assert.equal(answer.status, 200);
  assert.equal(emulator.log.length, 1);
});

test("handle() reads the signal of a request whose target loses a fragment only for a fault with a delay", async () => {
  const emulator = emulatorWith();
  let reads = 0;
  const nonce = nextNonce();
  const answer = await emulator.handle({
    method: "GET",
    target: `${PATH}#frag`,
    headers: new Headers({
      "API-Key": API_KEY,
      "API-Nonce": nonce,
      "API-Sign": signFor(nonce, PATH),
    }),
    body: new Uint8Array(0),
    get signal() {
      reads++;
      return undefined;
    },
  });
  assert.equal(answer.status, 200);
  assert.equal(reads, 0);
});

test("handle() drops a target's fragment from its first #, a second # in it included", async () => {
  const emulator = emulatorWith();
  const nonce = nextNonce();
  const answer = await emulator.handle({
    method: "GET",
    target: `${PATH}?q=1#a#b`,
    headers: new Headers({
      "API-Key": API_KEY,
      "API-Nonce": nonce,
      "API-Sign": signFor(nonce, `${PATH}?q=1`),
    }),
    body: new Uint8Array(0),
  });
  assert.equal(answer.status, 200);
  assert.equal(emulator.log[0].path, `${PATH}?q=1`);
});

test("handle() refuses a method that is not a string, and logs nothing", async () => {
  const emulator = emulatorWith();
  for (const method of [42, null, ["GET"]]) {
    await assert.rejects(
      emulator.handle({
        method,
        target: PATH,
        headers: new Headers(),
        body: new Uint8Array(0),
      } as never),
      { name: "TypeError", message: "request.method: Expected a string" },
      JSON.stringify(method),
    );
  }
  assert.equal(emulator.log.length, 0);
});

test("a Host with a percent-encoded character or an empty port is a host and port; an IP literal without its ] is not", async () => {
  const emulator = emulatorWith();
  for (const host of ["h%2Dx", "127.0.0.1:"]) {
    const answer = await send(emulator, {
      method: "GET",
      headers: { Host: host },
    });
    assert.equal(answer.status, 200, host);
  }
  const open = await send(emulator, {
    method: "GET",
    headers: { Host: "[::1" },
  });
  assert.equal(open.status, 400);
  assert.deepEqual(errorsOf(open), ["EGeneral:Bad request"]);
});

test("a request whose judging throws (an adapter's headers failing) holds no one up", async () => {
  const emulator = emulatorWith();
  const headers = signedHeaders({ method: "GET" });
  const failing = {
    get(name: string) {
      if (name.toLowerCase() === "api-sign") throw new Error("adapter bug");
      return headers.get(name);
    },
  } as Headers;
  await assert.rejects(
    emulator.handle({
      method: "GET",
      target: PATH,
      headers: failing,
      body: new Uint8Array(0),
    }),
    /adapter bug/,
  );
  // Held up, it would wait forever: the bound only tells that from an
  // answer, whose signature check on a busy machine can take WebCrypto's
  // thread most of a second.
  const later = await within(
    send(emulator, { method: "GET" }).then((answer) => answer.status),
    5_000,
  );
  assert.equal(later, 200);
});

test("a log entry's errors cannot be changed", async () => {
  const emulator = emulatorWith();
  await send(emulator, { key: "nobody" });
  const [entry] = emulator.log;
  assert.ok(Object.isFrozen(entry.errors));
  assert.equal(Reflect.set(entry.errors, 0, "changed"), false);
  assert.deepEqual(emulator.log[0].errors, ["EAPI:Invalid key"]);
});

test("a malformed request is logged as the emulator's own answer, not a fault, with a fault queued", async () => {
  const emulator = emulatorWith();
  emulator.failNext(1);
  const answer = await emulator.handle({
    method: "GET",
    target: `x${PATH}`,
    headers: new Headers(),
    body: new Uint8Array(0),
  });
  assert.equal(answer.status, 400);
  assert.deepEqual(
    emulator.log.map((entry) => [entry.status, entry.fault]),
    [[400, false]],
  );
});

test("fetch() answers a malformed request at once, without waiting for its body", async () => {
  const emulator = emulatorWith();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const request = new Request(ORIGIN + PATH, {
    method: "PATCH",
    duplex: "half",
    headers: signedHeaders({ body: "{}", headers: { Host: "not a host" } }),
    body: new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    }),
  } as RequestInit);
  const answering = emulator.fetch(request);
  const status = await Promise.race([
    answering.then((answer) => answer.status),
    new Promise((resolve) => setTimeout(() => resolve("no answer"), 1000)),
  ]);
  controller.close();
  await answering;
  assert.equal(status, 400);
});

test("nonceWindow refuses a number past Number.MAX_SAFE_INTEGER, which may not be the integer written; a bigint of any size is taken", () => {
  for (const nonceWindow of [2 ** 53, 1e21]) {
    assert.throws(() => emulatorWith({ nonceWindow }), {
      name: "TypeError",
      message: "nonceWindow: Expected a non-negative integer",
    }, String(nonceWindow));
  }
  emulatorWith({ nonceWindow: Number.MAX_SAFE_INTEGER });
  emulatorWith({ nonceWindow: 2n ** 64n });
});

test("a body found too large is read no further: its stream is cancelled, and not read at all when Content-Length says so", async () => {
  const emulator = emulatorWith();
  let cancelled = 0;
  let pulls = 0;
  const endless = () =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
      cancel() {
        cancelled++;
      },
    });
  const streamed = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      body: endless(),
      duplex: "half",
      headers: signedHeaders({ body: "" }),
    } as RequestInit),
  );
  assert.equal(streamed.status, 413);
  assert.equal(cancelled, 1, "the stream cancelled once past the limit");
  pulls = 0;
  const declared = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      body: endless(),
      duplex: "half",
      headers: signedHeaders({
        body: "",
        headers: { "content-length": String(MAX_BODY_BYTES + 1) },
      }),
    } as RequestInit),
  );
  assert.equal(declared.status, 413);
  assert.ok(pulls <= 1, `${pulls} chunks pulled`);
});

test("a streamed body one byte past 64 KiB is a 413 also when a chunk ends exactly at the limit", async () => {
  const emulator = emulatorWith();
  const chunks = [
    new Uint8Array(MAX_BODY_BYTES).fill(0x20),
    new Uint8Array([0x20]),
  ];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
  const answer = await emulator.fetch(
    new Request(ORIGIN + PATH, {
      method: "PATCH",
      body,
      duplex: "half",
      headers: signedHeaders({ body: " ".repeat(MAX_BODY_BYTES + 1) }),
    } as RequestInit),
  );
  assert.equal(answer.status, 413);
});

test("a request waits for every earlier one with its key, also once one before them is done", async () => {
  const emulator = emulatorWith();
  const slowPatch = (language: string) => {
    const text = `{"language":"${language}"}`;
    return heldPatch(emulator, signedHeaders({ body: text }), text);
  };
  const a = slowPatch("de");
  const b = slowPatch("fr");
  a.release();
  assert.equal((await a.answer).status, 200);
  // C arrives after A is done, B still in flight: it waits for B.
  let settled = false;
  const c = send(emulator, { method: "GET" }).finally(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(settled, false, "C answered before B, which arrived first");
  b.release();
  assert.equal((await b.answer).status, 200);
  assert.equal((await c).status, 200);
  assert.equal(emulator.users.get(USER)?.language, "fr");
});

test("two patches to one user spelt with different percent-encodings wait for each other: the later is kept", async () => {
  const other = { apiKey: "second-key", apiSecret: "c2Vjb25kLXNlY3JldA==" };
  const emulator = emulatorWith({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }, other],
  });
  const held = '{"language":"de"}';
  const first = heldPatch(emulator, signedHeaders({ body: held }), held);
  // The same user, its last X percent-encoded.
  const spelt = "/b2b/users/AA95%20N84G%20TEST%20XXX%58";
  const body = '{"language":"it"}';
  const nonce = nextNonce();
  let settled = false;
  const second = send(emulator, {
    target: spelt,
    body,
    nonce,
    key: other.apiKey,
    sign: signFor(nonce, spelt, body, other.apiSecret),
  }).finally(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(settled, false, "the later patch applied before the earlier");
  first.release();
  assert.equal((await first.answer).status, 200);
  assert.equal((await second).status, 200);
  assert.equal(emulator.users.get(USER)?.language, "it");
});

test("valibot's global config, set in the program the emulator runs in, cuts no refused patch's errors short", async () => {
  const body = JSON.stringify({ phone_number: "+1", emial: 1, language: "EN" });
  const errors = async () => errorsOf(await send(emulatorWith(), { body }));
  const every = await errors();
  assert.equal(every.length, 3);
  v.setGlobalConfig({ abortEarly: true, abortPipeEarly: true });
  try {
    assert.deepEqual(await errors(), every);
    assert.throws(
      () =>
        emulatorWith({
          users: [{ user: USER, phone: "1", language: "EN" } as never],
        }),
      (error) =>
        error instanceof TypeError && /phone/.test(error.message) &&
        /language/.test(error.message),
    );
    assert.throws(
      () =>
        emulatorWith({
          users: [{ user: USER, created_at: 1, external_id: 2 } as never],
        }),
      (error) =>
        error instanceof TypeError && /created_at/.test(error.message) &&
        /external_id/.test(error.message),
    );
  } finally {
    v.deleteGlobalConfig();
  }
});

test("a first API-Nonce of 0 is taken once: its replay is refused with EAPI:Invalid nonce", async () => {
  const emulator = emulatorWith();
  assert.equal(
    (await send(emulator, { method: "GET", nonce: "0" })).status,
    200,
  );
  const replay = await send(emulator, { method: "GET", nonce: "0" });
  assert.deepEqual([replay.status, replay.body], [401, {
    error: ["EAPI:Invalid nonce"],
  }]);
  assert.equal(
    (await send(emulator, { method: "GET", nonce: "1" })).status,
    200,
  );
});

test("an API-Key or Payward-Version with a trailing form feed or no-break space is not the key or the version", async () => {
  // Headers takes spaces and tabs off; nothing else is trimmed.
  const emulator = emulatorWith();
  for (const junk of ["\f", "\u00a0"]) {
    const key = await send(emulator, { method: "GET", key: API_KEY + junk });
    assert.deepEqual([key.status, key.body], [401, {
      error: ["EAPI:Invalid key"],
    }], JSON.stringify(junk));
    const version = await send(emulator, {
      method: "GET",
      headers: { "Payward-Version": "2025-04-15" + junk },
    });
    assert.deepEqual([version.status, version.body], [400, {
      error: ["EGeneral:Invalid arguments:Payward-Version"],
    }], JSON.stringify(junk));
  }
  assert.equal((await send(emulator, { method: "GET" })).status, 200);
});

test("nonceWindow refuses a negative bigint, as it refuses a negative number", () => {
  for (const nonceWindow of [-1, -1n, -(2n ** 64n)]) {
    assert.throws(
      () => emulatorWith({ nonceWindow }),
      (error: unknown) =>
        error instanceof TypeError && /^nonceWindow:/.test(error.message),
      String(nonceWindow),
    );
  }
  assert.doesNotThrow(() => emulatorWith({ nonceWindow: 0n }));
});

test("a fault's Retry-After of exactly 256 characters is sent as given, 257 refused; a 204, 205 or 304 fault refuses a null body as any other", async () => {
  const emulator = emulatorWith();
  const longest = "x".repeat(256);
  emulator.failNext(1, { status: 429, retryAfter: longest });
  const response = await emulator.fetch(new Request(ORIGIN + "/b2b/assets"));
  await response.body?.cancel();
  assert.equal(response.headers.get("retry-after"), longest);
  // One character, and spaces inside an HTTP date, are sent as given too.
  for (const retryAfter of ["7", "Fri, 07 Aug 2026 10:00:00 GMT"]) {
    emulator.failNext(1, { status: 503, retryAfter });
    const dated = await emulator.fetch(new Request(ORIGIN + "/b2b/assets"));
    await dated.body?.cancel();
    assert.equal(dated.headers.get("retry-after"), retryAfter);
  }
  assert.throws(
    () => emulator.failNext(1, { retryAfter: longest + "x" }),
    /fault\.retryAfter/,
  );
  for (const status of [204, 205, 304]) {
    assert.throws(
      () => emulator.failNext(1, { status, body: null }),
      (error: unknown) =>
        error instanceof TypeError && /^fault\.body:/.test(error.message),
      String(status),
    );
  }
});

test("a seed's empty external_id is stored as given", () => {
  const emulator = emulatorWith({ users: [{ user: USER, external_id: "" }] });
  const stored = emulator.users.get(USER)!;
  assert.ok(Object.hasOwn(stored, "external_id"));
  assert.equal(stored.external_id, "");
});
