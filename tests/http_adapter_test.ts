// runtimes: deno — reason: tests the CLI's internal node:http adapter (src/cli/http_adapter.ts) directly, which the npm package does not export; the CLI's emulator command, which serves through it, is tested in every runtime (cli_test.ts)
//
// What the adapter hands the handler, and what it writes back, on raw
// sockets: the request target as on the request line (an absolute-form one
// as its path and query), and an answer without a body written without one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { exchange } from "./_raw_http.ts";
import { within } from "./_timers.ts";
import { DRAIN_BYTES, serveRaw } from "../src/cli/http_adapter.ts";
import { type RawRequest, targetOf } from "../src/emulator/raw_request.ts";

async function withServer(
  respond: (raw: RawRequest) => Response,
  run: (port: number, seen: RawRequest[]) => Promise<void>,
): Promise<void> {
  const seen: RawRequest[] = [];
  const server = await serveRaw(
    (raw) => {
      seen.push(raw);
      return Promise.resolve(respond(raw));
    },
    { hostname: "127.0.0.1", port: 0, maxBodyBytes: 1024 },
  );
  try {
    await run(server.port, seen);
  } finally {
    await server.close();
  }
}

test("the handler gets an origin-form target as sent, and an absolute-form one as its path and query", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    const targets = [
      [
        "/b2b/users/AA95%20N84G?x='y'&u=http://a/b",
        "/b2b/users/AA95%20N84G?x='y'&u=http://a/b",
      ],
      ["/b2b/x/../users/A", "/b2b/x/../users/A"],
      ["http://127.0.0.1/b2b/users/A%20B?q=1", "/b2b/users/A%20B?q=1"],
      ["http://example.test:8080/b2b/x/../users/A", "/b2b/x/../users/A"],
    ];
    for (const [sent] of targets) {
      const answer = await exchange(
        port,
        `GET ${sent} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 200 /, sent);
    }
    assert.deepEqual(
      seen.map((raw) => raw.target),
      targets.map(([, expected]) => expected),
    );
  });
});

test("a 204 or 304 answer is written without Content-Length or body; others with both", async () => {
  for (const status of [204, 304, 200, 503]) {
    await withServer(
      () =>
        new Response(status === 204 || status === 304 ? null : "{}", {
          status,
        }),
      async (port) => {
        const answer = await exchange(
          port,
          "GET /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        );
        const [head, body] = answer.split("\r\n\r\n");
        assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `));
        if (status === 204 || status === 304) {
          assert.doesNotMatch(head, /content-length/i, String(status));
          assert.equal(body, "", String(status));
        } else {
          assert.match(head, /\r\ncontent-length: 2\r\n/i, String(status));
          assert.equal(body, "{}", String(status));
        }
      },
    );
  }
});

test("the target of a URL with no path is /, and a fragment is dropped", () => {
  assert.equal(targetOf("http://127.0.0.1:8787"), "/");
  assert.equal(targetOf("http://127.0.0.1:8787/b2b/x?y=1#z"), "/b2b/x?y=1");
  assert.equal(targetOf("/b2b/./x"), "/b2b/./x");
});

/**
 * Sends `request` on a kept-alive connection and reads one answer (its head
 * and its Content-Length's worth of body), then closes the socket.
 */
function oneAnswer(
  port: number,
  request: string | Uint8Array,
): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => {
      text += chunk;
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = text.slice(0, end);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (text.length - end - 4 < length) return;
      socket.destroy();
      resolve({ head, body: text.slice(end + 4, end + 4 + length) });
    });
    socket.on("error", reject);
  });
}

const post = (bytes: number) =>
  `POST /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${bytes}\r\n\r\n${
    "x".repeat(bytes)
  }`;

test("a body of maxBodyBytes is handed over whole, the connection kept", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    const fits = await oneAnswer(port, post(1024));
    assert.match(fits.head, /^HTTP\/1\.1 200 /);
    assert.doesNotMatch(fits.head, /\r\nconnection: close/i);
    assert.equal(seen[0].body.length, 1024);
  });
});

/**
 * One connection: writes each of `writes` in turn, `pauseMs` apart, and
 * collects every answer's head in order, until `answers` have come (and
 * `lingerMs` more have passed, in which the server may still close the
 * connection) or the server closes the connection; after 10 s without them,
 * it gives up with an `error`, so that a server that never answers fails the
 * test rather than holding it.
 */
function conversation(
  port: number,
  writes: string[],
  answers: number,
  pauseMs = 0,
  lingerMs = 0,
): Promise<{ heads: string[]; closed: boolean; error?: string | undefined }> {
  return new Promise((resolve) => {
    const heads: string[] = [];
    let text = "";
    const socket = connect(port, "127.0.0.1", async () => {
      for (const [i, chunk] of writes.entries()) {
        if (i > 0 && pauseMs > 0) {
          await new Promise((wait) => setTimeout(wait, pauseMs));
        }
        if (socket.destroyed) return;
        socket.write(chunk);
      }
    });
    let finished = false;
    const done = (closed: boolean, error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve({ heads, closed, error });
    };
    const deadline = setTimeout(
      () => done(false, `${heads.length} of ${answers} answers in 10 s`),
      10_000,
    );
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => {
      text += chunk;
      for (;;) {
        const end = text.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = text.slice(0, end);
        const length = Number(
          /\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0,
        );
        if (text.length - end - 4 < length) return;
        heads.push(head);
        text = text.slice(end + 4 + length);
        if (heads.length === answers) {
          return void setTimeout(() => done(false), lingerMs);
        }
      }
    });
    socket.on("end", () => done(true));
    socket.on("error", (error) => done(true, error.message));
  });
}

test("a body over maxBodyBytes is read to its end, sent slowly or not, and answered then, on a connection that serves the next request", async () => {
  const over = post(4096);
  const cut = over.indexOf("\r\n\r\n") + 4 + 2048;
  const small = post(10);
  for (const pauseMs of [0, 150]) {
    await withServer(
      (raw) =>
        new Response(raw.body.length > 1024 ? "too large" : "{}", {
          status: raw.body.length > 1024 ? 413 : 200,
        }),
      async (port, seen) => {
        // The second half comes after the limit has been passed (and, with
        // a pause, after an answer given at once would have gone out and
        // the connection closed, resetting the client still sending).
        const got = await conversation(
          port,
          [over.slice(0, cut), over.slice(cut), small],
          2,
          pauseMs,
        );
        assert.deepEqual(
          { ...got, heads: got.heads.map((head) => head.split("\r\n")[0]) },
          {
            heads: ["HTTP/1.1 413 Payload Too Large", "HTTP/1.1 200 OK"],
            closed: false,
            error: undefined,
          },
        );
        assert.doesNotMatch(got.heads[0], /\r\nconnection: close/i);
        assert.ok(seen[0].body.length > 1024);
        assert.equal(seen[1].body.length, 10);
      },
    );
  }
});

test("a body more than DRAIN_BYTES over the limit is answered at once and the connection closed after the answer", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    const size = 1024 + DRAIN_BYTES + 64 * 1024;
    const headLine =
      `POST /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${
        size + 1024 * 1024
      }\r\n\r\n`;
    // The body is never finished: only the drain's end can bring the answer.
    const got = await conversation(port, [headLine + "x".repeat(size)], 1);
    assert.equal(got.heads.length, 1, JSON.stringify(got));
    assert.match(got.heads[0], /^HTTP\/1\.1 200 /);
    assert.match(got.heads[0], /\r\nconnection: close/i);
    assert.ok(seen[0].body.length > 1024);
  });
});

const postHead = (bytes: number) =>
  `POST /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${bytes}\r\n\r\n`;

test("a body sent in several pieces reaches the handler whole, its bytes in order", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    const pieces = ['{"a":', '"bcd', 'ef"}'];
    const body = pieces.join("");
    const got = await conversation(
      port,
      [postHead(body.length), ...pieces],
      1,
      100,
    );
    assert.match(got.heads[0], /^HTTP\/1\.1 200 /);
    assert.equal(seen.length, 1);
    assert.equal(new TextDecoder().decode(seen[0].body), body);
  });
});

test("a body that reaches maxBodyBytes exactly at a piece's end and goes on is refused as over it, not cut at it", async () => {
  await withServer(
    (raw) => new Response(null, { status: raw.body.length > 1024 ? 413 : 204 }),
    async (port, seen) => {
      const got = await conversation(
        port,
        [postHead(1024 + 10), "x".repeat(1024), "y".repeat(10)],
        1,
        150,
      );
      assert.match(got.heads[0], /^HTTP\/1\.1 413 /);
      assert.ok(seen[0].body.length > 1024, String(seen[0].body.length));
    },
  );
});

test("a body some MiB over the limit, under DRAIN_BYTES, is read to its end and answered on a connection kept open", async () => {
  // Sized in MiB, not from DRAIN_BYTES: a drain cut to 1 MiB would answer
  // this at once and close the connection.
  await withServer(
    (raw) => new Response(null, { status: raw.body.length > 1024 ? 413 : 204 }),
    async (port) => {
      const size = 1024 + 4 * 1024 * 1024;
      const got = await conversation(
        port,
        [postHead(size) + "x".repeat(size)],
        1,
        0,
        300,
      );
      assert.match(got.heads[0], /^HTTP\/1\.1 413 /);
      assert.doesNotMatch(got.heads[0], /\r\nconnection: close/i);
      assert.equal(got.closed, false);
    },
  );
});

test("a body more than DRAIN_BYTES over the limit that then ends is handed to the handler once", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    const size = 1024 + DRAIN_BYTES + 64 * 1024;
    // The answer goes out at once; the rest of the body, and its end, after.
    const got = await conversation(
      port,
      [postHead(size) + "x".repeat(size)],
      1,
      0,
      1_000,
    );
    assert.match(got.heads[0], /^HTTP\/1\.1 200 /);
    assert.match(got.heads[0], /\r\nconnection: close/i);
    assert.equal(seen.length, 1);
  });
});

test("the handler's signal is not aborted once its answer has gone out", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    const answer = await exchange(
      port,
      "GET /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert.match(answer, /^HTTP\/1\.1 200 /);
    await new Promise((wait) => setTimeout(wait, 100));
    assert.equal(seen[0].signal!.aborted, false);
  });
});

test("a header sent on several lines reaches the handler with every value", async () => {
  await withServer(() => new Response("{}"), async (port, seen) => {
    await exchange(
      port,
      "GET /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a\r\nX-Test: b\r\nConnection: close\r\n\r\n",
    );
    assert.equal(seen[0].headers.get("x-test"), "a, b");
  });
});

test("a handler that fails is answered 500 in the service's error shape, not hung up on", async () => {
  await withServer(() => {
    throw new Error("bug");
  }, async (port) => {
    const answer = await exchange(
      port,
      "GET /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert.match(answer, /^HTTP\/1\.1 500 /);
    assert.ok(answer.endsWith('{"error":["EGeneral:Internal error"]}'), answer);
  });
});

test("the handler's signal aborts when the client goes away before the answer", async () => {
  let aborted!: () => void;
  const gone = new Promise<void>((resolve) => (aborted = resolve));
  let handled!: () => void;
  const inHandler = new Promise<void>((resolve) => (handled = resolve));
  const server = await serveRaw(
    (raw) =>
      new Promise<Response>((resolve) => {
        raw.signal!.addEventListener("abort", () => {
          aborted();
          resolve(new Response("{}"));
        });
        handled();
      }),
    { hostname: "127.0.0.1", port: 0, maxBodyBytes: 1024 },
  );
  try {
    const socket = connect(
      server.port,
      "127.0.0.1",
      () =>
        socket.write("GET /b2b/users/A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
    );
    // Once the request is with the handler, the client leaves: after a
    // fixed wait, a busy machine could still be reading it, and a client
    // gone before the handler is called aborts no handler's signal.
    assert.equal(await within(inHandler, 5_000), undefined, "no handler call");
    socket.destroy();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      gone.then(() => "aborted"),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve("not aborted"), 5_000);
      }),
    ]);
    clearTimeout(timer);
    assert.equal(outcome, "aborted");
  } finally {
    await server.close();
  }
});
