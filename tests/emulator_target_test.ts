// runtimes: deno — reason: serves the emulator with Deno.serve and with the CLI's internal node:http adapter (src/cli/http_adapter.ts, which the npm package does not export) and sends raw request lines; the same rules through emulator.fetch() and handle() are tested in every runtime (emulator_test.ts)
//
// The request target the emulator signs over and routes by, over real
// sockets: where Deno.serve's request.url and an absolute-form request line
// put the path, and what becomes of a Host header that is not a host or of a
// raw `#` on the request line, under both servers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exchange } from "./_raw_http.ts";
import { createEmulator, type Emulator } from "@kraken-embed/client/emulator";
import { serveRaw } from "../src/cli/http_adapter.ts";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";
import { oracleSign } from "./_oracle.ts";

const PATH = "/b2b/users/AA95%20N84G%20TEST%20XXXX";
const BODY = '{"language":"fr"}';

let lastNonce = 1_000_000n;
const nextNonce = () => String(++lastNonce);

const emulatorWith = () =>
  createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER, language: "en" }],
  });

/** A PATCH of BODY, signed over `signedOver`, as raw bytes. */
function patch(line: string, host: string, signedOver: string): string {
  const nonce = nextNonce();
  return [
    `PATCH ${line} HTTP/1.1`,
    `Host: ${host}`,
    "Connection: close",
    "Content-Type: application/json",
    `Content-Length: ${BODY.length}`,
    `API-Key: ${API_KEY}`,
    `API-Nonce: ${nonce}`,
    `API-Sign: ${oracleSign(SECRET, nonce, signedOver, BODY)}`,
    "",
    BODY,
  ].join("\r\n");
}

/** The status and JSON body of a raw answer. */
function parse(answer: string): { status: number; body: unknown } {
  const [head, body] = answer.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), body: JSON.parse(body) };
}

type Server = "Deno.serve" | "node:http adapter";

/** Runs `run` against the emulator served by `server` on 127.0.0.1, port 0. */
async function withServer(
  server: Server,
  emulator: Emulator,
  run: (port: number) => Promise<void>,
): Promise<void> {
  if (server === "node:http adapter") {
    const served = await serveRaw(emulator.handle, {
      hostname: "127.0.0.1",
      port: 0,
      maxBodyBytes: 64 * 1024,
    });
    try {
      await run(served.port);
    } finally {
      await served.close();
    }
    return;
  }
  const stop = new AbortController();
  const served = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: stop.signal,
    onListen() {},
  }, emulator.fetch);
  try {
    await run(served.addr.port);
  } finally {
    stop.abort();
    await served.finished;
  }
}

const SERVERS: Server[] = ["Deno.serve", "node:http adapter"];

test("Deno.serve: a Host header holding a path and ? is refused with 400 EGeneral:Bad request, not judged as the route it spells", async () => {
  const emulator = emulatorWith();
  await withServer("Deno.serve", emulator, async (port) => {
    // Deno.serve's request.url is http://x/b2b/users/...?/anything.
    const answer = parse(
      await exchange(
        port,
        patch("/anything", `x${PATH}?`, `${PATH}?/anything`),
      ),
    );
    assert.deepEqual(answer, {
      status: 400,
      body: { error: ["EGeneral:Bad request"] },
    });
  });
  assert.equal(emulator.users.get(USER)?.language, "en");
});

test("an absolute-form target without a path is judged as / and its query, 404 EGeneral:Unknown route, under both servers", async () => {
  for (const server of SERVERS) {
    const emulator = emulatorWith();
    await withServer(server, emulator, async (port) => {
      const answer = parse(
        await exchange(port, patch(`http://h?x=${PATH}`, "h", PATH)),
      );
      assert.deepEqual(answer, {
        status: 404,
        body: { error: ["EGeneral:Unknown route"] },
      }, server);
    });
    assert.equal(emulator.users.get(USER)?.language, "en", server);
    assert.equal(emulator.log[0].path, `/?x=${PATH}`, server);
  }
});

test("an absolute-form target with userinfo before the host is refused with 400 EGeneral:Bad request under both servers, and logged without it", async () => {
  for (const server of SERVERS) {
    const emulator = emulatorWith();
    await withServer(server, emulator, async (port) => {
      // The second password has a raw @ in it: redacted to the last @.
      for (
        const userinfo of [
          "proxyuser:hunter2-secret",
          "proxyuser:hunter2@secret",
        ]
      ) {
        const answer = parse(
          await exchange(port, patch(`http://${userinfo}@h${PATH}`, "h", PATH)),
        );
        assert.deepEqual(answer, {
          status: 400,
          body: { error: ["EGeneral:Bad request"] },
        }, `${server} ${userinfo}`);
      }
    });
    assert.equal(emulator.users.get(USER)?.language, "en", server);
    assert.deepEqual(
      emulator.log.map((entry) => entry.path),
      [`http://[redacted]@h${PATH}`, `http://[redacted]@h${PATH}`],
      server,
    );
    assert.doesNotMatch(
      JSON.stringify(emulator.log),
      /proxyuser|hunter2|secret/,
      server,
    );
  }
});

test("an absolute-form target with an empty host is never judged as the route it spells: 400 EGeneral:Bad request under the node:http adapter", async () => {
  // RFC 9110, 4.2.1: an http URI with an empty host is invalid. Deno.serve
  // keeps the whole of such a target as its path (a route of its own, 404).
  for (const server of SERVERS) {
    const emulator = emulatorWith();
    await withServer(server, emulator, async (port) => {
      const answer = parse(
        await exchange(port, patch(`http://${PATH}`, "h", PATH)),
      );
      assert.notEqual(answer.status, 200, server);
      if (server === "node:http adapter") {
        assert.deepEqual(answer, {
          status: 400,
          body: { error: ["EGeneral:Bad request"] },
        });
      }
    });
    assert.equal(emulator.users.get(USER)?.language, "en", server);
  }
});

test("a raw # on the request line is dropped under both servers, so one signature, over the target without it, passes both", async () => {
  for (const server of SERVERS) {
    const emulator = emulatorWith();
    await withServer(server, emulator, async (port) => {
      const line = `${PATH}?q=1#frag`;
      const withFragment = parse(
        await exchange(port, patch(line, "127.0.0.1", line)),
      );
      assert.deepEqual(withFragment, {
        status: 401,
        body: { error: ["EAPI:Invalid signature"] },
      }, server);
      const without = parse(
        await exchange(port, patch(line, "127.0.0.1", `${PATH}?q=1`)),
      );
      assert.deepEqual(without, {
        status: 200,
        body: { result: "success" },
      }, server);
    });
    assert.equal(emulator.users.get(USER)?.language, "fr", server);
    assert.deepEqual(
      emulator.log.map((entry) => entry.path),
      [`${PATH}?q=1`, `${PATH}?q=1`],
      server,
    );
  }
});

test("node:http adapter: an absolute-form target with an upper-case scheme is judged by its path, as schemes are case-insensitive", async () => {
  const emulator = emulatorWith();
  await withServer("node:http adapter", emulator, async (port) => {
    const answer = parse(
      await exchange(port, patch(`HTTP://h${PATH}`, "h", PATH)),
    );
    assert.deepEqual(answer, { status: 200, body: { result: "success" } });
  });
  assert.equal(emulator.users.get(USER)?.language, "fr");
  assert.equal(emulator.log[0].path, PATH);
});
