// EmbedError#mayHaveTakenEffect: whether the request a failed call made may
// have been carried out, which a caller about to send a payment's request
// again must know. True only once an attempt was handed to fetch and nothing
// Kraken answered showed it was refused, in any attempt; never for a GET.
import { test as nodeTest } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import {
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  type EmbedError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  type RequestOptions,
  signRequest,
} from "@kraken-embed/client";
import {
  failure,
  fakeClient,
  type Reply,
  SECRET,
  success,
  USER,
} from "./_fake_fetch.ts";
import { reached, withHeldTimers } from "./_timers.ts";

const client = fakeClient;

// Every test here ends in milliseconds; one whose call never settles (a
// change that sends nothing where a test waits for a request) fails within
// 20 s rather than at the step's own timeout.
const test = (name: string, body: () => Promise<void> | void) =>
  nodeTest(name, { timeout: 20_000 }, body);

/** The error `call` rejects with, after checking its class. */
async function failed<E extends EmbedError>(
  call: Promise<unknown>,
  kind: new (...args: never[]) => E,
): Promise<E> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof kind, `${error}`);
    return error;
  }
  assert.fail("the call succeeded");
}

/**
 * An update sent against `replies` and aborted once its first request has
 * gone out and 20 ms have passed: its error and the requests sent.
 */
async function abortedAfterSending(
  replies: Reply[],
  options: Parameters<typeof client>[1],
) {
  const sending = client(replies, options);
  const controller = new AbortController();
  const call = sending.embed.users.update(USER, { language: "fr" }, {
    signal: controller.signal,
  });
  while (sending.requests.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  controller.abort();
  return {
    aborted: await failed(call, EmbedAbortError),
    requests: sending.requests,
  };
}

/** The same, aborted while it waits a minute to retry after `first`. */
const abortedWhileWaiting = (first: Reply) =>
  abortedAfterSending([first, success()], {
    backoff: { baseMs: 60_000, capMs: 60_000 },
    maxRetries: 1,
  });

const POST = { method: "POST" as const, path: "/b2b/quotes", body: { a: 1 } };
const GET = { method: "GET" as const, path: "/b2b/quotes/q1" };
const reset = () => new TypeError("fetch failed: connection reset");

test("an error before anything is sent says nothing was done", async () => {
  const { embed, requests } = client([success()]);
  const bad = await failed(
    embed.users.update(USER, { phone: "x" }),
    EmbedValidationError,
  );
  assert.equal(bad.mayHaveTakenEffect, false);
  const source = client([success()], {
    nonce: () => Promise.reject(new Error("store down")),
  });
  const config = await failed(source.embed.request(POST), EmbedConfigError);
  assert.equal(config.mayHaveTakenEffect, false);
  const aborted = await failed(
    embed.request({ ...POST, signal: AbortSignal.abort() }),
    EmbedAbortError,
  );
  assert.equal(aborted.mayHaveTakenEffect, false);
  // A nonce source slower than the timeout: the attempt ends unsent.
  const slow = client([success()], {
    nonce: () => new Promise(() => {}),
    timeoutMs: 20,
    maxRetries: 0,
  });
  const timeout = await failed(slow.embed.request(POST), EmbedTimeoutError);
  assert.equal(timeout.mayHaveTakenEffect, false);
  assert.equal(requests.length + slow.requests.length, 0);
});

test("a POST refused by every answer was not done", async () => {
  const cases: [Reply[], number][] = [
    [[failure(400, ["EGeneral:Invalid arguments"])], 1],
    [[failure(401, ["EAPI:Invalid key"])], 1],
    [[Response.json({ error: ["EGeneral:Bad"] })], 1],
    [[failure(429, ["EAPI:Rate limit exceeded"])], 3],
    [[failure(503, ["EService:Unavailable"])], 3],
    [[failure(400, ["EAPI:Invalid nonce"]), failure(400, ["EGeneral:Bad"])], 2],
  ];
  for (const [replies, sent] of cases) {
    const { embed, requests } = client(replies);
    const error = await failed(embed.request(POST), EmbedApiError);
    assert.equal(error.mayHaveTakenEffect, false, error.message);
    assert.equal(requests.length, sent, error.message);
  }
});

test("a POST whose answer does not show a refusal may have been done", async () => {
  const cases: Reply[][] = [
    // A 2xx the client cannot take, or whose result the schema refuses.
    [Response.json({ result: { id: 1 }, error: ["EGeneral:Odd"] })],
    [new Response("<html>ok</html>", { status: 200 })],
    // A 5xx other than 503: the service failed, perhaps after acting.
    [failure(500, ["EService:Internal"])],
    [new Response("Bad gateway", { status: 502 })],
    // A refusal that holds a result all the same.
    [Response.json({ error: ["EAPI:Rate limit exceeded"], result: { id: 1 } }, {
      status: 429,
    })],
  ];
  for (const replies of cases) {
    const { embed } = client(replies);
    const error = await failed(embed.request(POST), EmbedApiError);
    assert.equal(error.mayHaveTakenEffect, true, error.message);
  }
  // A redirect that says "Invalid nonce" is no plain refusal: not resent.
  const redirected = client([
    Response.json({ error: ["EAPI:Invalid nonce"] }, { status: 307 }),
    Response.json({ result: { id: 1 } }),
  ]);
  const odd = await failed(redirected.embed.request(POST), EmbedApiError);
  assert.equal(odd.mayHaveTakenEffect, true);
  assert.equal(redirected.requests.length, 1);
  const { embed } = client([Response.json({ result: "not a number" })]);
  const schema = await failed(
    embed.request({ ...POST, schema: v.number() }),
    EmbedApiError,
  );
  assert.equal(schema.mayHaveTakenEffect, true, schema.message);
});

test("a POST sent and lost to the network, a timeout or an abort in flight may have been done", async () => {
  const network = client([reset()]);
  const lost = await failed(network.embed.request(POST), EmbedNetworkError);
  assert.equal(lost.mayHaveTakenEffect, true);
  assert.equal(network.requests.length, 1);

  // The timeout covers signing, which a busy machine can stretch past a
  // fixed timeout: its timer is held, and fired once the POST is sent.
  const hang = client(["hang"], { timeoutMs: 250 });
  await withHeldTimers(250, async (fire) => {
    const call = hang.embed.request(POST);
    await reached(() => hang.requests.length === 1, "the POST sent");
    assert.equal(fire(), 1);
    const timeout = await failed(call, EmbedTimeoutError);
    assert.equal(hang.requests.length, 1);
    assert.equal(timeout.mayHaveTakenEffect, true);
  });

  const inFlight = client(["hang"]);
  const controller = new AbortController();
  const call = inFlight.embed.request({ ...POST, signal: controller.signal });
  while (inFlight.requests.length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  controller.abort();
  const aborted = await failed(call, EmbedAbortError);
  assert.equal(aborted.mayHaveTakenEffect, true);

  // A fetch of the caller's that resolves to something else: sent, maybe.
  const odd = client([(() => ({ status: "200" })) as unknown as Reply]);
  const config = await failed(odd.embed.request(POST), EmbedConfigError);
  assert.equal(config.field, "fetch");
  assert.equal(config.mayHaveTakenEffect, true);
});

test("a POST whose status came but whose body was cut off may have been done unless the status refused it", async () => {
  const cutOff = (status: number) => () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"resu'));
          controller.error(new Error("connection reset"));
        },
      }),
      { status },
    );
  for (const [status, maybe] of [[200, true], [500, true], [400, false]]) {
    const { embed } = client([cutOff(status as number)]);
    const error = await failed(embed.request(POST), EmbedApiError);
    assert.equal(error.status, status);
    assert.equal(error.mayHaveTakenEffect, maybe, error.message);
    // An update is retried after it, but after a refusal (which is its
    // answer, the body lost or not); the status still counts.
    const retried = client([
      cutOff(status as number),
      failure(400, ["EGeneral:Invalid arguments"]),
    ]);
    const last = await failed(
      retried.embed.users.update(USER, { language: "fr" }),
      EmbedApiError,
    );
    assert.equal(retried.requests.length, status === 400 ? 1 : 2);
    assert.equal(last.status, 400);
    assert.equal(
      last.mayHaveTakenEffect,
      maybe,
      `${status}, then 400`,
    );
  }
});

test("an abort or a look-alike's bad body after a status that refused the request says nothing was done; after one that did not, maybe", async () => {
  // The status has come, the body never does; the caller gives up.
  const stalled = (status: number) => () =>
    new Response(new ReadableStream<Uint8Array>({ start() {} }), { status });
  for (const [status, maybe] of [[400, false], [429, false], [200, true]]) {
    const { embed, requests } = client([stalled(status as number)]);
    const controller = new AbortController();
    const call = embed.request({ ...POST, signal: controller.signal });
    while (requests.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const aborted = await failed(call, EmbedAbortError);
    assert.equal(aborted.mayHaveTakenEffect, maybe, `abort after ${status}`);
    // A fetch of the caller's whose text() gives no string, after it.
    const odd = client([
      (() => ({
        status,
        headers: new Headers(),
        text: () => Promise.resolve(5),
      })) as unknown as Reply,
    ]);
    const config = await failed(odd.embed.request(POST), EmbedConfigError);
    assert.equal(config.mayHaveTakenEffect, maybe, `look-alike ${status}`);
  }
});

test("a caller's schema whose issues cannot be read ends an accepted PUT in an EmbedApiError, not a TypeError", async () => {
  const PUT = { method: "PUT" as const, path: "/b2b/quotes/q1" };
  const answer = () => Response.json({ result: { id: "q1" } });
  // An issue whose path key cannot be made text, and a schema whose issues
  // are no array.
  const key = Object.create(null);
  const oddKey = v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      addIssue({
        message: "bad",
        path: [{
          type: "object",
          origin: "value",
          input: dataset.value as Record<string, unknown>,
          key,
          value: 1,
        }],
      });
    }),
  );
  const noArray = {
    ...v.unknown(),
    "~run": (dataset: { value: unknown }) => ({
      typed: false,
      value: dataset.value,
      issues: { length: 1 },
    }),
  } as unknown as ReturnType<typeof v.unknown>;
  for (const schema of [oddKey, noArray]) {
    const { embed } = client([answer()]);
    const error = await failed(
      embed.request({ ...PUT, schema }),
      EmbedApiError,
    );
    assert.match(
      error.message,
      /its issues could not be read.*may have taken effect/,
    );
    assert.equal(error.mayHaveTakenEffect, true);
  }
});

test("an earlier attempt that may have been done marks the error that ends the call", async () => {
  // users.update is retried as idempotent: the first attempt's connection
  // reset leaves it unknown, though the last answer is a plain refusal.
  const { embed, requests } = client([
    reset(),
    failure(400, ["EGeneral:Invalid arguments"]),
  ]);
  const error = await failed(
    embed.users.update(USER, { language: "fr" }),
    EmbedApiError,
  );
  assert.equal(requests.length, 2);
  assert.equal(error.status, 400);
  assert.equal(error.mayHaveTakenEffect, true);
  // So does an answer that failed after perhaps acting, a 500.
  const failedFirst = client([
    failure(500, ["EService:Internal"]),
    failure(400, ["EGeneral:Invalid arguments"]),
  ]);
  const after500 = await failed(
    failedFirst.embed.users.update(USER, { language: "fr" }),
    EmbedApiError,
  );
  assert.equal(after500.status, 400);
  assert.equal(after500.mayHaveTakenEffect, true);

  // Aborted while waiting to retry: after a reset, maybe; after a 503, not.
  for (
    const [first, maybe] of [[reset(), true], [
      failure(503, ["EService:Unavailable"]),
      false,
    ]]
  ) {
    const { aborted, requests } = await abortedWhileWaiting(first as Reply);
    assert.equal(aborted.mayHaveTakenEffect, maybe, String(first));
    assert.equal(requests.length, 1);
  }
});

test("a call's error lists the trace id of every answer its attempts got, oldest first: that of an earlier attempt that may have acted is not lost", async () => {
  const traced = (status: number, id: string, errors = ["EService:Internal"]) =>
    failure(status, errors, { "x-trace-id": id, "retry-after": "0" });
  // A 500 that may have acted, then a refusal: the refusal's error says the
  // update may have taken effect, and names the 500's trace id.
  const refused = client([traced(500, "T1"), traced(404, "T2", ["ENexus:x"])]);
  const api = await failed(
    refused.embed.users.update(USER, { language: "fr" }),
    EmbedApiError,
  );
  assert.equal(api.traceId, "T2");
  assert.deepEqual(api.traceIds, ["T1", "T2"]);
  assert.equal(api.mayHaveTakenEffect, true);
  // The invalid-nonce resend, and an answer without a trace id, between.
  const nonce = client([
    traced(400, "N1", ["EAPI:Invalid nonce"]),
    failure(502, ["EService:Bad gateway"], { "retry-after": "0" }),
    traced(400, "N3", ["EGeneral:Invalid arguments"]),
  ]);
  const resent = await failed(
    nonce.embed.users.update(USER, { language: "fr" }),
    EmbedApiError,
  );
  assert.equal(nonce.requests.length, 3);
  assert.deepEqual(resent.traceIds, ["N1", "N3"]);
  // A last attempt that timed out, or failed to connect: the earlier
  // answers' trace ids still.
  for (
    const [last, kind] of [
      ["hang", EmbedTimeoutError],
      [reset(), EmbedNetworkError],
    ] as const
  ) {
    const { embed } = client([traced(500, "T1"), traced(503, "T2"), last], {
      timeoutMs: 200,
    });
    const error = await failed(
      embed.users.update(USER, { language: "fr" }),
      kind as new (...args: never[]) => EmbedError,
    );
    assert.deepEqual(error.traceIds, ["T1", "T2"], kind.name);
    assert.equal(error.mayHaveTakenEffect, true, kind.name);
  }
  // A 503 whose body was cut off, retried: its trace id came with its
  // headers.
  const cut = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"err'));
          controller.error(new Error("connection reset"));
        },
      }),
      { status: 503, headers: { "x-trace-id": "L1", "retry-after": "0" } },
    );
  const lost = client([cut, traced(404, "T2", ["ENexus:x"])]);
  const afterLost = await failed(
    lost.embed.users.update(USER, { language: "fr" }),
    EmbedApiError,
  );
  assert.equal(lost.requests.length, 2);
  assert.deepEqual(afterLost.traceIds, ["L1", "T2"]);
  // Aborted while waiting to retry.
  const { aborted } = await abortedWhileWaiting(
    failure(500, ["EService:Internal"], { "x-trace-id": "T1" }),
  );
  assert.deepEqual(aborted.traceIds, ["T1"]);
  // Aborted once a 200's headers came, its body still on its way: that
  // answer's trace id, as a timeout there keeps it.
  const { aborted: abortedInBody } = await abortedAfterSending([
    () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"res'));
          },
        }),
        { status: 200, headers: { "x-trace-id": "T-200" } },
      ),
  ], { maxRetries: 0 });
  assert.equal(abortedInBody.mayHaveTakenEffect, true);
  assert.deepEqual(abortedInBody.traceIds, ["T-200"]);
  // A 2xx whose result the caller's schema refuses: its own trace id last.
  const schema = client([
    traced(500, "T1"),
    Response.json({ result: 1 }, { headers: { "x-trace-id": "T2" } }),
  ]);
  const refusedResult = await failed(
    schema.embed.request({ ...GET, schema: v.string() }),
    EmbedApiError,
  );
  assert.deepEqual(refusedResult.traceIds, ["T1", "T2"]);
  // Nothing sent, no answer: none.
  const bad = await failed(
    schema.embed.users.update(USER, { phone: "x" }),
    EmbedValidationError,
  );
  assert.deepEqual(bad.traceIds, []);
  const unanswered = client([reset()], { maxRetries: 0 });
  const network = await failed(
    unanswered.embed.users.update(USER, { language: "fr" }),
    EmbedNetworkError,
  );
  assert.deepEqual(network.traceIds, []);
});

test("a GET changes nothing, whatever became of it", async () => {
  const cases: [Reply[], new (...args: never[]) => EmbedError][] = [
    [[reset()], EmbedNetworkError],
    [[failure(500, ["EService:Internal"])], EmbedApiError],
    [[Response.json({ result: 1, error: ["EGeneral:Odd"] })], EmbedApiError],
    [[new Response("not json")], EmbedApiError],
  ];
  for (const [replies, kind] of cases) {
    const { embed } = client(replies, { maxRetries: 0 });
    const error = await failed(embed.request(GET), kind);
    assert.equal(error.mayHaveTakenEffect, false, error.message);
  }
  const hang = client(["hang"], { timeoutMs: 20, maxRetries: 0 });
  const timeout = await failed(hang.embed.request(GET), EmbedTimeoutError);
  assert.equal(timeout.mayHaveTakenEffect, false);
});

test("an error from outside a call has no mayHaveTakenEffect", async () => {
  assert.equal(new EmbedTimeoutError(1000, 1).mayHaveTakenEffect, undefined);
  assert.equal(
    new EmbedApiError("Kraken answered 500", { status: 500 })
      .mayHaveTakenEffect,
    undefined,
  );
  assert.ok(!("mayHaveTakenEffect" in new EmbedTimeoutError(1000, 1)));
  // signRequest sends nothing, and is no call of the client's.
  const error = await signRequest({ secret: SECRET, nonce: "x", path: "/" })
    .catch((e) => e);
  assert.ok(error instanceof EmbedValidationError);
  assert.equal(error.mayHaveTakenEffect, undefined);
});

test("every error a call rejects with says true or false, and shows it in its JSON", async () => {
  const { embed } = client([failure(400, ["EGeneral:Invalid arguments"])]);
  const refused = await failed(embed.request(POST), EmbedApiError);
  assert.equal(JSON.parse(JSON.stringify(refused)).mayHaveTakenEffect, false);
  const invalid = await failed(
    embed.request({ ...POST, path: "no slash" }),
    EmbedValidationError,
  );
  assert.equal(invalid.mayHaveTakenEffect, false);
  const badUser = await failed(embed.users.get("x"), EmbedValidationError);
  assert.equal(badUser.mayHaveTakenEffect, false);
});

test("a POST's 2xx holding an error beside a null result may have taken effect and keeps its body", async () => {
  const answer = { error: ["EGeneral:Odd"], result: null };
  const { embed, requests } = client([Response.json(answer)]);
  const error = await embed.request(POST).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(requests.length, 1);
  assert.equal(error.mayHaveTakenEffect, true);
  assert.match(
    error.message,
    /holds a result, so the request may have taken effect$/,
  );
  assert.equal(error.body, JSON.stringify(answer));
});

test("a POST's 503 whose error strings only mention a Kraken category is a proxy's: not resent, may have taken effect", async () => {
  const { embed, requests } = client([
    failure(503, ["upstream said EService:Unavailable"], {
      "retry-after": "0",
    }),
    Response.json({ result: { id: "Q2" } }),
  ]);
  const error = await embed.request(POST).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(requests.length, 1);
  assert.equal(error.mayHaveTakenEffect, true);
});

test("a POST's 503 whose list holds a gateway's entry beside Kraken's is a proxy's: not resent, may have taken effect", async () => {
  for (
    const errors of [
      ["EService:Unavailable", "upstream connect error"],
      ["upstream connect error", "EService:Unavailable"],
    ]
  ) {
    const { embed, requests } = client([
      failure(503, errors, { "retry-after": "0" }),
      Response.json({ result: { id: "Q2" } }),
    ]);
    const error = await embed.request(POST).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(requests.length, 1, JSON.stringify(errors));
    assert.equal(error.mayHaveTakenEffect, true, JSON.stringify(errors));
  }
});

test("a POST's 503 whose entry has a category's capitals but no colon (ECONNRESET), or a system error's code before its colon, is a proxy's: not resent, may have taken effect", async () => {
  for (
    const entry of [
      "ECONNRESET",
      "EServiceUnavailable upstream",
      // A system error's code (all capitals), in a gateway's own list: no
      // Kraken category but EAPI is written so.
      "ECONNRESET: socket hang up",
      "ETIMEDOUT: connect timed out",
    ]
  ) {
    const { embed, requests } = client([
      failure(503, [entry], { "retry-after": "0" }),
      Response.json({ result: { id: "Q2" } }),
    ]);
    const error = await embed.request(POST).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(requests.length, 1, entry);
    assert.equal(error.mayHaveTakenEffect, true, entry);
  }
});

// A request answered `status` with `entries`, then a success it must not
// reach: sent once, its error saying it may have taken effect.
async function sentOnceMaybeDone(
  request: RequestOptions,
  status: number,
  entries: string[],
): Promise<EmbedApiError> {
  const { embed, requests } = client([
    failure(status, entries, { "retry-after": "0" }),
    Response.json({ result: { id: "Q2" } }),
  ]);
  const error = await embed.request(request).catch((e) => e);
  const what = `${request.method} ${status} ${entries}`;
  assert.ok(error instanceof EmbedApiError, `${what}: ${error}`);
  assert.equal(requests.length, 1, what);
  assert.equal(error.mayHaveTakenEffect, true, what);
  return error;
}

test("a POST's or a PUT's 503 or 2xx whose error reports an internal error or a timeout may have taken effect: not resent", async () => {
  // The service failed or ran out of time while handling it: whether it
  // acted (a trade executed, a user created) is not known. A 503 saying it
  // is unavailable or busy, or a 2xx's plain refusal, is still a refusal.
  const PUT = { method: "PUT" as const, path: "/b2b/quotes/q1", body: {} };
  for (const request of [POST, PUT]) {
    for (
      const [status, entry] of [
        [503, "EGeneral:Internal error"],
        [503, "EService:Timeout"],
        [503, "EService:Deadline elapsed"],
        [503, "EService:Request timed out"],
        [503, "EService:Request timed-out"],
        [503, "EService:Timed_out"],
        [503, "EService:Time out"],
        [200, "EGeneral:Internal error"],
        [200, "EService:Deadline elapsed"],
        [200, "EService:Timeout"],
      ] as const
    ) {
      const error = await sentOnceMaybeDone(request, status, [
        "EService:Busy",
        entry,
      ]);
      assert.match(error.message, /may have taken effect$/, entry);
    }
    for (const entry of ["EService:Unavailable", "EService:Busy"]) {
      const { embed, requests } = client([
        failure(503, [entry], { "retry-after": "0" }),
        Response.json({ result: { id: "Q2" } }),
      ]);
      assert.deepEqual(await embed.request(request), { id: "Q2" }, entry);
      assert.equal(requests.length, 2, entry);
    }
  }
  // A 4xx is a refusal whatever its entries say, and a GET never acts.
  for (
    const [request, reply] of [
      [POST, failure(400, ["EGeneral:Internal error"])],
      [GET, Response.json({ error: ["EGeneral:Internal error"] })],
    ] as const
  ) {
    const { embed } = client([reply]);
    const error = await embed.request(request).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, String(error));
    assert.equal(error.mayHaveTakenEffect, false, error.message);
  }
});

test("a POST's or a PUT's 503 is resent only when each entry says the service took nothing in; another 503, or a 2xx whose error reports an unknown error or a failure, may have taken effect", async () => {
  // Kraken publishes no list of the entries that mean "not processed": a
  // 503 is one only with the entries known to (unavailable, busy, rate
  // limit, lockout), so that an unknown one never sends a trade twice.
  const PUT = { method: "PUT" as const, path: "/b2b/quotes/q1", body: {} };
  const retried: string[][] = [
    ["EService:Unavailable"],
    ["EService:Busy"],
    ["EAPI:Rate limit exceeded"],
    ["EGeneral:Temporary lockout"],
    ["EService:Busy", "EAPI:Rate limit exceeded"],
  ];
  const notRetried: [number, string[]][] = [
    [503, ["EGeneral:Unknown error"]],
    [503, ["EService:Processing failed"]],
    [503, ["EGeneral:Invalid arguments"]],
    [503, ["EService:Unavailable", "EGeneral:Permission denied"]],
    [503, ["EService:Unavailable: maintenance"]],
    [503, ["eservice:unavailable"]],
    [200, ["EGeneral:Unknown error"]],
    [200, ["EService:Processing failed"]],
    [200, ["EOrder:Order placed but confirmation failed"]],
    [200, ["ENexus:Verification failure"]],
    [200, ["EService:Timed_out:after 30 s"]],
    [200, ["upstream request timeout"]],
    // A failure's word anywhere in a word of the code: its usual spellings.
    [200, ["EService:InternalError"]],
    [200, ["EService:internal_server_error"]],
    [200, ["EGeneral:RequestTimeout"]],
    [200, ["EService:DEADLINE_EXCEEDED"]],
    [200, ["EGeneral:connect ETIMEDOUT 10.0.0.1:443"]],
    [200, ["EService:ProcessingFailed"]],
    [200, ["EService:Failing over"]],
    [200, ["Error: upstream: request timeout"]],
    // After a further `:` that a space follows: still the message.
    [200, ["EService:Upstream error: deadline exceeded"]],
    [200, ["EGeneral:Error:Internal server error"]],
    [200, ["EService:Error: socket hang up"]],
    [200, ["EService:Crashed"]],
    [200, ["EService:Aborted"]],
    [200, ["EGeneral:Unexpected error"]],
    [200, ["EGeneral:Server error"]],
    // Not Kraken's: a gateway's, which may have passed the request on.
    [200, ["ECONNRESET"]],
    [200, ["socket hang up"]],
    [200, ["Service Unavailable"]],
    [200, ["upstream connect error or disconnect/reset before headers"]],
  ];
  // An entry that is not a string is looked through whole: its JSON's
  // colons are not a code's.
  const object = client([
    Response.json({ error: [{ code: "EGeneral:Internal error" }] }),
  ]);
  const judged = await object.embed.request(POST).catch((e) => e);
  assert.ok(judged instanceof EmbedApiError, String(judged));
  assert.equal(judged.mayHaveTakenEffect, true, "an object entry");
  for (const error of [true, [500], { code: 500 }]) {
    const odd = client([Response.json({ error })]);
    const refused = await odd.embed.request(POST).catch((e) => e);
    assert.ok(refused instanceof EmbedApiError, String(refused));
    assert.equal(refused.mayHaveTakenEffect, true, JSON.stringify(error));
  }
  for (const request of [POST, PUT]) {
    for (const entries of retried) {
      const { embed, requests } = client([
        failure(503, entries, { "retry-after": "0" }),
        Response.json({ result: { id: "Q2" } }),
      ]);
      assert.deepEqual(
        await embed.request(request),
        { id: "Q2" },
        `${entries}`,
      );
      assert.equal(requests.length, 2, `${entries}`);
    }
    for (const [status, entries] of notRetried) {
      await sentOnceMaybeDone(request, status, entries);
    }
    // A 2xx's plain refusal is still one, whatever follows a further `:` of
    // its code (an echo of the patch: a surname, a field's name).
    for (
      const entry of [
        "EGeneral:Invalid arguments",
        "ENexus:Invalid user ID",
        "EGeneral:Invalid arguments:full_name Faillace",
        "EGeneral:Invalid arguments:tax_ids failed validation",
        "EGeneral:Invalid arguments:timeout_ms",
      ]
    ) {
      const { embed } = client([failure(200, [entry])]);
      const error = await embed.request(request).catch((e) => e);
      assert.ok(error instanceof EmbedApiError, `${entry}: ${error}`);
      assert.equal(error.mayHaveTakenEffect, false, entry);
    }
  }
});

test("a POST's 4xx holding a result and no error may have taken effect; a 429 of that kind is not resent", async () => {
  for (const status of [409, 429]) {
    const { embed, requests } = client([
      Response.json({ result: { id: "Q1" } }, {
        status,
        headers: { "retry-after": "0" },
      }),
      Response.json({ result: { id: "Q2" } }),
    ]);
    const error = await embed.request(POST).catch((e) => e);
    assert.ok(error instanceof EmbedApiError, `${status}: ${error}`);
    assert.equal(requests.length, 1, String(status));
    assert.equal(error.mayHaveTakenEffect, true, String(status));
    assert.match(
      error.message,
      /holds a result, so the request may have taken effect$/,
    );
  }
});

test("a POST's 408, though a refusal, is not resent: only 429 and Kraken's 503 say it was not acted on", async () => {
  const { embed, requests } = client([
    failure(408, ["EGeneral:Timeout"]),
    Response.json({ result: { id: "Q2" } }),
  ]);
  const error = await embed.request(POST).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(error.status, 408);
  assert.equal(requests.length, 1);
  assert.equal(error.mayHaveTakenEffect, false);
});

test("a POST's 2xx without a result says it was accepted and may have taken effect; a GET's does not", async () => {
  const { embed } = client([Response.json({ id: "Q1" })]);
  const error = await embed.request(POST).catch((e) => e);
  assert.ok(error instanceof EmbedApiError, String(error));
  assert.equal(
    error.message,
    "Kraken answered 200 without a result: the request was accepted and may have taken effect",
  );
  const read = client([Response.json({ id: "Q1" })]);
  const got = await read.embed.request({
    method: "GET",
    path: "/b2b/quotes/q1",
  })
    .catch((e: EmbedApiError) => e);
  assert.ok(got instanceof EmbedApiError, String(got));
  assert.equal(got.message, "Kraken answered 200 without a result");
});

// The edges of the statuses read as answers, successes and refusals.
const PHONE = { phone: "+447700900123" };
const lookAlike = (status: number, text: string) => () =>
  ({
    status,
    headers: new Headers(),
    text: () => Promise.resolve(text),
  }) as unknown as Response;

test("statuses 100 (a look-alike's) and 599 (a Response's) are answers, and a 1xx holding a result is no success", async () => {
  for (
    const [status, reply] of [
      [100, lookAlike(100, "")],
      [100, lookAlike(100, '{"result":"success"}')],
      [199, lookAlike(199, '{"result":"success"}')],
      [599, () => failure(599, ["EGeneral:Internal error"])],
    ] as const
  ) {
    const { embed } = client([reply], { maxRetries: 0 });
    const error = await failed(embed.users.update(USER, PHONE), EmbedApiError);
    assert.equal(error.status, status);
    assert.equal(error.mayHaveTakenEffect, true, String(status));
  }
});

test("a fetch resolving to a non-Response with a 4xx-looking status is a configuration error that may have taken effect", async () => {
  for (
    const shape of [
      {
        status: 404.5,
        headers: new Headers(),
        text: () => Promise.resolve(""),
      },
      { status: 404, headers: new Headers() },
      { status: 429, text: () => Promise.resolve("") },
    ]
  ) {
    const { embed, requests } = client([() => shape as unknown as Response]);
    const error = await failed(
      embed.users.update(USER, PHONE),
      EmbedConfigError,
    );
    assert.equal(error.field, "fetch");
    assert.equal(error.mayHaveTakenEffect, true);
    assert.equal(requests.length, 1);
  }
});

test("a POST answered 399 is no refusal, and an error beside result: null in a 300 is not read as a 2xx's", async () => {
  const post = (reply: () => Response) =>
    failed(
      client([reply], { maxRetries: 0 }).embed.request({
        method: "POST",
        path: "/b2b/quotes",
        body: { a: 1 },
      }),
      EmbedApiError,
    );
  for (
    const reply of [
      () => failure(399, ["EGeneral:Whatever"]),
      () => new Response("odd", { status: 399 }),
    ]
  ) {
    const error = await post(reply);
    assert.equal(error.status, 399);
    assert.equal(error.mayHaveTakenEffect, true);
  }
  const error = await post(() =>
    Response.json({ error: ["EGeneral:Moved"], result: null }, { status: 300 })
  );
  assert.equal(error.mayHaveTakenEffect, true);
  assert.equal(error.body, undefined);
  assert.doesNotMatch(error.message, /holds a result/);
});

test("an error that only starts with Invalid nonce is not the refusal: a POST is sent once", async () => {
  for (const status of [200, 400]) {
    for (
      const entry of [
        "EAPI:Invalid nonce; order placed",
        "Invalid nonce window, request processed",
      ]
    ) {
      const { embed, requests } = client([
        failure(status, [entry]),
        Response.json({ result: { id: "q-1" } }),
      ], { maxRetries: 0 });
      await failed(
        embed.request({ method: "POST", path: "/b2b/quotes", body: {} }),
        EmbedApiError,
      );
      assert.equal(requests.length, 1, `${status} ${entry}`);
    }
  }
});
