// runtimes: deno — reason: tests the CLI's internal src/cli/network_detail.ts directly (the npm package does not export it), with causes no runtime's fetch makes (a credential quoted, getters, cycles); a refused connection through the CLI is tested in every runtime (cli_test.ts)
//
// What the CLI adds to an EmbedNetworkError's message: why the request got
// no answer, from the causes under "fetch failed", on one line, bounded,
// and without the API key, the secret or an API-Sign value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EmbedNetworkError } from "../src/errors.ts";
import process from "node:process";
import { credentialValues } from "../src/cli/config.ts";
import { networkDetail } from "../src/cli/network_detail.ts";
import { API_KEY, SECRET } from "./_fake_fetch.ts";

const SIGN =
  "R/O7nCOVslz0njC0UmPwOnH6vGsEwYLScRgJQXPnjD5VKp7hup1qPonMyFp9kqFCqFDTxqOlgu6RkMQJNNUNnw==";

/** An error with these own properties, as Node's system errors are. */
function failure(message: string, fields: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), fields);
}

/** The EmbedNetworkError the client would throw for this fetch error. */
function networkError(cause: unknown): EmbedNetworkError {
  return new EmbedNetworkError(3, cause, [API_KEY, SIGN]);
}

test("networkDetail() adds the causes under Node's fetch failed, each code once", () => {
  const refused = networkError(
    new TypeError("fetch failed", {
      cause: failure("connect ECONNREFUSED 127.0.0.1:1", {
        code: "ECONNREFUSED",
        syscall: "connect",
      }),
    }),
  );
  assert.equal(
    networkDetail(refused, []),
    "; caused by: connect ECONNREFUSED 127.0.0.1:1",
  );
  const tls = networkError(
    new TypeError("fetch failed", {
      cause: failure("self-signed certificate", {
        code: "DEPTH_ZERO_SELF_SIGNED_CERT",
      }),
    }),
  );
  assert.equal(
    networkDetail(tls, []),
    "; caused by: self-signed certificate (code DEPTH_ZERO_SELF_SIGNED_CERT)",
  );
  // A code on the error the message quotes already (Bun's) is added when
  // the message does not say it.
  assert.equal(
    networkDetail(networkError(failure("Unable to connect", { code: 61 })), []),
    " (code 61)",
  );
  assert.equal(
    networkDetail(networkError(new TypeError("fetch failed")), []),
    "",
  );
  assert.equal(networkDetail(networkError(undefined), []), "");
  assert.equal(
    networkDetail(networkError("socket hang up"), []),
    "; caused by: socket hang up",
  );
});

test("networkDetail() lists the first three errors of an AggregateError, and a cycle ends", () => {
  const attempts = [
    failure("connect ECONNREFUSED ::1:1", { code: "ECONNREFUSED" }),
    failure("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }),
  ];
  const both = new AggregateError(attempts, "");
  Object.assign(both, { code: "ECONNREFUSED" });
  assert.equal(
    networkDetail(
      networkError(new TypeError("fetch failed", { cause: both })),
      [],
    ),
    "; caused by: code ECONNREFUSED [connect ECONNREFUSED ::1:1, connect ECONNREFUSED 127.0.0.1:1]",
  );
  const many = new AggregateError(
    [1, 2, 3, 4].map((n) => failure(`attempt ${n}`)),
    "all failed",
  );
  assert.equal(
    networkDetail(
      networkError(new TypeError("fetch failed", { cause: many })),
      [],
    ),
    "; caused by: all failed [attempt 1, attempt 2, attempt 3, ...]",
  );
  // An error that is its own cause and its own aggregated error.
  const loop: Error & { errors?: unknown[] } = failure("loop");
  loop.cause = loop;
  loop.errors = [loop];
  const detail = networkDetail(
    networkError(new TypeError("fetch failed", { cause: loop })),
    [],
  );
  assert.equal(
    detail,
    "; caused by: loop [loop]; caused by: loop [loop]; caused by: loop [loop]",
  );
});

test("networkDetail() is one line: control characters escaped, each cause cut at 300 characters and all at 1,000", () => {
  const escaped = networkDetail(
    networkError(
      new TypeError("fetch failed", {
        cause: failure("line\nbreak \u001b[2J\u202etxet", { code: "E\rX" }),
      }),
    ),
    [],
  );
  assert.equal(
    escaped,
    "; caused by: line\\u000abreak \\u001b[2J\\u202etxet (code E\\u000dX)",
  );
  let deep: Error = failure("x".repeat(10_000));
  for (let i = 0; i < 5; i++) {
    deep = failure("y".repeat(10_000), { cause: deep });
  }
  const long = networkDetail(
    networkError(new TypeError("fetch failed", { cause: deep })),
    [],
  );
  // Three causes under the top one (four levels in all), each cut.
  assert.equal(long.split("; caused by: ").length, 4);
  assert.ok(long.length <= 1003, String(long.length));
  assert.match(long, /^; caused by: y{300}\.\.\.; caused by: y{300}\.\.\./);
  assert.doesNotMatch(long, /[\n\r]/);
});

test("networkDetail() prints no API key, secret or API-Sign a fetch's error quotes, nor what a getter computes", () => {
  // Quoted at every level the detail reads, in a message and in a code.
  let chain: Error = failure(`secret ${SECRET} and key ${API_KEY}`, {
    code: SIGN,
  });
  chain = failure(`API-Sign: ${SIGN}`, { cause: chain });
  chain = failure(`bad key ${encodeURIComponent(API_KEY)}`, { cause: chain });
  const quoted = networkError(new TypeError("fetch failed", { cause: chain }));
  const detail = networkDetail(quoted, [API_KEY, SECRET]);
  assert.match(detail, /\[redacted\]/);
  for (const value of [SECRET, SIGN, API_KEY, SECRET.slice(0, 24)]) {
    assert.ok(!detail.includes(value), detail);
  }
  // The client never sends the secret, so it does not look for it: the CLI
  // takes it out.
  assert.ok(networkDetail(quoted, [API_KEY]).includes(SECRET));
  // A getter is not run: it could give the client's check one value and
  // the print another.
  let reads = 0;
  const computed = new Error("fetch failed");
  Object.defineProperty(computed, "message", {
    get: () => (reads++, "computed"),
  });
  class Coded extends Error {
    get code() {
      return (reads++, "ECOMPUTED");
    }
  }
  const getters = networkError(
    new TypeError("fetch failed", {
      cause: Object.assign(computed, { cause: new Coded("refused") }),
    }),
  );
  const before = reads;
  const shown = networkDetail(getters, []);
  assert.equal(reads, before);
  assert.equal(shown, "; caused by: refused");
});

test("networkDetail() cuts the whole detail at 1,000 characters when the top error's code and three causes pass it", () => {
  let deep: Error = failure("x".repeat(10_000));
  for (let i = 0; i < 3; i++) {
    deep = failure("y".repeat(10_000), { cause: deep });
  }
  // The top error's code (its message is the EmbedNetworkError's own) is a
  // fourth part, of 306 characters: 1,254 in all before the cut.
  const top = failure("fetch failed", {
    code: "E".repeat(10_000),
    cause: deep,
  });
  const detail = networkDetail(networkError(top), []);
  assert.match(detail, /^ \(code E{295}\.\.\.\); caused by: y{300}\.\.\./);
  assert.equal(detail.length, 1003);
  assert.ok(detail.endsWith("..."), detail.slice(-20));
});

test("networkDetail() leaves out an aggregated error that says nothing (no message, no code)", () => {
  const both = new AggregateError(
    [new Error(""), failure("connect ECONNREFUSED 127.0.0.1:1"), {}],
    "",
  );
  assert.equal(
    networkDetail(
      networkError(new TypeError("fetch failed", { cause: both })),
      [],
    ),
    "; caused by: [connect ECONNREFUSED 127.0.0.1:1]",
  );
});

test("networkDetail() takes the hidden values out of a cause that is a string", () => {
  const detail = networkDetail(
    networkError(`socket hang up (secret ${SECRET})`),
    [API_KEY, SECRET],
  );
  assert.ok(!detail.includes(SECRET.slice(0, 24)), detail);
  assert.match(detail, /^; caused by: socket hang up \(secret \[redacted\]\)$/);
});

test("credentialValues() gives the API key and the secret the CLI was given, for networkDetail() to hide", () => {
  const names = ["KRAKEN_EMBED_API_KEY", "KRAKEN_EMBED_API_SECRET"];
  const saved = names.map((name) => process.env[name]);
  try {
    process.env.KRAKEN_EMBED_API_KEY = API_KEY;
    process.env.KRAKEN_EMBED_API_SECRET = SECRET;
    assert.deepEqual(credentialValues(), [API_KEY, SECRET]);
    process.env.KRAKEN_EMBED_API_KEY = "";
    assert.deepEqual(credentialValues(), [SECRET]);
    for (const name of names) delete process.env[name];
    assert.deepEqual(credentialValues(), []);
  } finally {
    names.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    });
  }
});
