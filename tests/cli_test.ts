// runtimes: deno, node-esm, bun — reason: the CLI is one ES module program (the package's bin, npm/esm/src/cli/main.js) that these tests spawn as a process; a CommonJS copy of them would spawn the same program with the same Node as node-esm does
//
// The kraken-embed CLI end to end, each command spawned as a process: under
// Deno from src/cli/main.ts, under Node and Bun from the built package
// (npm/esm/src/cli/main.js), run by the same runtime as the tests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { SECRET, USER, userAnswer } from "./_fake_fetch.ts";
import { oracleSign } from "./_oracle.ts";
import { freePort } from "./_ports.ts";
import { serveFetch } from "./_serve.ts";
import { within } from "./_timers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const UNDER_DENO = "Deno" in globalThis;
const BUILT = join(ROOT, "npm/esm/src/cli/main.js");
const PATH = "/b2b/users/AA95%20N84G%20TEST%20XXXX";
const KEY = "cli-test-key-0123456789";
const CREDENTIALS = {
  KRAKEN_EMBED_API_KEY: KEY,
  KRAKEN_EMBED_API_SECRET: SECRET,
};

function cli(): string[] {
  if (UNDER_DENO) {
    return ["run", "-A", "--config", "deno.json", "src/cli/main.ts"];
  }
  assert.ok(
    existsSync(BUILT),
    `${BUILT} is missing: build the npm package first`,
  );
  return [BUILT];
}

interface Result {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function baseEnv(
  extra: Record<string, string | undefined>,
): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries({ ...process.env, ...extra })) {
    if (value !== undefined && !name.startsWith("KRAKEN_EMBED_")) {
      env[name] = value;
    }
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function start(
  args: string[],
  env: Record<string, string | undefined> = {},
): ChildProcess {
  return spawn(process.execPath, [...cli(), ...args], {
    cwd: ROOT,
    env: baseEnv(env),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

function run(
  args: string[],
  options: {
    env?: Record<string, string | undefined> | undefined;
    stdin?: string;
  } = {},
): Promise<Result> {
  const child = start(args, options.env);
  child.stdin!.end(options.stdin ?? "");
  return collect(child);
}

function collect(child: ChildProcess): Promise<Result> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on(
      "close",
      (code, signal) => resolve({ code, signal, stdout, stderr }),
    )
  );
}

/**
 * Checks that a process stopped with `signal` shut down cleanly: it printed
 * its last line and exited 0. Deno's node:child_process reports a child it
 * signalled as killed by that signal even when the child exits 0 (Deno.Command
 * sees the 0), so under Deno the exit code cannot be read this way.
 */
function assertCleanStop(result: Result, signal: string): void {
  assert.match(result.stdout, /\nEmulator stopped\.\n$/);
  assert.equal(result.stderr, "");
  if (UNDER_DENO) assert.ok(result.code === 0 || result.signal === signal);
  else assert.equal(result.code, 0);
}

/** One line on stderr, nothing on stdout. */
function assertUsageLine(
  result: Result,
  code: number,
  pattern: RegExp,
  label: string,
): void {
  assert.equal(result.code, code, `${label}: ${result.stderr}`);
  assert.equal(result.stdout, "", label);
  assert.equal(
    result.stderr.split("\n").length,
    2,
    `${label}: ${JSON.stringify(result.stderr)}`,
  );
  assert.ok(result.stderr.endsWith("\n"), label);
  assert.match(result.stderr, pattern, label);
}

interface RunningEmulator {
  child: ChildProcess;
  url: string;
  env: Record<string, string>;
  secret: string;
  output: () => string;
  stop(signal: NodeJS.Signals): Promise<Result>;
}

async function startEmulator(extra: string[] = []): Promise<RunningEmulator> {
  const child = start(["emulator", "--port", "0", ...extra]);
  child.stdin!.end();
  const done = collect(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`emulator did not start:\n${output}`)),
      10_000,
    );
    const check = () => {
      if (/Stop with Ctrl\+C/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.on("close", () => reject(new Error(`emulator exited:\n${output}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1];
  const exported = (name: string) =>
    new RegExp(`export ${name}=(\\S+)`).exec(output)![1];
  const env = {
    KRAKEN_EMBED_BASE_URL: exported("KRAKEN_EMBED_BASE_URL"),
    KRAKEN_EMBED_API_KEY: exported("KRAKEN_EMBED_API_KEY"),
    KRAKEN_EMBED_API_SECRET: exported("KRAKEN_EMBED_API_SECRET"),
  };
  assert.equal(env.KRAKEN_EMBED_BASE_URL, url);
  return {
    child,
    url,
    env,
    secret: env.KRAKEN_EMBED_API_SECRET,
    output: () => output,
    stop: (signal) => {
      child.kill(signal);
      return done;
    },
  };
}

/** Sends one request with node:http, the path exactly as given. */
function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path.startsWith("/") ? "" : "/"}`, {
      method,
      path,
      headers,
    }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on(
        "end",
        () => resolve({ status: res.statusCode!, text, headers: res.headers }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("--help prints the usage of the CLI and of each command, exit 0", async () => {
  const cases = [
    ["--help"],
    ["emulator", "--help"],
    ["sign", "-h"],
    ["users", "update", "--help"],
    ["demo", "--help"],
  ];
  const results = await Promise.all(cases.map((args) => run(args)));
  results.forEach((result, i) => {
    assert.equal(result.code, 0, cases[i].join(" "));
    assert.match(result.stdout, /^Usage:/, cases[i].join(" "));
    assert.equal(result.stderr, "");
  });
  assert.match(
    results[0].stdout,
    /emulator.*\n.*sign.*\n.*users update.*\n.*users get.*\n.*demo/,
  );
});

test("help followed by a command prints that command's help; anything else after --help or --version is a usage error", async () => {
  const [viaHelp, direct] = await Promise.all([
    run(["help", "sign"]),
    run(["sign", "--help"]),
  ]);
  assert.equal(viaHelp.code, 0, viaHelp.stderr);
  assert.equal(viaHelp.stdout, direct.stdout);
  assert.match(viaHelp.stdout, /^Usage: kraken-embed sign/);
  assert.equal((await run(["--help", "users"])).code, 0);
  // A users action by name, as the general help lists it.
  const [action, actionDirect] = await Promise.all([
    run(["help", "users", "update"]),
    run(["users", "update", "--help"]),
  ]);
  assert.equal(action.code, 0, action.stderr);
  assert.equal(action.stdout, actionDirect.stdout);
  // Help on help is the help.
  const general = (await run(["--help"])).stdout;
  for (const args of [["help", "--help"], ["-h", "-h"], ["--help", "-h"]]) {
    const result = await run(args);
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
    assert.equal(result.stdout, general, args.join(" "));
  }
  // Extra words were ignored: the general help printed, exit 0.
  for (
    const args of [
      ["help", "sgin"],
      ["--help", "sign", "extra"],
      ["help", "users", "delete"],
      ["-h", "--port"],
      ["--version", "extra"],
    ]
  ) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(" "));
    assert.equal(result.stdout, "", args.join(" "));
    assert.match(
      result.stderr,
      /^kraken-embed (help|--help|-h|--version): expected nothing/,
      args.join(" "),
    );
  }
});

test("--version and -V print the version deno.json gives, exit 0", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  for (const flag of ["--version", "-V"]) {
    const result = await run([flag]);
    assert.equal(result.code, 0, flag);
    assert.equal(result.stdout, `kraken-embed ${version}\n`, flag);
    assert.equal(result.stderr, "", flag);
  }
});

test("output that cannot be written (a full disk) ends the run with 1 and one line on stderr, whatever the command", async () => {
  // /dev/full: every write fails with ENOSPC. Each command returned 0 (or
  // a help's or version's write threw a stack trace), so a script's
  // `users get ... > user.json && ...` went on without the output.
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  let updates = 0;
  const server = await serveFetch((request) => {
    if (request.method === "PATCH") updates++;
    return Promise.resolve(
      Response.json(
        request.method === "PATCH" ? { result: "success" } : userAnswer(),
      ),
    );
  });
  const patch = join(mkdtempSync(join(tmpdir(), "kraken-full-")), "p.json");
  writeFileSync(patch, '{"language":"de"}');
  const base = ["--base-url", server.url];
  // After an update, the line says it took effect: the exit code 1 is the
  // output's, not the update's, which a script must not send again.
  const after = "the update took effect \\(Kraken answered it\\), but ";
  const cases: [string[], string][] = [
    [["--version"], ""],
    [["--help"], ""],
    [["sign", "--method", "GET", "--path", PATH], ""],
    [["demo"], ""],
    [["users", "get", USER, ...base], ""],
    [["users", "update", USER, "--data", patch, ...base], after],
  ];
  try {
    for (const [args, before] of cases) {
      const full = openSync("/dev/full", "w");
      try {
        const child = spawn(process.execPath, [...cli(), ...args], {
          cwd: ROOT,
          env: baseEnv(env),
          stdio: ["ignore", full, "pipe"],
        });
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        const code = await new Promise((resolve) => child.on("close", resolve));
        assert.equal(code, 1, args.join(" "));
        assert.match(
          stderr,
          new RegExp(
            `^kraken-embed: ${before}cannot write the output: .*(ENOSPC|No space left on device).*\\n$`,
          ),
          args.join(" "),
        );
      } finally {
        closeSync(full);
      }
    }
    assert.equal(updates, 1);
  } finally {
    await server.close();
    rmSync(join(patch, ".."), { recursive: true });
  }
});

test("usage errors exit 2 with one line on stderr", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  // A call of each command that reads the credentials.
  const credentialed = {
    sign: ["sign", "--method", "GET", "--path", PATH],
    users: ["users", "get", USER],
  };
  const cases: Array<[string[], RegExp, Record<string, string>?]> = [
    [[], /^kraken-embed: missing command/],
    [
      ["frobnicate"],
      /^kraken-embed: unknown command: expected emulator, sign, users or demo \(/,
    ],
    [
      ["emulator", "--port", "99999"],
      /--port expects an integer from 0 to 65535/,
    ],
    // Ports fetch will not connect to (Node's and Deno's "bad port"):
    // refused before the emulator serves on one no client can reach.
    ...["6000", "6666", "1", "10080"].map((port): [string[], RegExp] => [
      ["emulator", "--port", port],
      new RegExp(
        `^kraken-embed emulator: --port ${port} is a port fetch does not connect to \\(the Fetch standard's bad ports\\): choose another \\(`,
      ),
    ]),
    // More than 20 digits, though zeros lead: refused before it is read as
    // a number (a bad --api-versions after it would be refused otherwise).
    [
      ["emulator", "--port", `${"0".repeat(20)}1`, "--api-versions", "x y"],
      /--port expects an integer from 0 to 65535 \(/,
    ],
    [
      ["emulator", "--nonce-window", "0".repeat(21), "--api-versions", "x y"],
      /--nonce-window expects an integer from 0 to 18446744073709551615 \(/,
    ],
    [["emulator", "--bogus"], /unknown option --bogus/],
    [
      ["emulator", "--api-versions", "2025-04-15,,x y"],
      /--api-versions expects versions like 2025-04-15/,
    ],
    [["sign", "--path", PATH], /--method expects one of GET/, env],
    [
      ["sign", "--method", "GET", "--path", PATH, "--nonce"],
      /--nonce needs a value/,
      env,
    ],
    // A value after --nonce is its value, whatever it looks like (-- too);
    // refused by the flag's name, not quoted.
    ...["-5", "abc", "", "01", "18446744073709551616", "--"].map((
      nonce,
    ): [string[], RegExp, Record<string, string>] => [
      ["sign", "--method", "GET", "--path", PATH, "--nonce", nonce],
      /^kraken-embed sign: --nonce expects a decimal integer from 0 to 18446744073709551615, without leading zeros \(see kraken-embed sign --help\)\n$/,
      env,
    ]),
    [
      ["sign", "--method", "GET", "--path", PATH],
      /KRAKEN_EMBED_API_KEY is not set/,
    ],
    // An API key that would garble the headers printed, not quoted, and
    // named by its variable, for sign and users alike.
    ...["key\nAPI-Sign: forged", "key\u001b[2J", "key with spaces"].flatMap((
      key,
    ): [string[], RegExp, Record<string, string>][] =>
      Object.entries(credentialed).map(([command, args]) => [
        args,
        new RegExp(
          `^kraken-embed ${command}: KRAKEN_EMBED_API_KEY expects 1 to 1024 printable ASCII characters without spaces or line breaks \\(it is sent as a header\\) \\(see kraken-embed ${command} --help\\)\n$`,
        ),
        { ...env, KRAKEN_EMBED_API_KEY: key },
      ])
    ),
    [["users"], /expected "update" or "get"/],
    [["users", "get", "AA95", "N84G"], /expected one IIBAN, got 2/, env],
    [["users", "update", USER], /--data FILE\|- is required/, env],
    [
      ["users", "update", USER, "--data", "/nonexistent/patch.json"],
      /--data: cannot read the file given \(ENOENT\) \(/,
      env,
    ],
    [["users", "get", "short"], /Invalid user: /, env],
    // A secret that is not base64, named by its variable, not quoted.
    ...Object.entries(credentialed).map((
      [command, args],
    ): [string[], RegExp, Record<string, string>] => [
      args,
      new RegExp(
        `^kraken-embed ${command}: KRAKEN_EMBED_API_SECRET expects the secret as Kraken issued it: non-empty standard base64 \\(A-Z a-z 0-9 \\+ / =, no whitespace\\) \\(see kraken-embed ${command} --help\\)\n$`,
      ),
      { ...env, KRAKEN_EMBED_API_SECRET: "not base64! HUNTER2" },
    ]),
  ];
  const results = await Promise.all(
    cases.map(([args, , env]) => run(args, { env })),
  );
  results.forEach((result, i) =>
    assertUsageLine(result, 2, cases[i][1], cases[i][0].join(" "))
  );
  assert.ok(results.every((result) => !result.stderr.includes(SECRET)));
  assert.ok(results.every((result) => !result.stderr.includes("HUNTER2")));
});

test("an unknown option with line breaks and control characters is named by its position, on one line", async () => {
  // Only an option's name that looks like one is quoted: one with a line
  // break, a terminal's escape or a direction override is not.
  const at = /unknown option at argument 1 after "sign" \(/;
  const cases: Array<[string[], RegExp]> = [
    [
      ["users", "get", USER, "--get\rX"],
      /unknown option at argument 2 after "users get" \(/,
    ],
    [["sign", "--fro\nbnicate"], at],
    [["sign", "--fro\u2028bnicate"], at],
    [["sign", "--get\u001b[31mX"], at],
    [["sign", "--get\u202e)pleh"], at],
    [["sign", "--a\tb"], at],
    [["sign", `--a${" ".repeat(100_000)}\nb`], at],
  ];
  const results = await Promise.all(cases.map(([args]) => run(args)));
  results.forEach((result, i) => {
    const label = JSON.stringify(cases[i][0]);
    assertUsageLine(result, 2, cases[i][1], label);
    // Nothing but the final line feed is a control character.
    assert.doesNotMatch(
      result.stderr.slice(0, -1),
      /\p{Cc}|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/u,
      label,
    );
  });
});

test("the argument rules: -- ends the options, a flag given twice, a value for a switch, a stray argument, a path without its /", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const cases: Array<[string[], RegExp]> = [
    // After --, "short" is the one IIBAN (and refused as one), not a second.
    [["users", "get", "--", "short"], /Invalid user: /],
    [
      ["sign", "--method", "GET", "--method=POST", "--path", PATH],
      /--method is given twice/,
    ],
    [["sign", "--help=yes"], /--help takes no value/],
    [
      ["sign", "--method", "GET", "--path", PATH, "extra"],
      /unexpected argument 5 after "sign" \(/,
    ],
    // Of several stray arguments, the first is named, before -- or after it.
    [
      ["sign", "first", "--method", "GET", "--path", PATH, "last"],
      /unexpected argument 1 after "sign" \(/,
    ],
    [
      ["emulator", "--", "first", "last"],
      /unexpected argument 2 after "emulator" \(/,
    ],
    [
      ["sign", "--method", "GET", "--path", "b2b/assets"],
      /--path expects the request target, starting with one \//,
    ],
  ];
  const results = await Promise.all(
    cases.map(([args]) => run(args, { env })),
  );
  results.forEach((result, i) =>
    assertUsageLine(result, 2, cases[i][1], cases[i][0].join(" "))
  );
});

test("an option or command named after an Object.prototype member is unknown, exit 2", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const cases: Array<[string[], RegExp]> = [
    // A name with a capital or an underscore is named by its position.
    [
      ["users", "get", USER, "--toString"],
      /unknown option at argument 2 after "users get" \(/,
    ],
    [["emulator", "--constructor", "1"], /unknown option --constructor \(/],
    [
      ["sign", "--method", "GET", "--path", PATH, "--hasOwnProperty"],
      /unknown option at argument 5 after "sign" \(/,
    ],
    [["sign", "--__proto__", "x"], /unknown option at argument 1 after "sign"/],
    [["sign", "--__proto__={}"], /unknown option at argument 1 after "sign"/],
    [
      ["users", "update", USER, "--valueOf=1"],
      /unknown option at argument 2 after "users update" \(/,
    ],
    // The same for a command named after one.
    [
      ["toString"],
      /unknown command: expected emulator, sign, users or demo \(/,
    ],
    [["constructor"], /unknown command: expected emulator, sign/],
  ];
  const results = await Promise.all(
    cases.map(([args]) => run(args, { env })),
  );
  results.forEach((result, i) =>
    assertUsageLine(result, 2, cases[i][1], cases[i][0].join(" "))
  );
});

test("sign refuses a --path a URL would not send as given, and sign and users a base URL with a query, a fragment or credentials, or plain http to another machine without --allow-insecure-http", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const insecure = (option: string, host: string) =>
    new RegExp(
      `: ${option} expects https \\(plain http only to localhost, 127\\.0\\.0\\.0/8 or \\[::1\\], unless --allow-insecure-http\\), not http to ${
        host.replaceAll(".", "\\.")
      } \\(see`,
    );
  const sign = (path: string, ...rest: string[]) => [
    "sign",
    "--method",
    "GET",
    "--path",
    path,
    ...rest,
  ];
  // Where a URL changes the path, never what it becomes: the path is not
  // quoted (a query may hold a token).
  const sentAs = (character: number) =>
    new RegExp(
      `: --path is not a request target as sent: a URL changes it from character ${character} \\(percent-encode spaces and non-ASCII; leave out dot segments, a fragment and an empty query\\) \\(see`,
    );
  const cases: Array<[string[], RegExp, Record<string, string>?]> = [
    [sign("/b2b/users/AA95 N84G"), sentAs(16)],
    [sign(`${PATH}#fragment`), sentAs(37)],
    [sign(`/b2b/users/x/../${PATH.slice(11)}`), sentAs(12)],
    [sign("/b2b/./users"), sentAs(6)],
    [sign("/b2b\\users"), sentAs(5)],
    [sign("/b2b/users/Zoë"), sentAs(14)],
    [sign("/b2b/quotes?q=a b"), sentAs(16)],
    [sign(`/b2b/quotes?t=${SECRET} x`), sentAs(15 + SECRET.length)],
    // Node's fetch drops an empty query's ?, Deno's and Bun's send it.
    [sign(`${PATH}?`), sentAs(37)],
    [sign(`${PATH}?#`), sentAs(37)],
    [
      sign(PATH, "--base-url", "http://127.0.0.1:9/?x=1"),
      /: --base-url expects no query string or fragment \(/,
    ],
    [
      sign(PATH, "--base-url", "http://127.0.0.1:9/embed?"),
      /: --base-url expects no query string or fragment \(/,
    ],
    [
      sign(PATH, "--base-url", "http://127.0.0.1:9/#top"),
      /: --base-url expects no query string or fragment \(/,
    ],
    [
      sign(PATH, "--base-url", "http://user:pw@127.0.0.1:9/"),
      /: --base-url expects no credentials in the URL \(/,
    ],
    [
      sign(PATH),
      /: KRAKEN_EMBED_BASE_URL expects no query string or fragment \(/,
      { KRAKEN_EMBED_BASE_URL: "http://127.0.0.1:9/?x=1" },
    ],
    // Plain http to another machine: refused unless asked for.
    [
      sign(PATH, "--base-url", "http://h.test/embed"),
      insecure("--base-url", "h.test"),
    ],
    [
      sign(PATH),
      insecure("KRAKEN_EMBED_BASE_URL", "nexus.kraken.com"),
      { KRAKEN_EMBED_BASE_URL: "http://nexus.kraken.com" },
    ],
    [
      ["users", "get", USER, "--base-url", "http://h.test"],
      insecure("--base-url", "h.test"),
    ],
    [
      ["users", "update", USER, "--data", "-"],
      insecure("KRAKEN_EMBED_BASE_URL", "10.0.0.1"),
      { KRAKEN_EMBED_BASE_URL: "http://10.0.0.1:8787" },
    ],
    // Asked for: the users command gets as far as the IIBAN, which the
    // client checks after its options.
    [
      [
        "users",
        "get",
        "short",
        "--base-url",
        "http://h.test",
        "--allow-insecure-http",
      ],
      /: Invalid user: /,
    ],
    [
      ["users", "get", "short", "--allow-insecure-http"],
      /: Invalid user: /,
      { KRAKEN_EMBED_BASE_URL: "http://h.test" },
    ],
  ];
  const results = await Promise.all(
    cases.map(([args, , extra]) => run(args, { env: { ...env, ...extra } })),
  );
  results.forEach((result, i) => {
    assertUsageLine(result, 2, cases[i][1], cases[i][0].join(" "));
    assert.ok(!result.stderr.includes(SECRET), result.stderr);
  });

  // A percent-encoded path, with a query string, is signed as given.
  const limits = "/b2b/quotes/limits?user=AA95%20N84G%20TEST%20XXXX";
  const ok = await run(sign(limits, "--nonce", "3"), { env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(
    /API-Sign: (\S+)/.exec(ok.stdout)![1],
    oracleSign(SECRET, "3", limits, ""),
  );
  assert.ok(ok.stdout.includes(`--url 'https://nexus.kraken.com${limits}'`));
});

test("sign's curl command turns off globbing and dot-segment removal", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const path = `${PATH}?a={b}&filter[state]=ok`;
  const result = await run(
    ["sign", "--method", "GET", "--path", path, "--nonce", "9"],
    { env },
  );
  assert.equal(result.code, 0, result.stderr);
  const curl = result.stdout.slice(result.stdout.indexOf("curl "));
  assert.match(curl, /^curl --globoff --path-as-is --request GET \\\n/);
  assert.ok(curl.includes(`--url 'https://nexus.kraken.com${path}'`));
  assert.equal(
    /API-Sign: (\S+)/.exec(result.stdout)![1],
    oracleSign(SECRET, "9", path, ""),
  );
});

test(
  "sign's curl command, run as printed, sends {} and [] as signed to the CLI's emulator",
  async () => {
    // curl is a test dependency (.ci/run installs it).
    assert.equal(
      spawnSync("sh", ["-c", "command -v curl"], { stdio: "ignore" }).status,
      0,
      "curl is not installed",
    );
    const emulator = await startEmulator();
    try {
      const path = `${PATH}?a={b}&filter[state]=ok`;
      const signed = await run(["sign", "--method", "GET", "--path", path], {
        env: emulator.env,
      });
      assert.equal(signed.code, 0, signed.stderr);
      const command = signed.stdout.slice(signed.stdout.indexOf("curl "));
      const curl = await collect(
        spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] }),
      );
      assert.equal(curl.code, 0, curl.stderr);
      assert.equal(JSON.parse(curl.stdout).result.user, USER);
    } finally {
      assertCleanStop(await emulator.stop("SIGTERM"), "SIGTERM");
    }
    assert.match(
      emulator.output(),
      /GET \/b2b\/users\/AA95%20N84G%20TEST%20XXXX\?a=\{b\}&filter\[state\]=ok -> 200\n/,
    );
  },
);

test("sign prints the three headers and a curl command, the signature matching a node:crypto signer", async () => {
  const body = JSON.stringify({
    phone: "+447700900123",
    full_name: { first_name: "Zoë", last_name: "O'Brien" },
  });
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const result = await run(
    [
      "sign",
      "--method",
      "patch",
      "--path",
      PATH,
      "--body",
      "-",
      "--nonce",
      "1616492376594000",
    ],
    { env, stdin: body },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const expected = oracleSign(SECRET, "1616492376594000", PATH, body);
  assert.match(
    result.stdout,
    new RegExp(
      `^API-Key: ${KEY}\nAPI-Nonce: 1616492376594000\nAPI-Sign: (\\S+)\n`,
    ),
  );
  assert.equal(/API-Sign: (\S+)/.exec(result.stdout)![1], expected);
  const curl = result.stdout.slice(result.stdout.indexOf("curl "));
  assert.match(
    curl,
    /^curl --globoff --path-as-is --request PATCH \\\n {2}--url 'https:\/\/nexus\.kraken\.com\/b2b\/users\/AA95%20N84G%20TEST%20XXXX' \\\n/,
  );
  assert.ok(curl.includes(`--header 'API-Sign: ${expected}'`));
  assert.ok(curl.includes("--header 'Content-Type: application/json'"));
  assert.ok(curl.includes(`--data-raw '${body.replace("'", `'\\''`)}'`));
  assert.ok(!result.stdout.includes(SECRET));

  // Default nonce, a base URL with a path prefix (signed too), a body file.
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-cli-"));
  try {
    writeFileSync(join(dir, "body.json"), body);
    const prefixed = await run(
      [
        "sign",
        "--method",
        "GET",
        "--path",
        "/b2b/quotes?user=x",
        "--base-url",
        "http://127.0.0.1:9/embed/",
      ],
      { env },
    );
    assert.equal(prefixed.code, 0, prefixed.stderr);
    const nonce = /API-Nonce: (\d+)/.exec(prefixed.stdout)![1];
    assert.ok(BigInt(nonce) > BigInt(Date.now() - 60_000) * 1000n);
    assert.equal(
      /API-Sign: (\S+)/.exec(prefixed.stdout)![1],
      oracleSign(SECRET, nonce, "/embed/b2b/quotes?user=x", ""),
    );
    assert.ok(
      prefixed.stdout.includes(
        "--url 'http://127.0.0.1:9/embed/b2b/quotes?user=x'",
      ),
    );
    assert.ok(!prefixed.stdout.includes("--data-raw"));
    const fromFile = await run(
      [
        "sign",
        "--method",
        "PATCH",
        "--path",
        PATH,
        "--body",
        join(dir, "body.json"),
        "--nonce",
        "7",
      ],
      { env },
    );
    assert.equal(
      /API-Sign: (\S+)/.exec(fromFile.stdout)![1],
      oracleSign(SECRET, "7", PATH, body),
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("users update and users get against the CLI's own emulator, and sign's headers accepted by it", async () => {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-cli-"));
  try {
    const { env, secret } = emulator;
    const patchFile = join(dir, "patch.json");
    // Saved with a byte order mark, as Windows editors do.
    writeFileSync(
      patchFile,
      "\uFEFF" + JSON.stringify({ phone: "+447700900123", language: null }),
    );
    const outputs: Result[] = [];
    const update = await run(["users", "update", USER, "--data", patchFile], {
      env,
    });
    outputs.push(update);
    assert.equal(update.code, 0, update.stderr);
    assert.deepEqual(JSON.parse(update.stdout), { result: "success" });

    const fromStdin = await run(["users", "update", USER, "--data", "-"], {
      env,
      stdin: JSON.stringify({ occupation: "science" }),
    });
    outputs.push(fromStdin);
    assert.equal(fromStdin.code, 0, fromStdin.stderr);

    const get = await run(["users", "get", USER], { env });
    outputs.push(get);
    assert.equal(get.code, 0, get.stderr);
    const { result } = JSON.parse(get.stdout);
    assert.equal(result.user, USER);
    assert.equal(result.phone, "+447700900123");
    assert.equal(result.occupation, "science");
    assert.equal("language" in result, false);

    const unknown = await run(["users", "get", "ZZ00 UNKNOWN USER"], { env });
    outputs.push(unknown);
    assertUsageLine(
      unknown,
      1,
      /Kraken answered 404: ENexus:Invalid user ID \(x-trace-id [0-9a-f-]{36}\)/,
      "unknown user",
    );

    const invalid = await run(["users", "update", USER, "--data", "-"], {
      env,
      stdin: '{"phone":"nope"}',
    });
    outputs.push(invalid);
    assertUsageLine(
      invalid,
      2,
      /Invalid patch: phone: Expected a phone number/,
      "invalid patch",
    );
    const notJson = await run(["users", "update", USER, "--data", "-"], {
      env,
      stdin: "{",
    });
    outputs.push(notJson);
    assertUsageLine(notJson, 2, /--data is not valid JSON/, "not JSON");
    // JSON.parse would keep the second phone number without a word.
    const twice = await run(["users", "update", USER, "--data", "-"], {
      env,
      stdin: '{"phone":"+447700900123","phone":"+447700900999"}',
    });
    outputs.push(twice);
    assertUsageLine(
      twice,
      2,
      /--data gives phone twice in one object, of which JSON keeps the last only: give it once/,
      "a key twice",
    );

    const wrongSecret = await run(["users", "get", USER], {
      env: { ...env, KRAKEN_EMBED_API_SECRET: SECRET },
    });
    outputs.push(wrongSecret);
    assertUsageLine(wrongSecret, 1, /EAPI:Invalid signature/, "wrong secret");

    for (const output of outputs) {
      assert.ok(
        !output.stdout.includes(secret) && !output.stderr.includes(secret),
      );
    }

    // sign's headers, sent as printed, are accepted.
    const body = JSON.stringify({ employer_name: "Difference Engines" });
    const signed = await run([
      "sign",
      "--method",
      "PATCH",
      "--path",
      PATH,
      "--body",
      "-",
    ], { env, stdin: body });
    assert.equal(signed.code, 0, signed.stderr);
    assert.ok(!signed.stdout.includes(secret));
    const header = (name: string) =>
      new RegExp(`^${name}: (.+)$`, "m").exec(signed.stdout)![1];
    const answer = await send(emulator.url, "PATCH", PATH, {
      "API-Key": header("API-Key"),
      "API-Nonce": header("API-Nonce"),
      "API-Sign": header("API-Sign"),
      "Content-Type": "application/json",
    }, body);
    assert.deepEqual([answer.status, JSON.parse(answer.text)], [200, {
      result: "success",
    }]);
  } finally {
    rmSync(dir, { recursive: true });
    assertCleanStop(await emulator.stop("SIGTERM"), "SIGTERM");
  }
  const output = emulator.output();
  assert.match(output, /Seeded user: AA95 N84G TEST XXXX/);
  assert.match(
    output,
    /PATCH \/b2b\/users\/AA95%20N84G%20TEST%20XXXX -> 200\n/,
  );
  assert.match(
    output,
    /GET \/b2b\/users\/ZZ00%20UNKNOWN%20USER -> 404 ENexus:Invalid user ID\n/,
  );
});

test("the emulator's HTTP adapter passes the raw target and exact body bytes, and refuses an oversized body with 413", async () => {
  const emulator = await startEmulator([
    "--nonce-window",
    "1000",
    "--api-versions",
    "2025-04-15,2026-01-01",
  ]);
  try {
    const { KRAKEN_EMBED_API_KEY: key } = emulator.env;
    const headers = (nonce: string, path: string, body: string) => ({
      "API-Key": key,
      "API-Nonce": nonce,
      "API-Sign": oracleSign(emulator.secret, nonce, path, body),
      "Content-Type": "application/json",
    });
    // --api-versions: a version it lists is taken, another refused.
    for (
      const [nonce, version, status] of [["7", "2026-01-01", 200], [
        "8",
        "2099-01-01",
        400,
      ]] as const
    ) {
      const answer = await send(emulator.url, "GET", PATH, {
        ...headers(nonce, PATH, ""),
        "Payward-Version": version,
      });
      assert.equal(answer.status, status, answer.text);
    }
    // URL parsing would turn `"<>|` into %22%3C%3E|: the signature is over the raw form.
    const raw = `${PATH}?q="<>|`;
    const got = await send(emulator.url, "GET", raw, headers("10", raw, ""));
    assert.equal(got.status, 200, got.text);
    assert.match(String(got.headers["x-trace-id"]), /^[0-9a-f-]{36}$/);

    // Bytes a UTF-8 round trip would keep, signed as sent.
    const body = '{"city_of_birth":"Zürich"}';
    const patched = await send(
      emulator.url,
      "PATCH",
      PATH,
      headers("11", PATH, body),
      body,
    );
    assert.equal(patched.status, 200, patched.text);

    const big = JSON.stringify({ employer_name: "x".repeat(100 * 1024) });
    const tooLarge = await send(
      emulator.url,
      "PATCH",
      PATH,
      headers("12", PATH, big),
      big,
    );
    assert.deepEqual([tooLarge.status, JSON.parse(tooLarge.text)], [413, {
      error: ["EGeneral:Request too large"],
    }]);

    // Out of order within the window.
    const reordered = await send(
      emulator.url,
      "GET",
      PATH,
      headers("5", PATH, ""),
    );
    assert.equal(reordered.status, 200, reordered.text);
  } finally {
    const stopped = await emulator.stop("SIGINT");
    assertCleanStop(stopped, "SIGINT");
    assert.match(stopped.stdout, /Nonce window: 1000\./);
  }
});

for (const both of [false, true]) {
  test(
    `the emulator serves on when the reader of its output${
      both ? ", and of its errors," : ""
    } leaves, and a stop still ends it with 0`,
    async () => {
      await readerLeaves(both);
    },
  );
}

test("the emulator answers, and a stop ends it within seconds, while the reader of its log has stopped reading (a paused | less)", async () => {
  // Under Deno, node:process's stdout wrote to a full pipe while the event
  // loop waited: requests went unanswered and SIGTERM unheard.
  const emulator = await startEmulator();
  const { child, url } = emulator;
  child.stdout!.pause();
  try {
    // Each request logs a line of about 7 KB: 30 fill a 64 KiB pipe.
    const long = `/b2b/users/${"A".repeat(7000)}`;
    for (let i = 0; i < 30; i++) {
      const answer = await within(send(url, "GET", long, {}), 5_000);
      if (answer === "hung") {
        assert.fail(`request ${i + 1} of 30 was not answered in 5 s`);
      }
      assert.equal(answer.status, 401);
    }
    const stopped = await within(emulator.stop("SIGTERM"), 5_000);
    if (stopped === "hung") {
      assert.fail("the emulator did not end 5 s after SIGTERM");
    }
    const { code, signal } = stopped;
    if (UNDER_DENO) assert.ok(code === 0 || signal === "SIGTERM", `${code}`);
    else assert.equal(code, 0);
  } finally {
    child.kill("SIGKILL");
    child.stdout!.destroy();
  }
});

async function readerLeaves(both: boolean): Promise<void> {
  // A harness that reads the banner and closes the pipe (`| head -4`): the
  // next log line meets a closed pipe, which ended the emulator with 0. With
  // stderr on the same pipe (`2>&1 | head -4`) or closed too, the notice
  // of it ended the emulator with 1.
  const emulator = await startEmulator();
  const { child, url } = emulator;
  // Closed before the first request, not only asked to close: a pipe's end
  // is closed in a later turn of the event loop, and log lines written
  // before that fill the pipe without meeting its closed end (under Bun on
  // a busy machine, all three requests' were, and no notice came).
  const streams = both ? [child.stdout!, child.stderr!] : [child.stdout!];
  const closing = Promise.all(
    streams.map((stream) => new Promise((done) => stream.once("close", done))),
  );
  for (const stream of streams) stream.destroy();
  const closed = await within(closing, 5_000);
  assert.notEqual(closed, "hung", "the pipe's end did not close");
  let notice = "";
  if (!both) child.stderr!.on("data", (chunk) => (notice += chunk));
  // With stderr open, requests until the notice comes (the first log line
  // after the close brings it: at most a few, whatever the machine), then
  // three more, served on after it.
  const statuses: number[] = [];
  let after = 0;
  while (after < 3) {
    statuses.push((await send(url, "GET", PATH, {})).status);
    if (both || notice !== "") after++;
    assert.ok(statuses.length <= 50, "no notice after 50 requests");
  }
  assert.deepEqual(statuses, statuses.map(() => 401));
  const { code, signal, stderr } = await emulator.stop("SIGTERM");
  if (!both) {
    assert.equal(
      stderr,
      "kraken-embed: the output's reader left: serving on without the log\n",
    );
  }
  // Deno's node:child_process reports a child it signalled as killed by
  // that signal even when the child exits 0 (see assertCleanStop).
  if (UNDER_DENO) assert.ok(code === 0 || signal === "SIGTERM", `${code}`);
  else assert.equal(code, 0);
}

test("emulator on a port in use exits 1 with one line", async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const { port } = blocker.address() as { port: number };
  try {
    const result = await run(["emulator", "--port", String(port)]);
    assertUsageLine(
      result,
      1,
      new RegExp(`port ${port} is in use`),
      "port in use",
    );
  } finally {
    blocker.close();
  }
});

test("demo runs, exits 0, and prints no API-Sign value and no secret", async () => {
  const result = await run(["demo"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const out = result.stdout;
  for (const step of [1, 2, 3, 4, 5, 6, 7]) {
    assert.match(out, new RegExp(`^${step}\\. `, "m"));
  }
  assert.match(out, /-> PATCH \/b2b\/users\/AA95%20N84G%20TEST%20XXXX\n/);
  assert.match(out, /<- 200 \{"result":"success"\}/);
  assert.match(
    out,
    /EmbedApiError: status 401, errors \["EAPI:Invalid signature"\], traceId [0-9a-f-]{36}/,
  );
  assert.match(out, /each with its own nonce/);
  // Every API-Sign line is redacted, and nothing looks like a 64-byte
  // base64 value (both the secret and a signature are).
  const signLines = out.split("\n").filter((line) => /api-sign/i.test(line));
  assert.ok(signLines.length >= 3);
  for (const line of signLines) assert.match(line, /api-sign: \[redacted\]$/);
  assert.doesNotMatch(out, /[A-Za-z0-9+/]{40,}={0,2}/);
  assert.doesNotMatch(out, /emulator-[0-9a-f]{16}/, "the API key is shortened");
});

test("kraken-embed demo ends quietly when its reader closes the pipe", async () => {
  const child = start(["demo"]);
  child.stdin!.end("");
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  // Read the first chunk, then leave, as `kraken-embed demo | head -1` does.
  await new Promise<void>((resolve) =>
    child.stdout!.once("data", () => resolve())
  );
  child.stdout!.destroy();
  const code = await new Promise<number | null>((resolve) =>
    child.on("close", resolve)
  );
  assert.doesNotMatch(stderr, /EPIPE|Error/);
  assert.equal(code, 0);
});

test("importing the CLI's module runs nothing: the importing program keeps its argv and its exit code", async () => {
  // A program of its own, given arguments the CLI would act on ("help"
  // prints and exits 0; "--port" is an unknown command, exit 2).
  const module = UNDER_DENO ? join(ROOT, "src/cli/main.ts") : BUILT;
  const program = `await import(${
    JSON.stringify(new URL(`file://${module}`).href)
  }); await new Promise((r) => setTimeout(r, 200)); console.log("still running"); process.exitCode = 7;`;
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-import-"));
  try {
    const file = join(dir, "program.mjs");
    writeFileSync(file, `import process from "node:process";\n${program}\n`);
    for (const args of [["help"], ["--port", "3000"]]) {
      const child = spawn(
        process.execPath,
        UNDER_DENO
          ? ["run", "-A", "--config", join(ROOT, "deno.json"), file, ...args]
          : [file, ...args],
        { env: baseEnv({}), stdio: ["ignore", "pipe", "pipe"] },
      );
      const result = await collect(child);
      assert.equal(result.stdout, "still running\n", result.stderr);
      assert.equal(result.code, 7, result.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "the CLI still runs as a program under Node when its path is typed without .js, which Node adds",
  {
    // Deno and Bun say whether a module is the program (import.meta.main),
    // and do not add the extension.
    skip: UNDER_DENO || "Bun" in globalThis ? "Node only" : false,
  },
  async () => {
    const result = await collect(
      spawn(process.execPath, [BUILT.replace(/\.js$/, ""), "--version"], {
        env: baseEnv({}),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^kraken-embed \d+\.\d+\.\d+/);
  },
);

test("the CLI still runs as a program: under Node through a symlink, as npm's bin is", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-bin-"));
  try {
    // Deno resolves a symlinked module's imports from the link, so there
    // the module itself is run (as `deno run jsr:…/cli` does).
    const script = UNDER_DENO
      ? join(ROOT, "src/cli/main.ts")
      : join(dir, "kraken-embed");
    if (!UNDER_DENO) symlinkSync(BUILT, script);
    const child = spawn(
      process.execPath,
      UNDER_DENO
        ? ["run", "-A", "--config", join(ROOT, "deno.json"), script, "--help"]
        : [script, "--help"],
      { env: baseEnv({}), stdio: ["ignore", "pipe", "pipe"] },
    );
    const result = await collect(child);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: kraken-embed <command>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sign: --base-url wins over KRAKEN_EMBED_BASE_URL, an empty variable counts as unset, and the body is counted and signed as read", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const args = ["sign", "--method", "GET", "--path", "/b2b/assets"];
  const both = await run([...args, "--base-url", "http://127.0.0.1:9/flag"], {
    env: { ...env, KRAKEN_EMBED_BASE_URL: "http://127.0.0.1:9/env" },
  });
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stdout, /\nSigned path: \/flag\/b2b\/assets\n/);
  assert.ok(both.stdout.includes("--url 'http://127.0.0.1:9/flag/b2b/assets'"));
  const empty = await run(args, { env: { ...env, KRAKEN_EMBED_BASE_URL: "" } });
  assert.equal(empty.code, 0, empty.stderr);
  assert.ok(
    empty.stdout.includes("--url 'https://nexus.kraken.com/b2b/assets'"),
  );
  assertUsageLine(
    await run(args, { env: { ...env, KRAKEN_EMBED_API_KEY: "" } }),
    2,
    /KRAKEN_EMBED_API_KEY is not set/,
    "empty API key",
  );
  // A byte order mark is part of the body: counted and signed. Bytes that
  // are not UTF-8 are refused rather than replaced.
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-cli-"));
  try {
    const body = '\uFEFF{"city_of_birth":"Zürich"}';
    writeFileSync(join(dir, "bom.json"), body);
    writeFileSync(
      join(dir, "latin1.json"),
      Buffer.from('{"a":"Z\xfcrich"}', "latin1"),
    );
    const signed = await run(
      [...args, "--nonce", "7", "--body", join(dir, "bom.json")],
      { env },
    );
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /\nBody: 30 bytes\n/);
    assert.equal(
      /API-Sign: (\S+)/.exec(signed.stdout)![1],
      oracleSign(SECRET, "7", "/b2b/assets", body),
    );
    assertUsageLine(
      await run([...args, "--body", join(dir, "latin1.json")], { env }),
      2,
      /--body: the body is not UTF-8 text/,
      "latin1 body",
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("users get takes no --data, and an option's name with a line break is named by its position, on one line", async () => {
  // A closed port: were --data taken, nothing would leave the machine.
  const env = {
    KRAKEN_EMBED_API_KEY: KEY,
    KRAKEN_EMBED_API_SECRET: SECRET,
    KRAKEN_EMBED_BASE_URL: "http://127.0.0.1:9",
  };
  assertUsageLine(
    await run(["users", "get", USER, "--data", "-"], { env }),
    2,
    /unknown option --data/,
    "users get --data",
  );
  const injected = await run(["users", "get", USER, "--x\r\nX-Injected: 1"], {
    env,
  });
  assertUsageLine(
    injected,
    2,
    /unknown option at argument 2 after "users get" \(/,
    "CRLF",
  );
  assert.doesNotMatch(injected.stderr, /Injected/);
  assert.doesNotMatch(injected.stderr, /\r/);
});

test("the emulator takes --nonce-window 2^64 - 1, makes fresh throwaway credentials each run, and logs every error of an answer", async () => {
  assertUsageLine(
    await run(["emulator", "--nonce-window", "18446744073709551616"]),
    2,
    /--nonce-window expects an integer from 0 to 18446744073709551615/,
    "2^64",
  );
  const [one, two] = await Promise.all([
    startEmulator(["--nonce-window", "18446744073709551615"]),
    startEmulator(),
  ]);
  let stopped: Result;
  try {
    const keys = [one, two].map((e) => e.env.KRAKEN_EMBED_API_KEY);
    for (const key of keys) assert.match(key, /^emulator-[0-9a-f]{16}$/);
    assert.notEqual(keys[0], keys[1]);
    assert.notEqual(one.secret, two.secret);
    for (const { secret } of [one, two]) {
      assert.equal(Buffer.from(secret, "base64").length, 64);
    }
    // Two unknown fields: two errors, both in the log line.
    const body = '{"a":1,"b":2}';
    const answer = await send(one.url, "PATCH", PATH, {
      "API-Key": keys[0],
      "API-Nonce": "1",
      "API-Sign": oracleSign(one.secret, "1", PATH, body),
      "Content-Type": "application/json",
    }, body);
    assert.equal(answer.status, 400, answer.text);
  } finally {
    stopped = await one.stop("SIGINT");
    await two.stop("SIGINT");
  }
  // Read once the emulator has ended, all its output with it: its log line
  // may reach this process after the answer does (it once had not, on a
  // busy machine).
  assert.match(stopped.stdout, /Nonce window: 18446744073709551615\./);
  assert.match(
    stopped.stdout,
    /\nPATCH \/b2b\/users\/AA95%20N84G%20TEST%20XXXX -> 400 EGeneral:Invalid arguments:a, EGeneral:Invalid arguments:b\n/,
  );
});

test("demo shows the API key only by its first four characters", async () => {
  const result = await run(["demo"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n").filter((line) =>
    /api-key:/i.test(line)
  );
  assert.ok(lines.length >= 3);
  for (const line of lines) assert.match(line, /api-key: [^ ]{4}…$/);
  assert.match(result.stdout, /API key [^ ]{4}… and a throwaway secret/);
});

test("users get on a closed port says why: the causes' messages and code on one line, without the credentials", async () => {
  const port = await freePort();
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const result = await run(
    ["users", "get", USER, "--base-url", `http://127.0.0.1:${port}`],
    { env },
  );
  // Node's undici says ECONNREFUSED (message and code), Deno "Connection
  // refused (os error 111)", one level under "fetch failed".
  assertUsageLine(
    result,
    1,
    /: Network error after 3 attempts: .*(ECONNREFUSED|Connection refused)/,
    "closed port",
  );
  assert.ok(!result.stderr.includes(SECRET.slice(0, 24)));
  assert.ok(!result.stderr.includes(KEY));
});

// What a terminal may act on or show as other words: C0 and C1 controls,
// DEL, line and paragraph separators, direction embeddings, overrides and
// isolates (what lineText escapes).
const UNSAFE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

test("users get escapes what a terminal would act on: in a trace id on the error line, and in the answer it prints, which stays the same JSON", async () => {
  const answer = userAnswer({
    external_id: "c-1\u009b2J\u009b31m \u202eredro\u202c \u2028\u007f\u0085",
  });
  let refuse = true;
  const server = await serveFetch(() =>
    Promise.resolve(
      refuse
        ? Response.json({ error: ["EAPI:Invalid key"] }, {
          status: 401,
          // A header value is bytes: 0x9B (obs-text) gets through every
          // runtime's fetch, as U+009B, the C1 control sequence introducer.
          headers: { "x-trace-id": "t\u009b2J\u009b31mREAD ME" },
        })
        : Response.json(answer),
    )
  );
  try {
    const env = CREDENTIALS;
    const args = ["users", "get", USER, "--base-url", server.url];
    const refused = await run(args, { env });
    assertUsageLine(refused, 1, /Kraken answered 401/, "trace id");
    assert.doesNotMatch(refused.stderr.slice(0, -1), UNSAFE);
    assert.match(
      refused.stderr,
      /\(x-trace-id t\\u009b2J\\u009b31mREAD ME\)\n$/,
    );
    refuse = false;
    const read = await run(args, { env });
    assert.equal(read.code, 0, read.stderr);
    assert.deepEqual(JSON.parse(read.stdout), answer);
    assert.doesNotMatch(read.stdout.replaceAll("\n", ""), UNSAFE);
  } finally {
    await server.close();
  }
});

test("a plain-http base URL that the runtime's fetch would send through HTTP_PROXY is refused, naming the variable, with nothing sent; NO_PROXY covering it lets it through", async () => {
  let proxied = 0;
  let direct = 0;
  const proxy = await serveFetch(() => {
    proxied++;
    return Promise.resolve(new Response("proxy", { status: 502 }));
  });
  const destination = await serveFetch(() => {
    direct++;
    return Promise.resolve(Response.json(userAnswer()));
  });
  const proxyUrl = proxy.url.replace("http://", "http://agent:pa55word@");
  // Node reads the variables when told to; Deno and Bun always do.
  const environment = (extra: Record<string, string | undefined>) => ({
    ...CREDENTIALS,
    HTTP_PROXY: proxyUrl,
    http_proxy: undefined,
    ALL_PROXY: undefined,
    all_proxy: undefined,
    NO_PROXY: undefined,
    no_proxy: undefined,
    NODE_USE_ENV_PROXY: "1",
    ...extra,
  });
  try {
    const get = ["users", "get", USER];
    const byFlag = await run([...get, "--base-url", destination.url], {
      env: environment({}),
    });
    assertUsageLine(
      byFlag,
      2,
      /^kraken-embed users: --base-url is plain http, which this runtime's fetch may send unencrypted through the proxy in HTTP_PROXY .*: name the host in NO_PROXY \(NO_PROXY=localhost,127\.0\.0\.1,::1, and no_proxy the same if set\), or pass --allow-insecure-http/,
      "--base-url",
    );
    assert.ok(!byFlag.stderr.includes("pa55word"), byFlag.stderr);
    const byVariable = await run(get, {
      env: environment({ KRAKEN_EMBED_BASE_URL: destination.url }),
    });
    assertUsageLine(
      byVariable,
      2,
      /KRAKEN_EMBED_BASE_URL is plain http, .* proxy in HTTP_PROXY /,
      "variable",
    );
    const demo = await run(["demo"], { env: environment({}) });
    assertUsageLine(
      demo,
      2,
      /demo's requests to 127\.0\.0\.1 through the proxy in HTTP_PROXY: name 127\.0\.0\.1 in NO_PROXY/,
      "demo",
    );
    // sign sends nothing: the curl command it prints follows curl's own
    // proxy settings.
    const signed = await run(
      [
        "sign",
        "--method",
        "GET",
        "--path",
        PATH,
        "--base-url",
        destination.url,
      ],
      { env: environment({}) },
    );
    assert.equal(signed.code, 0, signed.stderr);
    assert.match(signed.stdout, /API-Sign: /);
    assert.equal(proxied + direct, 0, "nothing sent");
    // Each form the CLI takes as exempt is one the runtime's own fetch
    // sends straight to the host: none reaches the proxy.
    const exempted: Record<string, string>[] = [
      { NO_PROXY: "localhost,127.0.0.1,::1" },
      { NO_PROXY: "localhost, 127.0.0.1 ,::1" },
      { no_proxy: "127.0.0.1" },
      { NO_PROXY: "127.0.0.1", no_proxy: "localhost,127.0.0.1" },
    ];
    for (const exemption of exempted) {
      const exempt = await run([...get, "--base-url", destination.url], {
        env: environment(exemption),
      });
      const label = JSON.stringify(exemption);
      assert.equal(exempt.code, 0, `${label}: ${exempt.stderr}`);
      assert.deepEqual(JSON.parse(exempt.stdout), userAnswer(), label);
    }
    assert.equal(direct, exempted.length);
    assert.equal(proxied, 0);
  } finally {
    await proxy.close();
    await destination.close();
  }
});

test("users update --data and sign --body stop reading at 16 MiB, from stdin without end or a file without end, and exit 2 having sent nothing", async () => {
  let requests = 0;
  const server = await serveFetch(() => {
    requests++;
    return Promise.resolve(Response.json({ result: "success" }));
  });
  try {
    const env = CREDENTIALS;
    const update = ["users", "update", USER, "--base-url", server.url];
    const sign = ["sign", "--method", "POST", "--path", PATH];
    for (
      const [args, option] of [
        [[...update, "--data"], "--data"],
        [[...sign, "--body"], "--body"],
      ] as const
    ) {
      // Stdin that never ends: written until the CLI stops reading it.
      const child = start([...args, "-"], env);
      const done = collect(child);
      const chunk = Buffer.alloc(1 << 20, 0x20);
      let writing = true;
      child.stdin!.on("error", () => (writing = false));
      const exited = new Promise((resolve) => child.once("exit", resolve));
      exited.then(() => (writing = false));
      (async () => {
        while (writing) {
          if (!child.stdin!.write(chunk)) {
            await Promise.race([
              new Promise((resolve) => child.stdin!.once("drain", resolve)),
              exited,
            ]);
          }
        }
      })();
      const piped = await within(done, 30_000);
      writing = false;
      if (piped === "hung") {
        child.kill("SIGKILL");
        await done;
        assert.fail(`${option} -: still reading stdin after 30 s`);
      }
      const refusal = new RegExp(
        `^kraken-embed (users|sign): ${option}: the body is over 16 MiB \\(`,
      );
      assertUsageLine(piped, 2, refusal, `${option} -`);
      // A file without end.
      if (existsSync("/dev/zero")) {
        assertUsageLine(
          await run([...args, "/dev/zero"], { env }),
          2,
          refusal,
          `${option} /dev/zero`,
        );
      }
    }
    // 16 MiB itself is read (and refused as JSON, sent nowhere).
    const most = await run([...update, "--data", "-"], {
      env,
      stdin: " ".repeat(16 * 1024 * 1024),
    });
    assertUsageLine(most, 2, /--data is not valid JSON/, "16 MiB");
    assert.equal(requests, 0);
  } finally {
    await server.close();
  }
});

test("users update and get stopped by Ctrl+C or SIGTERM while waiting for the answer say so, and whether the request may have taken effect, and exit 128 + the signal", async () => {
  let requests = 0;
  const waiting: (() => void)[] = [];
  const server = await serveFetch(() => {
    requests++;
    return new Promise((resolve) =>
      waiting.push(() => resolve(Response.json({ result: "success" })))
    );
  });
  try {
    const env = CREDENTIALS;
    const base = ["--base-url", server.url];
    const cases = [
      [["users", "update", USER, "--data", "-", ...base], "SIGINT", 130, true],
      [["users", "get", USER, ...base], "SIGTERM", 143, false],
    ] as const;
    for (const [args, signal, code, effect] of cases) {
      const before = requests;
      const child = start([...args], env);
      child.stdin!.end('{"language":"fr"}');
      const done = collect(child);
      // Once the request is at the server, waiting for its answer.
      const deadline = Date.now() + 20_000;
      while (requests === before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(requests, before + 1, `${signal}: the request never came`);
      child.kill(signal);
      const result = await within(done, 10_000);
      if (result === "hung") {
        child.kill("SIGKILL");
        await done;
        assert.fail(`${signal}: still running 10 s after it`);
      }
      assert.equal(result.stdout, "");
      assert.match(
        result.stderr,
        effect
          ? /^kraken-embed users: stopped by SIGINT: Request aborted by the caller's signal; the request may have taken effect: check before sending it again\n$/
          : /^kraken-embed users: stopped by SIGTERM: Request aborted by the caller's signal\n$/,
      );
      // Deno's node:child_process reports a child it signalled as killed
      // by the signal, whatever its exit code.
      if (UNDER_DENO) {
        assert.ok(result.code === code || result.signal === signal);
      } else assert.equal(result.code, code);
    }
  } finally {
    for (const answer of waiting) answer();
    await server.close();
  }
});

test("users update says the request may have taken effect when an attempt may have, though the last answer refused it", async () => {
  // A 502 to the first attempt (the service failed, perhaps after acting),
  // then a plain refusal to the retry.
  let calls = 0;
  const server = await serveFetch(() =>
    Promise.resolve(
      calls++ === 0
        ? new Response("Bad gateway", {
          status: 502,
          headers: { "x-trace-id": "t-502" },
        })
        : Response.json({ error: ["EGeneral:Invalid arguments"] }, {
          status: 400,
          headers: { "x-trace-id": "t-400" },
        }),
    )
  );
  try {
    const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
    const result = await run(
      ["users", "update", USER, "--data", "-", "--base-url", server.url],
      { env, stdin: '{"language":"fr"}' },
    );
    assert.equal(calls, 2);
    assertUsageLine(
      result,
      1,
      // Both answers' trace ids: the 502's is the one to ask Kraken about.
      /: Kraken answered 400: EGeneral:Invalid arguments; the request may have taken effect: check before sending it again \(x-trace-id t-502, t-400\)\n$/,
      "502, then 400",
    );
    // A plain refusal alone says nothing of effect.
    calls = 1;
    const refused = await run(
      ["users", "update", USER, "--data", "-", "--base-url", server.url],
      { env, stdin: '{"language":"fr"}' },
    );
    assert.equal(refused.code, 1);
    assert.ok(
      !refused.stderr.includes("may have taken effect"),
      refused.stderr,
    );
  } finally {
    await server.close();
  }
});

test("a stray argument, an unknown command or action and an unknown option's value are named by position or flag, never repeated", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const sign = ["sign", "--method", "GET", "--path", PATH];
  // A secret pasted in the wrong place, and a patch given inline where a
  // file name goes: neither may reach stderr, which CI keeps.
  const patch = '{"phone":"+447700900123"}';
  const cases: Array<[string[], RegExp]> = [
    [[...sign, SECRET], /: unexpected argument 5 after "sign" \(/],
    [
      ["sign", SECRET, "--method", "GET"],
      /: unexpected argument 1 after "sign" \(/,
    ],
    [[...sign, "--", SECRET], /: unexpected argument 6 after "sign" \(/],
    [
      ["emulator", "--port", "0", SECRET],
      /: unexpected argument 3 after "emulator" \(/,
    ],
    [["demo", SECRET], /: unexpected argument 1 after "demo" \(/],
    [
      [SECRET],
      /^kraken-embed: unknown command: expected emulator, sign, users or demo \(/,
    ],
    [["users", SECRET], /: unknown action: expected "update" or "get" \(/],
    [[...sign, `--api-secret=${SECRET}`], /: unknown option --api-secret \(/],
    [[...sign, "--api-secret", SECRET], /: unknown option --api-secret \(/],
    [["sign", `--help=${SECRET}`], /: --help takes no value \(/],
    [
      ["emulator", "--port", SECRET],
      /: --port expects an integer from 0 to 65535 \(/,
    ],
    [
      ["emulator", "--nonce-window", SECRET],
      /: --nonce-window expects an integer/,
    ],
    [["sign", "--method", SECRET, "--path", PATH], /: --method expects one of/],
    [
      ["sign", "--method", "GET", "--path", SECRET],
      /: --path expects the request target/,
    ],
    [[...sign, "--nonce", SECRET], /: --nonce expects a decimal integer/],
    [
      ["users", "update", USER, "--data", patch],
      /: --data: cannot read the file given \(ENOENT\)/,
    ],
    [
      ["sign", "--method", "PATCH", "--path", PATH, "--body", patch],
      /: --body: cannot read the file given \(ENOENT\)/,
    ],
    [
      ["sign", "--method", "PATCH", "--path", PATH, "--body", SECRET],
      /: --body: cannot read the file given \(ENOENT\)/,
    ],
  ];
  const results = await Promise.all(
    cases.map(([args]) => run(args, { env })),
  );
  results.forEach((result, i) => {
    const label = cases[i][0].join(" ").replace(SECRET, "SECRET");
    assertUsageLine(result, 2, cases[i][1], label);
    assert.ok(!result.stderr.includes(SECRET.slice(0, 24)), label);
    assert.ok(!result.stderr.includes("+447700900123"), label);
  });
});

// What the printed command gives curl, with curl a shell function: the
// --data-raw argument, or stdin for --data-binary @-.
const CURL_STANDIN = `curl() {
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --data-raw) printf %s "$2"; shift ;;
      --data-binary) if [ "$2" = @- ]; then cat; fi; shift ;;
    esac
    shift
  done
}
`;

/** The curl command `sign` printed: everything after the blank line that follows "Body: ". */
function printedCommand(stdout: string): string {
  return stdout.slice(stdout.indexOf("\n\n", stdout.indexOf("\nBody: ")) + 2);
}

test("sign's curl command, pasted into sh or bash, gives curl exactly the signed body, and prints no control character", async () => {
  const env = { KRAKEN_EMBED_API_KEY: KEY, KRAKEN_EMBED_API_SECRET: SECRET };
  const bodies = [
    '{"full_name":{"first_name":"O\'Brien \\"Bob\\""}}',
    "$(touch /tmp/kraken-embed-pwned) `id` ${HOME} $HOME",
    "back\\slash \\n \\u0041 \\0 \\c %s %% %b",
    '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n',
    "trailing space \nand a line's end",
    "ESC \u001b[31mred\u001b[0m and BEL \u0007",
    "NUL \u0000 inside",
    "CR \r LF \n CRLF \r\n tab \t DEL \u007f C1 \u0085",
    "Zoë Zürich 日本語 😀 Ελληνικά",
    "bidi \u202e)olleh and \u2066isolate\u2069 LS \u2028 PS \u2029 NBSP \u00a0 ZWSP \u200b",
    '\ufeff{"bom":true}',
    "-x leading dash",
    "--data-raw",
    "",
    "'",
  ];
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-cli-"));
  try {
    const results = await Promise.all(bodies.map((body, i) => {
      const file = join(dir, `body-${i}`);
      writeFileSync(file, body);
      return run(
        [
          "sign",
          "--method",
          "POST",
          "--path",
          "/b2b/x",
          "--nonce",
          "1",
          "--body",
          file,
        ],
        { env },
      );
    }));
    for (const [i, body] of bodies.entries()) {
      const label = JSON.stringify(body);
      const result = results[i];
      assert.equal(result.code, 0, `${label}: ${result.stderr}`);
      assert.equal(
        /API-Sign: (\S+)/.exec(result.stdout)![1],
        oracleSign(SECRET, "1", "/b2b/x", body),
        label,
      );
      // Nothing a terminal would act on or hide: no control character but
      // the line feed, no direction override.
      assert.doesNotMatch(
        result.stdout,
        /[^\P{Cc}\n]|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/u,
        label,
      );
      const command = printedCommand(result.stdout);
      for (const shell of ["sh", "bash"]) {
        const sent = spawnSync(shell, ["-c", CURL_STANDIN + command], {
          cwd: dir,
        });
        assert.equal(sent.status, 0, `${shell} ${label}: ${sent.stderr}`);
        assert.deepEqual(
          sent.stdout,
          Buffer.from(body, "utf8"),
          `${shell} ${label}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(!existsSync("/tmp/kraken-embed-pwned"));
});

test("sign's curl command, run by curl, sends a body with an escape, a NUL and a quote as signed to the CLI's emulator", async () => {
  const emulator = await startEmulator();
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-cli-"));
  try {
    // Not JSON the emulator takes (a raw control character in a string):
    // it answers 400 once the signature has verified, 401 if it does not.
    const body = '{"phone":"\u001b[2J\u0000\'"}';
    writeFileSync(join(dir, "body"), body);
    const signed = await run(
      [
        "sign",
        "--method",
        "PATCH",
        "--path",
        PATH,
        "--body",
        join(dir, "body"),
      ],
      { env: emulator.env },
    );
    assert.equal(signed.code, 0, signed.stderr);
    const curl = await collect(
      spawn("sh", ["-c", printedCommand(signed.stdout)], {
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    assert.equal(curl.code, 0, curl.stderr);
    assert.doesNotMatch(curl.stdout, /Invalid signature/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    assertCleanStop(await emulator.stop("SIGTERM"), "SIGTERM");
  }
  assert.match(
    emulator.output(),
    /\nPATCH \/b2b\/users\/AA95%20N84G%20TEST%20XXXX -> 400 /,
  );
});

test("an option given as --name=value takes the value after the =", async () => {
  const result = await run(
    ["sign", "--method=get", "--path=/b2b/assets?a=b=c", "--nonce=7"],
    { env: CREDENTIALS },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^API-Key: .*\nAPI-Nonce: 7\n/);
  assert.match(result.stdout, /\nSigned path: \/b2b\/assets\?a=b=c\n/);
  assert.equal(
    /API-Sign: (\S+)/.exec(result.stdout)![1],
    oracleSign(SECRET, "7", "/b2b/assets?a=b=c", ""),
  );
});

test("an option given as --name= takes the empty value, not the next argument", async () => {
  const sign = (args: string[]) =>
    run(["sign", "--method", "GET", "--path", PATH, ...args], {
      env: CREDENTIALS,
    });
  // Last, with no argument after it: the empty nonce is refused.
  assertUsageLine(
    await sign(["--nonce="]),
    2,
    /^kraken-embed sign: --nonce expects a decimal integer from 0 to 18446744073709551615, without leading zeros \(see kraken-embed sign --help\)\n$/,
    "--nonce=",
  );
  // Followed by an argument a nonce would take: that one is a stray.
  assertUsageLine(
    await sign(["--nonce=", "7"]),
    2,
    /^kraken-embed sign: unexpected argument 6 after "sign" \(/,
    "--nonce= 7",
  );
});

test("a stray argument that starts with one dash is named by its position, not read as an option and echoed", async () => {
  // A secret pasted with a dash before it would be echoed as an option's name.
  const pasted = `-${SECRET}`;
  const cases: Array<[string[], RegExp]> = [
    [
      ["sign", "--method", "GET", "--path", PATH, pasted],
      /: unexpected argument 5 after "sign" \(/,
    ],
    [
      ["demo", "extra"],
      /: unexpected argument 1 after "demo" \(.*\): demo takes no arguments \(/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const result = await run(args, { env: CREDENTIALS });
    assertUsageLine(result, 2, pattern, args.join(" "));
    assert.ok(!result.stderr.includes(SECRET.slice(1, 25)), result.stderr);
  }
});

test("a dash and one letter is an unknown option, named as typed, wherever it comes", async () => {
  const cases: Array<[string[], string]> = [
    [["emulator", "-p", "0"], "emulator"],
    [["users", "get", USER, "-x"], "users"],
    [["sign", "-m", "GET", "--path", PATH], "sign"],
    [["demo", "-x"], "demo"],
    // A capital too: curl's -X, typed out of habit.
    [["sign", "-X", "POST", "--path", PATH], "sign"],
    [["emulator", "--port", "0", "-P"], "emulator"],
  ];
  for (const [args, command] of cases) {
    const result = await run(args, { env: CREDENTIALS });
    const letter = args.find((arg) => /^-[A-Za-z]$/.test(arg));
    assertUsageLine(
      result,
      2,
      new RegExp(
        `^kraken-embed ${command}: unknown option ${letter}: options are spelled out \\(--name\\), but for -h \\(see kraken-embed ${command} --help\\)\n$`,
      ),
      args.join(" "),
    );
  }
});

test("an unknown --option is named as typed only when it looks like an option's name; anything else by its position, never quoted", async () => {
  const unpadded = SECRET.replace(/=+$/, "");
  const long = `--${"a".repeat(100_000)}`;
  const stray = (position: number, command: string, help = command) =>
    new RegExp(
      `^kraken-embed ${help}: unknown option at argument ${position} after "${command}" \\(not shown, in case it is a secret\\) \\(see kraken-embed ${help} --help\\)\n$`,
    );
  const named = (name: string, help: string) =>
    new RegExp(
      `^kraken-embed ${help}: unknown option --${name} \\(see kraken-embed ${help} --help\\)\n$`,
    );
  const cases: Array<[string[], RegExp]> = [
    // A secret pasted after --, with its padding or without, or as a
    // --name=value: its position only.
    [["users", "get", USER, `--${SECRET}`], stray(2, "users get", "users")],
    [["sign", `--${unpadded}`], stray(1, "sign")],
    [
      ["sign", "--method", "GET", "--path", PATH, `--${unpadded}=x`],
      stray(5, "sign"),
    ],
    [
      ["users", "update", USER, `--${SECRET}`],
      stray(2, "users update", "users"),
    ],
    // 100 KB of one letter: too long for a name.
    [["emulator", long], stray(1, "emulator")],
    [["sign", `--${"a".repeat(31)}`], stray(1, "sign")],
    // Not lowercase letters and hyphens: a capital, a digit, an
    // underscore, base64's / and +, a control character.
    [["demo", "--Verbose"], stray(1, "demo")],
    [["sign", "--port8787"], stray(1, "sign")],
    [["sign", "--api_secret=x"], stray(1, "sign")],
    [["sign", "--a/b"], stray(1, "sign")],
    [["sign", "--a+b"], stray(1, "sign")],
    [["sign", "---x"], stray(1, "sign")],
    [["sign", "--=x"], stray(1, "sign")],
    [["sign", "--x\u001b[31m"], stray(1, "sign")],
    // A typo a person makes is named, the value after = left out.
    [["users", "get", USER, "--verbos"], named("verbos", "users")],
    [["sign", "--base-ur=https://h.test"], named("base-ur", "sign")],
    [["emulator", "--nonce-windows", "5"], named("nonce-windows", "emulator")],
    [["sign", `--${"a".repeat(30)}`], named("a".repeat(30), "sign")],
  ];
  const results = await Promise.all(
    cases.map(([args]) => run(args, { env: CREDENTIALS })),
  );
  results.forEach((result, i) => {
    const label = JSON.stringify(cases[i][0]).replace(SECRET, "SECRET")
      .slice(0, 200);
    // No run of 12 characters of the secret, in either output.
    for (let at = 0; at + 12 <= unpadded.length; at++) {
      const piece = unpadded.slice(at, at + 12);
      assert.ok(!result.stderr.includes(piece), `${label}: ${piece}`);
      assert.ok(!result.stdout.includes(piece), `${label}: ${piece}`);
    }
    assert.ok(!result.stderr.includes("a".repeat(31)), label);
    assert.ok(result.stderr.length < 300, `${label}: ${result.stderr.length}`);
    assertUsageLine(result, 2, cases[i][1], label);
  });
});

test("a refused --base-url is named as --base-url though KRAKEN_EMBED_BASE_URL is set too", async () => {
  const result = await run(
    ["sign", "--method", "GET", "--path", PATH, "--base-url", "http://h.test"],
    {
      env: {
        ...CREDENTIALS,
        KRAKEN_EMBED_BASE_URL: "https://nexus.kraken.com",
      },
    },
  );
  assertUsageLine(result, 2, /: --base-url expects https /, "both set");
  assert.doesNotMatch(result.stderr, /KRAKEN_EMBED_BASE_URL expects/);
});

test("JSON given where --data or --body takes a file name: the refusal says so, without quoting it", async () => {
  const patch = '  {"phone":"+447700900123"}';
  const cases = [
    ["users", "update", USER, "--data", patch],
    ["sign", "--method", "PATCH", "--path", PATH, "--body", patch],
    ["sign", "--method", "PATCH", "--path", PATH, "--body", "[1]"],
  ];
  for (const args of cases) {
    const result = await run(args, { env: CREDENTIALS });
    assertUsageLine(
      result,
      2,
      /: cannot read the file given \(ENOENT\): it takes a file name, or - for stdin, not the JSON itself \(see/,
      args.join(" "),
    );
    assert.ok(!result.stderr.includes("+447700900123"));
  }
  // Not for a file name that is missing.
  const plain = await run(
    ["users", "update", USER, "--data", "/nonexistent/patch.json"],
    { env: CREDENTIALS },
  );
  assert.match(plain.stderr, /cannot read the file given \(ENOENT\)/);
  assert.doesNotMatch(plain.stderr, /not the JSON itself/);
});

test("users update says the request may have taken effect once when the client's message says it already", async () => {
  // A 2xx whose body is not JSON: the message says the request was
  // accepted and may have taken effect.
  const server = await serveFetch(() =>
    Promise.resolve(new Response("ok", { status: 200 }))
  );
  try {
    const result = await run(
      ["users", "update", USER, "--data", "-", "--base-url", server.url],
      { env: CREDENTIALS, stdin: '{"language":"fr"}' },
    );
    assertUsageLine(result, 1, /may have taken effect/, "2xx not JSON");
    assert.equal(
      result.stderr.split("may have taken effect").length - 1,
      1,
      result.stderr,
    );
    assert.doesNotMatch(result.stderr, /check before sending it again/);
  } finally {
    await server.close();
  }
});

test("sign: a base URL's path ending in several slashes is signed without them, as the client sends it", async () => {
  const result = await run(
    [
      "sign",
      "--method",
      "GET",
      "--path",
      "/b2b/assets",
      "--nonce",
      "3",
      "--base-url",
      "http://127.0.0.1:9/embed//",
    ],
    { env: CREDENTIALS },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\nSigned path: \/embed\/b2b\/assets\n/);
  assert.ok(
    result.stdout.includes("--url 'http://127.0.0.1:9/embed/b2b/assets'"),
    result.stdout,
  );
  assert.equal(
    /API-Sign: (\S+)/.exec(result.stdout)![1],
    oracleSign(SECRET, "3", "/embed/b2b/assets", ""),
  );
});

test("sign's curl command sends the Payward-Version the client sends", async () => {
  const result = await run(["sign", "--method", "GET", "--path", PATH], {
    env: CREDENTIALS,
  });
  assert.equal(result.code, 0, result.stderr);
  // The client's default version, which the emulator would take without it.
  assert.ok(
    result.stdout.includes("--header 'Payward-Version: 2025-04-15'"),
    result.stdout,
  );
});

test("sign refuses a --path that starts with //, which Bun's fetch sends as /, and takes // further in", async () => {
  for (const path of ["//b2b/assets", "///b2b/assets"]) {
    assertUsageLine(
      await run(["sign", "--method", "GET", "--path", path, "--nonce", "4"], {
        env: CREDENTIALS,
      }),
      2,
      /^kraken-embed sign: --path expects the request target, starting with one \/ \(Bun's fetch sends a leading \/\/ as \/\) \(see kraken-embed sign --help\)\n$/,
      path,
    );
  }
  const result = await run(
    ["sign", "--method", "GET", "--path", "/b2b//assets", "--nonce", "4"],
    { env: CREDENTIALS },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\nSigned path: \/b2b\/\/assets\n/);
});

test("users: -h prints the help, and get or update without an IIBAN says it is missing", async () => {
  const help = await run(["users", "-h"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage:\n {2}kraken-embed users update/);
  for (const action of ["get", "update"]) {
    assertUsageLine(
      await run(["users", action], { env: CREDENTIALS }),
      2,
      /^kraken-embed users: expected the user's IIBAN \(see/,
      action,
    );
  }
});

test("users get sends its request under the base URL's path prefix", async () => {
  const seen: string[] = [];
  const server = await serveFetch((request) => {
    seen.push(new URL(request.url).pathname);
    return Promise.resolve(
      Response.json({ error: ["ENexus:Invalid user ID"] }, { status: 404 }),
    );
  });
  try {
    const result = await run(
      ["users", "get", USER, "--base-url", `${server.url}/embed/`],
      { env: CREDENTIALS },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(seen, [`/embed${PATH}`]);
  } finally {
    await server.close();
  }
});

test("emulator: a request line's userinfo is logged as [redacted], never its password, even one with a raw @ in it", async () => {
  const emulator = await startEmulator();
  for (
    const userinfo of ["proxyuser:hunter2-secret", "proxyuser:hunter2@secret"]
  ) {
    const answer = await send(
      emulator.url,
      "GET",
      `http://${userinfo}@h${PATH}`,
      {},
    );
    assert.equal(answer.status, 400, userinfo);
  }
  const stopped = await emulator.stop("SIGTERM");
  assertCleanStop(stopped, "SIGTERM");
  const logged = stopped.stdout.match(
    /\nGET http:\/\/\[redacted\]@h\/b2b\/users\/\S+ -> 400 /g,
  );
  assert.equal(logged?.length, 2, stopped.stdout);
  assert.doesNotMatch(stopped.stdout, /proxyuser|hunter2|secret/);
});
