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

/** What the CLI prints of it: the error's message, then the detail. */
function line(error: EmbedNetworkError, hidden: readonly string[] = []) {
  return error.message + networkDetail(error, hidden);
}

test("networkDetail() adds what the message does not say of the causes under fetch failed, each code once", () => {
  const refused = networkError(
    new TypeError("fetch failed", {
      cause: failure("connect ECONNREFUSED 127.0.0.1:1", {
        code: "ECONNREFUSED",
        syscall: "connect",
      }),
    }),
  );
  // The message says it all: the deepest message, its code in it.
  assert.equal(networkDetail(refused, []), "");
  assert.equal(
    refused.message,
    "Network error after 3 attempts: fetch failed: connect ECONNREFUSED 127.0.0.1:1",
  );
  const tls = networkError(
    new TypeError("fetch failed", {
      cause: failure("self-signed certificate", {
        code: "DEPTH_ZERO_SELF_SIGNED_CERT",
      }),
    }),
  );
  assert.equal(
    line(tls),
    "Network error after 3 attempts: fetch failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)",
  );
  // Two levels each with a code: the deepest in the message, the other
  // after it.
  const reset = networkError(
    new TypeError("fetch failed", {
      cause: failure("other side closed", {
        code: "UND_ERR_SOCKET",
        cause: failure("read ECONNRESET", { code: "ECONNRESET" }),
      }),
    }),
  );
  assert.equal(
    line(reset),
    "Network error after 3 attempts: fetch failed: read ECONNRESET; caused by: other side closed (code UND_ERR_SOCKET)",
  );
  // A code on the error the message quotes already (Bun's) is added when
  // the message does not say it (a number: the client's message leaves it
  // out).
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
  // The code in the message; the aggregated errors in the detail.
  assert.equal(
    line(networkError(new TypeError("fetch failed", { cause: both }))),
    "Network error after 3 attempts: fetch failed (ECONNREFUSED); caused by: [connect ECONNREFUSED ::1:1, connect ECONNREFUSED 127.0.0.1:1]",
  );
  const many = new AggregateError(
    [1, 2, 3, 4].map((n) => failure(`attempt ${n}`)),
    "all failed",
  );
  assert.equal(
    line(networkError(new TypeError("fetch failed", { cause: many }))),
    "Network error after 3 attempts: fetch failed: all failed; caused by: [attempt 1, attempt 2, attempt 3, ...]",
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
    "; caused by: [loop]; caused by: [loop]; caused by: [loop]",
  );
});

test("networkDetail() is one line: control characters escaped, each cause cut at 300 characters and all at 1,000", () => {
  const escaped = line(
    networkError(
      new TypeError("fetch failed", {
        cause: failure("line\nbreak \u001b[2J\u202etxet", { code: "E\rX" }),
      }),
    ),
  );
  assert.equal(
    escaped,
    "Network error after 3 attempts: fetch failed: line\\u000abreak \\u001b[2J\\u202etxet; caused by: code E\\u000dX",
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
  // The client never sends the secret, so it does not look for it: its
  // message, which quotes the deepest cause, holds it, and the CLI takes it
  // out of what it prints (secrets_cli_test.ts runs that).
  assert.ok(quoted.message.includes(SECRET));
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
  // The client ran them; the detail adds nothing of its own.
  assert.equal(
    getters.message,
    "Network error after 3 attempts: fetch failed: refused (ECOMPUTED)",
  );
  assert.equal(shown, "");
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
