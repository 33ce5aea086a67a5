// runtimes: deno — reason: tests the CLI's internal src/cli/proxy.ts directly (the npm package does not export it), setting the proxy variables in this process; the CLI's refusal is tested in every runtime (cli_test.ts)
//
// When the CLI refuses a plain-http base URL that its runtime's fetch may
// send through a proxy from the environment: Deno sends even 127.0.0.1's
// requests through HTTP_PROXY, unencrypted, unless NO_PROXY names them, in
// a form each runtime reads as it does.
import { test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { httpProxyFor } from "../src/cli/proxy.ts";

const VARIABLES = [
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
];

function withEnvironment(
  values: Record<string, string>,
  body: () => void,
): void {
  const saved = VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  try {
    body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const LOOPBACK = new URL("http://127.0.0.1:8080/");

test("a plain-http URL goes through any of the four proxy variables, named, never quoted", () => {
  for (const name of ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]) {
    withEnvironment({ [name]: "http://user:pw@proxy.test:3128" }, () => {
      assert.equal(httpProxyFor(LOOPBACK), `the proxy in ${name}`);
    });
  }
  withEnvironment(
    { HTTP_PROXY: "http://a.test", http_proxy: "http://b.test" },
    () => {
      assert.equal(
        httpProxyFor(LOOPBACK),
        "the proxy in HTTP_PROXY or http_proxy",
      );
    },
  );
  withEnvironment({}, () => assert.equal(httpProxyFor(LOOPBACK), undefined));
  // An empty proxy variable is unset, as the CLI reads every variable.
  withEnvironment({ HTTP_PROXY: "" }, () => {
    assert.equal(httpProxyFor(LOOPBACK), undefined);
  });
});

test("https is never refused for a proxy: it is encrypted through one", () => {
  withEnvironment({ HTTP_PROXY: "http://proxy.test:3128" }, () => {
    assert.equal(httpProxyFor(new URL("https://nexus.kraken.com")), undefined);
  });
});

test("NO_PROXY exempts a host only as every runtime does: named as the URL writes it, between commas; a port, a network, *, another case or a domain's subdomain do not", () => {
  const cases: [url: string, noProxy: string, exempt: boolean][] = [
    ["http://127.0.0.1:8080/", "127.0.0.1", true],
    ["http://127.0.0.1:8080/", "localhost, 127.0.0.1 ,::1", true],
    ["http://localhost:8080/", "localhost,127.0.0.1,::1", true],
    ["http://[::1]:8080/", "localhost,127.0.0.1,::1", true],
    // Deno proxies each of these: it takes no port, no network for an
    // address (nor does Node's undici), no `*` for an address, no brackets,
    // no other case, and splits on commas only.
    ["http://127.0.0.1:8080/", "127.0.0.1:8080", false],
    ["http://127.0.0.1:8080/", "127.0.0.0/8", false],
    ["http://127.0.0.1:8080/", "*", false],
    ["http://127.0.0.1:8080/", "localhost 127.0.0.1", false],
    ["http://localhost:8080/", "LOCALHOST", false],
    ["http://localhost:8080/", "*.localhost", false],
    ["http://[::1]:8080/", "[::1]", false],
    ["http://[::1]:8080/", "[::1]:8080", false],
    ["http://127.0.0.1:8080/", "127.0.0.2", false],
    ["http://127.0.0.1:8080/", "", false],
    ["http://127.0.0.1:8080/", "0.0.1", false],
    // Trimmed of ASCII white space only: Bun proxies with a no-break space
    // or a line separator around the host, Deno with a byte order mark.
    ["http://127.0.0.1:8080/", " \t127.0.0.1\r\n", true],
    ["http://127.0.0.1:8080/", "localhost,\u00a0127.0.0.1", false],
    ["http://127.0.0.1:8080/", "\ufeff127.0.0.1", false],
    ["http://127.0.0.1:8080/", "127.0.0.1\u2028", false],
    ["http://127.0.0.1:8080/", "\u3000127.0.0.1", false],
    ["http://api.localhost:8080/", "localhost", false],
    ["http://api.localhost:8080/", ".localhost", false],
  ];
  for (const [url, noProxy, exempt] of cases) {
    for (const name of ["NO_PROXY", "no_proxy"]) {
      withEnvironment(
        { HTTP_PROXY: "http://proxy.test:3128", [name]: noProxy },
        () => {
          assert.equal(
            httpProxyFor(new URL(url)),
            exempt ? undefined : "the proxy in HTTP_PROXY",
            `${url} with ${name}=${noProxy}`,
          );
        },
      );
    }
  }
});

test("with both NO_PROXY and no_proxy set, each must name the host, an empty one too: the runtimes read them in opposite orders", () => {
  const cases: [upper: string, lower: string, exempt: boolean][] = [
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.1", "localhost", false],
    ["localhost", "127.0.0.1", false],
    // Deno reads an empty NO_PROXY, and not no_proxy then.
    ["", "127.0.0.1", false],
    ["127.0.0.1", "", false],
  ];
  for (const [upper, lower, exempt] of cases) {
    withEnvironment(
      { HTTP_PROXY: "http://proxy.test", NO_PROXY: upper, no_proxy: lower },
      () => {
        assert.equal(
          httpProxyFor(LOOPBACK) === undefined,
          exempt,
          `NO_PROXY=${upper} no_proxy=${lower}`,
        );
      },
    );
  }
});

test("under Deno without leave to read the proxy variables, a plain-http base URL is refused, saying which to allow: Deno's fetch reads them all the same", () => {
  const result = spawnSync(
    process.execPath,
    [
      "run",
      "--allow-read",
      "--allow-net",
      "--allow-env=KRAKEN_EMBED_API_KEY,KRAKEN_EMBED_API_SECRET,KRAKEN_EMBED_BASE_URL,NO_COLOR",
      "--config",
      "deno.json",
      "src/cli/main.ts",
      "users",
      "get",
      "AA95 N84G TEST XXXX",
      "--base-url",
      "http://127.0.0.1:9",
    ],
    {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        KRAKEN_EMBED_API_KEY: "cli-proxy-test-key",
        KRAKEN_EMBED_API_SECRET: "c2VjcmV0LWJ5dGVz",
      },
    },
  );
  assert.equal(result.status, 2, result.stderr);
  assert.match(
    result.stderr,
    /through a proxy the environment may name \(HTTP_PROXY, http_proxy, ALL_PROXY, all_proxy, NO_PROXY and no_proxy cannot be read: allow reading them\)/,
  );
});
