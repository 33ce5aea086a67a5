// runtimes: deno — reason: spawns the CLI from source (deno run src/cli/main.ts)
// The CLI never prints a secret: every command's success and error paths run
// as processes with a known API secret in the environment, and what each
// printed (stdout and stderr) is scanned for the secret as given, as hex of
// its bytes, and for every API-Sign value produced (collected where the
// requests arrived), plus any 64-byte value in base64 or hex, which catches
// signatures and secrets no server saw (a refused connection, the demo's
// own throwaway ones). tests/secrets_test.ts does the same for the library's
// errors and renderings.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createEmulator, type Emulator } from "@kraken-embed/client/emulator";
import { SECRET, USER } from "./_fake_fetch.ts";
import { serveFetch } from "./_serve.ts";
import * as raw from "./_raw_http.ts";
import { oracleSign } from "./_oracle.ts";
import { freePort } from "./_ports.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const KEY = "secrets-cli-key-0123456789";
const PATH = "/b2b/users/AA95%20N84G%20TEST%20XXXX";
const UNKNOWN_USER = "AA95 N84G NONE XXXX";
// A well-formed secret that is not the emulator's: its requests are refused
// for their signature, and it must not leak either.
const OTHER_SECRET = Buffer.from(
  createHash("sha512").update("another secret").digest(),
).toString("base64");
const ENV = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };

/** A value that must not appear in any output but those that mean to show it. */
interface Needle {
  label: string;
  value: string;
}

function needlesOf(label: string, secret: string): Needle[] {
  const hex = Buffer.from(secret, "base64").toString("hex");
  return [
    { label, value: secret },
    { label: `${label} (first 24 characters)`, value: secret.slice(0, 24) },
    { label: `${label} as hex`, value: hex },
    { label: `${label} as hex (first 32 digits)`, value: hex.slice(0, 32) },
  ];
}

const needles: Needle[] = [
  ...needlesOf("the secret", SECRET),
  ...needlesOf("the other secret", OTHER_SECRET),
];
/** Every API-Sign value a server received or `sign` printed. */
const signatures = new Set<string>();

interface Output {
  label: string;
  text: string;
  /** What this output is meant to show: only `sign`'s own API-Sign, the emulator's own secret. */
  allowed: readonly string[];
}

const outputs: Output[] = [];
const dir = mkdtempSync(join(tmpdir(), "secrets-cli-"));
const started = performance.now();

after(() => {
  rmSync(dir, { recursive: true, force: true });
  const leaks = outputs.flatMap((output) => findLeaks(output));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `summary: secrets: ${outputs.length} outputs scanned, ${leaks.length} leaks (${signatures.size} API-Sign values, ${needles.length} secret forms; ${seconds} s)`,
  );
});

// 64 bytes in standard base64 (a signature, a Kraken secret) or in hex.
const BASE64_64_BYTES = /[A-Za-z0-9+/]{86}==/g;
const HEX_64_BYTES = /[0-9a-fA-F]{128}/g;

/** Every leak in one output: what was found, and where. */
function findLeaks(output: Output): string[] {
  const { text, allowed } = output;
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const { label, value } of needles) {
    const hex = /^[0-9a-f]+$/.test(value);
    if (allowed.some((shown) => shown.includes(value))) continue;
    if (hex ? lower.includes(value) : text.includes(value)) found.push(label);
  }
  for (const sign of signatures) {
    if (!allowed.includes(sign) && text.includes(sign)) {
      found.push(`API-Sign ${sign.slice(0, 8)}…`);
    }
  }
  for (const pattern of [BASE64_64_BYTES, HEX_64_BYTES]) {
    for (const [match] of text.matchAll(pattern)) {
      if (!allowed.some((value) => value.includes(match))) {
        found.push(`a 64-byte value ${match.slice(0, 8)}…`);
      }
    }
  }
  return [...new Set(found)].map((what) => `${output.label}: ${what}`);
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("KRAKEN_EMBED_")) {
      env[name] = value;
    }
  }
  return { ...env, ...extra };
}

function spawnDeno(
  args: string[],
  env: Record<string, string>,
  stdin = "",
): Promise<Result> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(stdin);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  );
}

const CLI = ["run", "-A", "--config", "deno.json", "src/cli/main.ts"];

interface Case {
  args: string[];
  env?: Record<string, string>;
  stdin?: string;
  code: number;
  /** What stdout and stderr together must show: proof the intended path ran. */
  shows: RegExp;
}

/** Runs each case as a CLI process (a few at a time), checks its exit code and output, and keeps the output for the scan. */
async function runCases(cases: readonly Case[]): Promise<Result[]> {
  const results: Result[] = [];
  for (let i = 0; i < cases.length; i += 4) {
    results.push(
      ...await Promise.all(
        cases.slice(i, i + 4).map((c) =>
          spawnDeno([...CLI, ...c.args], c.env ?? ENV, c.stdin)
        ),
      ),
    );
  }
  results.forEach((result, i) => {
    const { args, code, shows } = cases[i];
    const label = `kraken-embed ${args.join(" ")}`;
    const text = result.stdout + result.stderr;
    outputs.push({ label, text, allowed: [] });
    assert.equal(result.code, code, `${label}: ${text}`);
    assert.match(text, shows, label);
  });
  return results;
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** An emulator that knows KEY and SECRET, over loopback HTTP, recording every API-Sign it receives. */
async function emulatorServer(setup?: (emulator: Emulator) => void) {
  const emulator = createEmulator({
    credentials: [{ apiKey: KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    // Up to four CLI processes share the key at once, each with its own
    // clock nonces, so their requests can arrive out of nonce order: what a
    // nonce window is for (see the README's "Nonces"). Without one, a request
    // overtaken twice failed with "Invalid nonce" on a busy machine.
    nonceWindow: 10_000_000,
  });
  setup?.(emulator);
  const served = await serveFetch((request) => {
    const sign = request.headers.get("api-sign");
    if (sign) signatures.add(sign);
    return emulator.fetch(request);
  });
  return { emulator, ...served };
}

test("--help and usage errors print no secret", async () => {
  const notJson = file("not-json.txt", "{ phone: ");
  const badPatch = file(
    "bad-patch.json",
    JSON.stringify({ phone: "x", phone_number: "+447700900123" }),
  );
  const usage = /\(see kraken-embed/;
  await runCases([
    { args: ["--help"], code: 0, shows: /^Usage: kraken-embed/ },
    { args: [], code: 2, shows: /missing command/ },
    { args: ["frobnicate"], code: 2, shows: /unknown command/ },
    { args: ["sign", "--help"], code: 0, shows: /^Usage: kraken-embed sign/ },
    { args: ["users", "--help"], code: 0, shows: /^Usage:/ },
    { args: ["users", "update", "--help"], code: 0, shows: /^Usage:/ },
    { args: ["users", "get", "-h"], code: 0, shows: /^Usage:/ },
    { args: ["emulator", "--help"], code: 0, shows: /^Usage:/ },
    { args: ["demo", "--help"], code: 0, shows: /^Usage: kraken-embed demo/ },
    { args: ["sign", "--bogus"], code: 2, shows: /unknown option --bogus/ },
    // The secret typed as an option, with its padding or without: named by
    // its position.
    {
      args: ["sign", `--${SECRET}`],
      code: 2,
      shows: /unknown option at argument 1 after "sign"/,
    },
    {
      args: ["users", "get", USER, `--${SECRET.replace(/=+$/, "")}=x`],
      code: 2,
      shows: /unknown option at argument 2 after "users get"/,
    },
    {
      args: ["sign", "--method", "FOO", "--path", PATH],
      code: 2,
      shows: /--method expects/,
    },
    { args: ["sign", "--method", "GET"], code: 2, shows: /--path expects/ },
    { args: ["sign", "--method"], code: 2, shows: /--method needs a value/ },
    {
      args: ["sign", "--method", "GET", "--path", PATH, "--base-url", "ftp:x"],
      code: 2,
      shows: /--base-url expects/,
    },
    {
      args: ["sign", "--method", "PATCH", "--path", PATH, "--body", "/none"],
      code: 2,
      shows: /--body: cannot read/,
    },
    {
      args: ["sign", "--method", "GET", "--path", PATH],
      env: {},
      code: 2,
      shows: /KRAKEN_EMBED_API_KEY is not set/,
    },
    {
      args: ["sign", "--method", "GET", "--path", PATH],
      env: { KRAKEN_EMBED_API_KEY: KEY },
      code: 2,
      shows: /KRAKEN_EMBED_API_SECRET is not set/,
    },
    // A secret that is not base64: refused without being quoted.
    {
      args: ["sign", "--method", "GET", "--path", PATH],
      env: { ...ENV, KRAKEN_EMBED_API_SECRET: `${SECRET.slice(0, -2)}!=` },
      code: 2,
      shows: /secret/i,
    },
    {
      args: ["users", "get", USER],
      env: { ...ENV, KRAKEN_EMBED_API_SECRET: `${SECRET.slice(0, -2)}!=` },
      code: 2,
      shows: /KRAKEN_EMBED_API_SECRET expects/,
    },
    { args: ["users"], code: 2, shows: /expected "update" or "get"/ },
    { args: ["users", "frob"], code: 2, shows: /unknown action/ },
    { args: ["users", "get", USER, "--bogus"], code: 2, shows: usage },
    { args: ["users", "get", "AA95", "N84G"], code: 2, shows: /one IIBAN/ },
    { args: ["users", "get", "bad iiban"], code: 2, shows: /Invalid user/ },
    { args: ["users", "update", USER], code: 2, shows: /--data FILE/ },
    {
      args: ["users", "update", USER, "--data", notJson],
      code: 2,
      shows: /--data is not valid JSON/,
    },
    {
      args: ["users", "update", USER, "--data", badPatch],
      code: 2,
      shows: /Invalid patch: .*phone/,
    },
    {
      args: ["users", "get", USER, "--base-url", "not a url"],
      code: 2,
      shows: /--base-url expects an absolute http\(s\) URL \(see/,
    },
  ]);
  needles.push({
    label: "the malformed secret",
    value: `${SECRET.slice(0, -2)}!=`,
  });
});

test("sign prints its own API-Sign and nothing else secret", async () => {
  const body = '{"language":"en"}';
  const bodyFile = file("patch.json", body);
  const cases = [
    ["--method", "PATCH", "--path", PATH, "--body", bodyFile, "--nonce", "7"],
    ["--method", "GET", "--path", PATH],
    ["--method", "POST", "--path", "/b2b/users", "--body", "-"],
    ["--method", "GET", "--path", PATH, "--base-url", "https://h.test/embed"],
    [
      "--method",
      "GET",
      "--path",
      PATH,
      "--base-url",
      "http://h.test/embed",
      "--allow-insecure-http",
    ],
  ];
  for (const args of cases) {
    const result = await spawnDeno([...CLI, "sign", ...args], ENV, body);
    const label = `kraken-embed sign ${args.join(" ")}`;
    assert.equal(result.code, 0, `${label}: ${result.stderr}`);
    const sign = /^API-Sign: (\S+)$/m.exec(result.stdout)?.[1];
    const nonce = /^API-Nonce: (\d+)$/m.exec(result.stdout)?.[1];
    const path = /^Signed path: (\S+)$/m.exec(result.stdout)?.[1];
    assert.ok(sign && nonce && path, result.stdout);
    assert.equal(
      sign,
      oracleSign(SECRET, nonce, path, args.includes("--body") ? body : ""),
    );
    signatures.add(sign);
    // The printed API-Sign is this command's purpose (twice: the header
    // line and the curl command): the one value excluded from its scan.
    outputs.push({
      label,
      text: result.stdout + result.stderr,
      allowed: [sign],
    });
  }
});

test("users update and get: success and API errors print no secret or signature", async () => {
  const patch = JSON.stringify({ phone: "+447700900123", language: "fr" });
  const patchFile = file("good.json", patch);
  const ok = await emulatorServer();
  const faulty = await Promise.all([
    emulatorServer((e) => e.failNext(3, { status: 503 })),
    emulatorServer((e) =>
      e.failNext(3, { status: 502, body: "<html>Bad gateway</html>" })
    ),
    emulatorServer((e) => e.failNext(3, { status: 429, retryAfter: 0 })),
  ]);
  const at = (url: string, env: Record<string, string> = ENV) => ({
    ...env,
    KRAKEN_EMBED_BASE_URL: url,
  });
  try {
    await runCases([
      {
        args: ["users", "update", USER, "--data", patchFile],
        env: at(ok.url),
        code: 0,
        shows: /"result": "success"/,
      },
      {
        args: ["users", "update", USER, "--data", "-"],
        env: at(ok.url),
        stdin: patch,
        code: 0,
        shows: /"result": "success"/,
      },
      {
        // Runs alongside the updates: what it reads is not the point.
        args: ["users", "get", USER, "--base-url", ok.url],
        code: 0,
        shows: /"user": "AA95 N84G TEST XXXX"/,
      },
      {
        args: ["users", "get", UNKNOWN_USER],
        env: at(ok.url),
        code: 1,
        shows: /ENexus:Invalid user ID \(x-trace-id /,
      },
      {
        args: ["users", "update", UNKNOWN_USER, "--data", patchFile],
        env: at(ok.url),
        code: 1,
        shows: /ENexus:Invalid user ID/,
      },
      {
        args: ["users", "update", USER, "--data", patchFile],
        env: at(ok.url, { ...ENV, KRAKEN_EMBED_API_KEY: "unknown-key-01" }),
        code: 1,
        shows: /EAPI:Invalid key/,
      },
      {
        args: ["users", "update", USER, "--data", patchFile],
        env: at(ok.url, { ...ENV, KRAKEN_EMBED_API_SECRET: OTHER_SECRET }),
        code: 1,
        shows: /EAPI:Invalid signature/,
      },
      {
        args: ["users", "get", USER],
        env: at(faulty[0].url),
        code: 1,
        shows: /answered 503: EService:Unavailable/,
      },
      {
        args: ["users", "update", USER, "--data", patchFile],
        env: at(faulty[1].url),
        code: 1,
        shows: /answered 502 with a body that is not JSON/,
      },
      {
        args: ["users", "get", USER],
        env: at(faulty[2].url),
        code: 1,
        shows: /answered 429: EAPI:Rate limit exceeded/,
      },
    ]);
    assert.equal(ok.emulator.users.get(USER)?.language, "fr");
    for (const { emulator } of faulty) assert.equal(emulator.log.length, 3);
  } finally {
    await Promise.all([ok, ...faulty].map((server) => server.close()));
  }
});

test("users update and get: network errors print no secret or signature", async () => {
  const patchFile = file("network.json", JSON.stringify({ language: "en" }));
  const record = (request: raw.RawExchange) => {
    signatures.add(request.headers["api-sign"]);
  };
  const hangUp = await raw.rawServer((request) => {
    record(request);
    return raw.hangUp;
  });
  const truncated = await raw.rawServer((request) => {
    record(request);
    return raw.truncatedJson;
  });
  const port = await freePort();
  try {
    const results = await runCases([
      {
        // Refused connections: no server sees these signatures; the scan's
        // 64-byte pattern still would.
        args: ["users", "update", USER, "--data", patchFile],
        env: { ...ENV, KRAKEN_EMBED_BASE_URL: `http://127.0.0.1:${port}` },
        code: 1,
        shows: /Network error after 3 attempts/,
      },
      {
        // The secret pasted into the base URL's path: Deno's fetch error
        // quotes the URL, and the client takes out only the API key and
        // API-Sign; the CLI takes the secret out of what it adds.
        args: ["users", "get", USER],
        env: {
          ...ENV,
          KRAKEN_EMBED_BASE_URL: `http://127.0.0.1:${port}/${SECRET}`,
        },
        code: 1,
        shows: /Network error after 3 attempts: .*\/\[redacted\]\/b2b\/users\//,
      },
      {
        args: ["users", "update", USER, "--data", patchFile],
        env: { ...ENV, KRAKEN_EMBED_BASE_URL: hangUp.url },
        code: 1,
        shows: /Network error after 3 attempts/,
      },
      {
        // The 200 was heard, and the error says so.
        args: ["users", "get", USER, "--base-url", truncated.url],
        code: 1,
        shows: /Kraken answered 200, and its body was cut off/,
      },
    ]);
    assert.ok(!results[1].stderr.includes(SECRET), results[1].stderr);
    assert.equal(hangUp.requests.length, 3);
    assert.equal(truncated.requests.length, 3);
  } finally {
    await Promise.all([hangUp.close(), truncated.close()]);
  }
});

test("kraken-embed emulator, and users get against it, print no other secret", async () => {
  const child = spawn(process.execPath, [...CLI, "emulator", "--port", "0"], {
    cwd: ROOT,
    env: childEnv(ENV),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const closed = new Promise((resolve) => child.on("close", resolve));
  try {
    const deadline = performance.now() + 10_000;
    while (!/Stop with Ctrl\+C/.test(output)) {
      assert.ok(performance.now() < deadline, `no banner: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exported = (name: string) =>
      new RegExp(`export ${name}=(\\S+)`).exec(output)![1];
    const url = exported("KRAKEN_EMBED_BASE_URL");
    const own = {
      KRAKEN_EMBED_API_KEY: exported("KRAKEN_EMBED_API_KEY"),
      KRAKEN_EMBED_API_SECRET: exported("KRAKEN_EMBED_API_SECRET"),
    };
    needles.push(
      ...needlesOf("the emulator's secret", own.KRAKEN_EMBED_API_SECRET),
    );
    // A proxy in front of it, to see the signatures it is sent.
    const proxy = await serveFetch(async (request) => {
      const sign = request.headers.get("api-sign");
      if (sign) signatures.add(sign);
      const { pathname, search } = new URL(request.url);
      const headers = new Headers(request.headers);
      for (const name of ["host", "connection", "content-length"]) {
        headers.delete(name);
      }
      return await fetch(url + pathname + search, {
        method: request.method,
        headers,
        body: request.body ? await request.arrayBuffer() : null,
      });
    });
    try {
      await runCases([
        {
          // The known secret's key is not the emulator's.
          args: ["users", "get", USER, "--base-url", proxy.url],
          code: 1,
          shows: /EAPI:Invalid key/,
        },
        {
          args: ["users", "get", USER, "--base-url", proxy.url],
          env: own,
          code: 0,
          shows: /"user": "AA95 N84G TEST XXXX"/,
        },
        {
          args: ["users", "get", UNKNOWN_USER, "--base-url", proxy.url],
          env: own,
          code: 1,
          shows: /ENexus:Invalid user ID/,
        },
      ]);
    } finally {
      await proxy.close();
    }
  } finally {
    child.kill("SIGTERM");
    await closed;
  }
  assert.match(output, /GET \/b2b\/users\/AA95%20N84G%20TEST%20XXXX -> 200/);
  // Printing its own throwaway secret is the emulator's purpose: the one
  // value excluded from its scan.
  const secret = /export KRAKEN_EMBED_API_SECRET=(\S+)/.exec(output)![1];
  outputs.push({
    label: "kraken-embed emulator",
    text: output,
    allowed: [secret],
  });
});

test("demo prints no secret or signature", async () => {
  await runCases([{
    args: ["demo"],
    code: 0,
    shows:
      /7\. Stopped the emulator\. It received 3 requests, each with its own nonce/,
  }]);
});

test("the scan finds a leak when there is one", async () => {
  // A process that prints the secret (as given, and as hex on stderr)
  // through the same spawn and capture as the CLI.
  const script = `
    const secret = Deno.env.get("KRAKEN_EMBED_API_SECRET");
    console.log("secret:", secret);
    const bytes = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
    console.error([...bytes].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase());
  `;
  const leaky = await spawnDeno(["eval", script], ENV);
  assert.equal(leaky.code, 0, leaky.stderr);
  const found = findLeaks({
    label: "leaky",
    text: leaky.stdout + leaky.stderr,
    allowed: [],
  });
  assert.ok(found.includes("leaky: the secret"), found.join("\n"));
  assert.ok(found.includes("leaky: the secret as hex"), found.join("\n"));
  // sign's output scanned without its exclusion: its API-Sign is found, by
  // value and by the 64-byte pattern.
  const signed = outputs.find((output) =>
    output.label.startsWith("kraken-embed sign") && output.allowed.length > 0
  );
  assert.ok(signed);
  const unexcluded = findLeaks({ ...signed, allowed: [] });
  assert.ok(
    unexcluded.some((leak) => leak.includes("API-Sign")),
    unexcluded.join("\n"),
  );
  assert.ok(
    unexcluded.some((leak) => leak.includes("64-byte value")),
    unexcluded.join("\n"),
  );
  // A signature only a server saw, echoed in an output.
  const [serverSide] = [...signatures].filter((sign) =>
    !signed.allowed.includes(sign)
  );
  assert.ok(
    findLeaks({ label: "echo", text: `x ${serverSide} y`, allowed: [] })
      .length > 0,
  );
});

test("no output holds the secret, its hex, or an API-Sign value", () => {
  assert.ok(outputs.length >= 40, `only ${outputs.length} outputs`);
  assert.ok(signatures.size >= 20, `only ${signatures.size} signatures`);
  const leaks = outputs.flatMap((output) => findLeaks(output));
  assert.deepEqual(leaks, []);
});
