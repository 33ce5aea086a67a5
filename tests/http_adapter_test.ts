// runtimes: deno — reason: tests the CLI's internal node:http adapter (src/cli/http_adapter.ts) directly, which the npm package does not export; the CLI's emulator command, which serves through it, is tested in every runtime (cli_test.ts)
//
// What the adapter hands the handler, and what it writes back, on raw
// sockets: the request target as on the request line (an absolute-form one
// as its path and query), and an answer without a body written without one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { serveRaw } from "../src/cli/http_adapter.ts";
import { type RawRequest, targetOf } from "../src/emulator/raw_request.ts";

/** Sends `request` as it is and reads the socket until the server closes it. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

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
