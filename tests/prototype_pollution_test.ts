// Names set on Object.prototype by other code (a merge of untrusted JSON,
// `{"__proto__": {"baseUrl": ...}}`, the classic "prototype pollution") are
// never read as options, as fields of a patch, or as parts of an answer: a
// polluted `baseUrl` would send the credentials and a user's data to
// another host, a polluted `fallback` would fill every missing field of a
// patch with a value nobody checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import * as v from "valibot";
import {
  counterNonce,
  EmbedAbortError,
  EmbedApiError,
  EmbedClient,
  EmbedConfigError,
  EmbedNetworkError,
  EmbedValidationError,
  signRequest,
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
  userAnswer,
} from "./_fake_fetch.ts";
import { oracleSign } from "./_oracle.ts";
import { polluted } from "./_polluted.ts";
import { withTimers } from "./_timers.ts";

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
      { backoff: {}, timeoutMs: 120_000 },
    );
    // The wait is read from the timer the client set, not timed: the two
    // attempts' signing, which a busy machine stretches, would count too.
    const waits = await withTimers(async (timers) => {
      assert.deepEqual(
        await embed.users.update(USER, { language: "en" }, {}),
        { result: "success" },
      );
      // The attempts' 120 s timeouts aside.
      return timers.delays.filter((ms) => ms < 120_000);
    });
    assert.equal(requests.length, 2);
    // The default backoff waits below 500 ms before the first retry.
    assert.equal(waits.length, 1, String(waits));
    assert.ok(waits[0] < 500, `waited ${waits[0]} ms, the polluted 60 s`);
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

test("the body sent for a one-field patch holds that field only, with Object.prototype.fallback set after the schemas were made", async () => {
  // Through the schemas' fast path. Set before they are made (at start-up),
  // the loop fills no field either: strict_object_test.ts makes a schema
  // while it is set, which the package's own, loaded once, cannot be here.
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

// An update whose call options, made by `make`, hold an aborted signal:
// it must end as aborted, which it does only if the signal was read.
async function rejectsAborted(
  client: EmbedClient,
  make: <T extends object>(fields: T) => T,
): Promise<void> {
  const stopped = new AbortController();
  stopped.abort();
  await assert.rejects(
    client.users.update(
      USER,
      { language: "en" },
      make({ signal: stopped.signal }),
    ),
    EmbedAbortError,
  );
}

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
  await rejectsAborted(client, computed);
  assert.equal(requests.length, 2, "nothing sent once aborted");
});

test("options of every kind made from defaults without a prototype are read as given: a call's, backoff, counterNonce's, an emulator fault", async () => {
  // Options are read up their prototype chain, unlike a patch or a body,
  // whose own fields alone are read: made from Object.create(null)
  // defaults, they are taken, not refused as not plain.
  const made = <T extends object>(fields: T): T =>
    Object.create(Object.assign(Object.create(null), fields));
  const { embed, requests } = fakeClient([success()], {
    backoff: made({ baseMs: 1, capMs: 2 }),
  });
  await rejectsAborted(embed, made);
  assert.equal(requests.length, 0, "the inherited signal was read");
  let counter = 0;
  const next = counterNonce(() => ++counter, made({ offset: 7n }));
  assert.equal(await next(), "8");
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
  });
  emulator.failNext(1, made({ status: 502 }));
  const answer = await emulator.fetch(new Request("http://emulator.test/x"));
  assert.equal(answer.status, 502);
});

test("a misspelt name in the defaults an options object was made from is refused, as an own one is; names on Object.prototype and a class's members are not checked", async () => {
  const { fetch, requests } = fakeFetch(success());
  const made = <T extends object>(defaults: object, own: T): T =>
    Object.assign(Object.create(defaults), own);
  const refused = (
    make: () => unknown,
    error: new (...args: never[]) => Error,
    message: RegExp,
  ) => {
    assert.throws(make, (thrown: unknown) => {
      assert.ok(thrown instanceof error, String(thrown));
      assert.match((thrown as Error).message, message);
      return true;
    });
  };
  const credentials = { apiKey: API_KEY, apiSecret: SECRET };
  // The client's options, from defaults two levels up, and the emulator's.
  // (The client's backoff, a call's options and counterNonce's must be
  // plain objects: one made from defaults is refused as not plain.)
  refused(
    () =>
      new EmbedClient(
        made(made({ maxRetires: 5 }, { fetch }), credentials),
      ),
    EmbedConfigError,
    /^maxRetires: Unknown option$/,
  );
  refused(
    () =>
      createEmulator(made({ nonceWindw: 10 }, { credentials: [credentials] })),
    TypeError,
    /^nonceWindw: Unknown option/,
  );
  const client = new EmbedClient(made({ fetch }, credentials));
  // request()'s options: refused before anything is sent.
  await assert.rejects(
    client.request(
      made({ qurey: { a: "1" } }, { method: "GET", path: "/b2b/x" }),
    ),
    (error: unknown) =>
      error instanceof EmbedValidationError && /qurey/.test(error.message),
  );
  assert.equal(requests.length, 0, "nothing sent");
  // Names set on Object.prototype are neither read nor refused; a class's
  // getters and methods are not enumerable, and are read, not refused.
  class Settings {
    #key = API_KEY;
    get apiKey() {
      return this.#key;
    }
    apiSecret = SECRET;
    fetch = fetch;
    describe() {
      return "settings";
    }
  }
  await polluted({ isAdmin: true, maxRetires: 5 }, async () => {
    await new EmbedClient(new Settings()).users.update(USER, {
      language: "en",
    });
    await client.request({ method: "GET", path: "/b2b/x" });
  });
  assert.equal(requests.length, 2);
  assert.equal(requests[0].headers["api-key"], API_KEY);
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

test("a request that went out is not read as refused because Object.prototype has a status", async () => {
  await polluted({ status: 404, headers: {} }, async () => {
    // The connection dropped after the POST was handed to fetch.
    const dropped = fakeClient([new TypeError("fetch failed")], {
      maxRetries: 0,
    });
    const error = await dropped.embed.request({
      method: "POST",
      path: "/b2b/quotes",
    }).catch((e) => e);
    assert.ok(error instanceof EmbedNetworkError, String(error));
    assert.equal(error.mayHaveTakenEffect, true);
    // Stopped by the caller while in flight.
    const controller = new AbortController();
    const hanging = fakeClient(["hang"]);
    const call = hanging.embed.request({
      method: "PUT",
      path: "/b2b/quotes/Q1",
      signal: controller.signal,
    }).catch((e) => e);
    while (hanging.requests.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    controller.abort();
    const aborted = await call;
    assert.ok(aborted instanceof EmbedAbortError, String(aborted));
    assert.equal(aborted.mayHaveTakenEffect, true);
  });
});

test("users.get reads the answer's own fields only, with keys set on Object.prototype", async () => {
  const answer = userAnswer();
  await polluted({ isAdmin: true, external_id: "attacker-id" }, async () => {
    const { embed } = fakeClient([Response.json(answer)]);
    const got = await embed.users.get(USER);
    assert.equal(got.result.user, USER);
    assert.ok(!Object.hasOwn(got.result, "external_id"));
    // The emulator checks its seeds with the same schema.
    const emulator = createEmulator({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
      users: [{ user: USER }],
    });
    assert.ok(emulator.users.get(USER));
  });
});

test("signRequest signs the options' own body, not one set on Object.prototype", async () => {
  const options = { secret: SECRET, nonce: "1", path: "/b2b/users/x" };
  const clean = await signRequest(options);
  await polluted({ body: '{"phone":"+441234567890"}' }, async () => {
    assert.equal(await signRequest(options), clean);
  });
});

test("an EmbedApiError takes no errors or cause from Object.prototype", async () => {
  await polluted({
    errors: ["EAPI:Invalid nonce"],
    cause: "attacker text",
  }, () => {
    const error = new EmbedApiError("Kraken answered 502", { status: 502 });
    assert.deepEqual(error.errors, []);
    // No cause of its own (reading `cause` off any error without one goes
    // up to Object.prototype: that is JavaScript's).
    assert.ok(!Object.hasOwn(error, "cause"));
  });
});

test("an emulator fault is not taken for a turn, nor a caller's error for the package's, by what Object.prototype holds", async () => {
  await polluted({
    judge: () => Promise.resolve(new Response("{}")),
    code: "ERR_EMBED_POLLUTED",
  }, async () => {
    const emulator = createEmulator({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    });
    emulator.failNext(1, { status: 503 });
    const answer = await emulator.fetch(
      new Request("https://emulator.test/b2b/users/x"),
    );
    assert.equal(answer.status, 503);
    // A getter of the caller's that throws, its error without a code of
    // its own: refused as unreadable, the caller's error left out.
    const { embed } = fakeClient([success()]);
    const options = {
      get signal(): AbortSignal {
        throw new Error("secret-laden message");
      },
    };
    const error = await embed.users.update(USER, { language: "en" }, options)
      .catch((e) => e);
    assert.ok(error instanceof EmbedValidationError, String(error));
    assert.ok(!String(error.message).includes("secret-laden"));
  });
});

test("a merge that also overwrites Object.prototype.constructor does not pass a polluted option for the caller's", async () => {
  await polluted({
    constructor: "x",
    baseUrl: "https://attacker.example",
  }, async () => {
    const { embed, requests } = fakeClient([success()]);
    await embed.users.update(USER, { language: "en" });
    assert.ok(requests[0].url.startsWith("https://nexus.kraken.com/"));
  });
});

test("a Proxy over an object without a prototype does not pass a polluted option through its get trap", async () => {
  const { fetch, requests } = fakeFetch(success());
  const defaults: Record<string, unknown> = {
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch,
  };
  const options = new Proxy(Object.create(null), {
    get: (_, name) => defaults[name as string],
  });
  await polluted({ baseUrl: "https://attacker.example" }, async () => {
    await new EmbedClient(options).users.update(USER, { language: "en" });
  });
  assert.ok(requests[0].url.startsWith("https://nexus.kraken.com/"));
});

test("signRequest and EmbedApiError read what a class's getters give", async () => {
  class Options {
    secret = SECRET;
    nonce = "1";
    path = "/b2b/users/x";
    get body(): string {
      return '{"language":"en"}';
    }
  }
  assert.equal(
    await signRequest(new Options()),
    await signRequest({
      secret: SECRET,
      nonce: "1",
      path: "/b2b/users/x",
      body: '{"language":"en"}',
    }),
  );
  class Details {
    status = 400;
    get errors(): string[] {
      return ["EGeneral:Invalid arguments"];
    }
  }
  const error = new EmbedApiError("Kraken answered 400", new Details());
  assert.deepEqual(error.errors, ["EGeneral:Invalid arguments"]);
});

test("options from another realm whose Object.prototype is polluted, its constructor too, pass none of it; a class that extends null keeps its getters", async () => {
  const { fetch, requests } = fakeFetch(success());
  const context = vm.createContext({ fetch, API_KEY, SECRET });
  const options = vm.runInContext(
    `Object.prototype.baseUrl = "https://attacker.example";
    Object.prototype.constructor = "x";
    ({ apiKey: API_KEY, apiSecret: SECRET, fetch })`,
    context,
  );
  await new EmbedClient(options).users.update(USER, { language: "en" });
  assert.ok(requests[0].url.startsWith("https://nexus.kraken.com/"));
  // A class without Object.prototype in its chain is not mistaken for it.
  const Defaults = class extends null {
    get baseUrl(): string {
      return "https://sandbox.example";
    }
  };
  const fromClass = Object.assign(Object.create(Defaults.prototype), {
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch,
  });
  await new EmbedClient(fromClass).users.update(USER, { language: "en" });
  assert.ok(requests[1].url.startsWith("https://sandbox.example/"));
});

test("an EmbedApiError made without details, as plain JavaScript may, is one with none", () => {
  for (const details of [undefined, null]) {
    const error = new EmbedApiError("Kraken answered 502", details as never);
    assert.deepEqual(error.errors, []);
    assert.equal(error.attempts, 1);
  }
});

test("a hole in a patch's list or a request's body is refused, not filled from an index set on Object.prototype", async () => {
  // deno-lint-ignore no-sparse-arrays
  const nationalities = [, "DE"];
  // deno-lint-ignore no-sparse-arrays
  const taxIds = [, { id: "T2", issuing_country: "DE" }];
  // deno-lint-ignore no-sparse-arrays
  const ids = [, 2];
  const calls = [
    // Cast: a list with a hole is no UserPatch to the compiler.
    [
      "nationalities",
      (embed: EmbedClient) =>
        embed.users.update(USER, { nationalities } as never),
    ],
    [
      "tax_ids",
      (embed: EmbedClient) =>
        embed.users.update(USER, { tax_ids: taxIds } as never),
    ],
    [
      "ids.0",
      (embed: EmbedClient) =>
        embed.request({ method: "POST", path: "/b2b/quotes", body: { ids } }),
    ],
  ] as const;
  // Without pollution first: the same refusal either way. What happened is
  // noted while Object.prototype is polluted and checked after, as a
  // failing assertion's own message is not built reliably while it is.
  for (const filler of [undefined, "FR", { id: "T1", issuing_country: "FR" }]) {
    const where = `Object.prototype[0] = ${JSON.stringify(filler)}`;
    const seen = await polluted(
      filler === undefined ? {} : { 0: filler },
      async () => {
        const outcomes = [];
        for (const [path, call] of calls) {
          const { embed, requests } = fakeClient([success()]);
          const error = await call(embed).then(() => undefined, (e) => e);
          outcomes.push({ path, error, sent: requests.length });
        }
        return outcomes;
      },
    );
    for (const { path, error, sent } of seen) {
      assert.ok(error instanceof EmbedValidationError, `${where}: ${path}`);
      assert.deepEqual(error.issues.map((issue) => issue.path), [path]);
      assert.equal(sent, 0, `${where}: ${path}`);
    }
  }
  // The schema alone too, and a list whose own findIndex says it has none.
  const claimsNone = Object.assign([, "DE"], { findIndex: () => -1 });
  const passed = await polluted(
    { 0: "FR" },
    () =>
      [nationalities, claimsNone].map((list) =>
        v.safeParse(UserPatchSchema, { nationalities: list }).success
      ),
  );
  assert.deepEqual(passed, [false, false]);
});

test("EmbedApiError reads a class's getters on the object given, so a getter reading the instance works", () => {
  class Details {
    #status = 503;
    attemptsMade = 2;
    get status(): number {
      return this.#status;
    }
    get attempts(): number {
      return this.attemptsMade;
    }
  }
  const error = new EmbedApiError("Kraken answered 503", new Details());
  assert.equal(error.status, 503);
  assert.equal(error.attempts, 2);
});

test("signRequest signs an explicit body: undefined as no body, with a body set on Object.prototype", async () => {
  const options = { secret: SECRET, nonce: "1", path: "/b2b/users/x" };
  const expected = oracleSign(SECRET, "1", "/b2b/users/x", "");
  assert.equal(await signRequest({ ...options, body: undefined }), expected);
  await polluted({ body: '{"phone":"+441234567890"}' }, async () => {
    assert.equal(await signRequest({ ...options, body: undefined }), expected);
  });
});

test("defaults without a prototype that own hasOwnProperty or propertyIsEnumerable, not both, are still read", async () => {
  for (const name of ["hasOwnProperty", "propertyIsEnumerable"]) {
    const { fetch, requests } = fakeFetch(success());
    // Not enumerable, as on a realm's Object.prototype (an enumerable one
    // would be refused as an unknown option).
    const defaults = Object.defineProperty(
      Object.assign(Object.create(null), {
        baseUrl: "https://sandbox.example",
      }),
      name,
      { value: Object.prototype[name as "hasOwnProperty"] },
    );
    const options = Object.assign(Object.create(defaults), {
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch,
      maxRetries: 0,
    });
    await new EmbedClient(options).users.update(USER, { language: "en" });
    assert.equal(requests.length, 1, name);
    assert.ok(requests[0].url.startsWith("https://sandbox.example/"), name);
  }
});

test("a fault's logged errors are its body's own, not an error list set on Object.prototype", async () => {
  await polluted({ error: ["EPolluted:from the prototype"] }, async () => {
    const emulator = createEmulator({
      credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    });
    emulator.failNext(1, { status: 502, body: { message: "bad gateway" } });
    const response = await emulator.fetch(
      new Request("http://emulator.test/b2b/assets"),
    );
    assert.deepEqual(await response.json(), { message: "bad gateway" });
    assert.deepEqual(emulator.log[0].errors, []);
  });
});

test("options from another realm whose Object.prototype holds a name no option has are not refused for it, as this realm's are not", async () => {
  const { fetch, requests } = fakeFetch(success());
  const context = vm.createContext({ fetch, API_KEY, SECRET });
  const options = vm.runInContext(
    `Object.prototype.retries = 9;
    ({ apiKey: API_KEY, apiSecret: SECRET, fetch })`,
    context,
  );
  const embed = new EmbedClient(options);
  // A call's options from that realm too.
  await embed.users.update(
    USER,
    { language: "en" },
    vm.runInContext("({})", context),
  );
  assert.equal(requests.length, 1);
});
