// runtimes: deno — reason: tests the CLI's internal src/cli/proxy.ts directly (the npm package does not export it), setting the proxy variables in this process; the CLI's refusal is tested in every runtime (cli_test.ts)
//
// When the CLI refuses a plain-http base URL that its runtime's fetch would
// send through a proxy from the environment: Deno sends even 127.0.0.1's
// requests through HTTP_PROXY, unencrypted, unless NO_PROXY covers them.
import { test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
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
      assert.equal(httpProxyFor(LOOPBACK), name);
    });
  }
  withEnvironment({}, () => assert.equal(httpProxyFor(LOOPBACK), undefined));
  // An empty variable is unset, as the CLI reads every variable.
  withEnvironment({ HTTP_PROXY: "" }, () => {
    assert.equal(httpProxyFor(LOOPBACK), undefined);
  });
});

test("https is never refused for a proxy: it is encrypted through one", () => {
  withEnvironment({ HTTP_PROXY: "http://proxy.test:3128" }, () => {
    assert.equal(httpProxyFor(new URL("https://nexus.kraken.com")), undefined);
  });
});

test("NO_PROXY exempts the host itself, with its port or none, its domain, an IPv4 network or *; anything else does not", () => {
  const cases: [url: string, noProxy: string, exempt: boolean][] = [
    ["http://127.0.0.1:8080/", "127.0.0.1", true],
    ["http://127.0.0.1:8080/", "localhost, 127.0.0.1 ,::1", true],
    ["http://127.0.0.1:8080/", "127.0.0.1:8080", true],
    ["http://127.0.0.1:8080/", "127.0.0.1:9090", false],
    ["http://127.0.0.1:8080/", "127.0.0.0/8", true],
    ["http://127.5.6.7:8080/", "127.0.0.0/8", true],
    ["http://127.0.0.1:8080/", "10.0.0.0/8", false],
    ["http://127.0.0.1:8080/", "127.0.0.2", false],
    ["http://127.0.0.1:8080/", "*", true],
    ["http://127.0.0.1:8080/", "", false],
    ["http://127.0.0.1:8080/", "localhost", false],
    // An IP address is no domain: 7.0.0.1 does not cover 127.0.0.1.
    ["http://127.0.0.1:8080/", "0.0.1", false],
    ["http://localhost:8080/", "LOCALHOST", true],
    ["http://api.localhost:8080/", "localhost", true],
    ["http://api.localhost:8080/", ".localhost", true],
    ["http://api.localhost:8080/", "*.localhost", true],
    ["http://notlocalhost:8080/", "localhost", false],
    ["http://[::1]:8080/", "::1", true],
    ["http://[::1]:8080/", "[::1]", true],
    ["http://[::1]:8080/", "[::1]:8080", true],
    ["http://[::1]:8080/", "127.0.0.1", false],
    // The default port, written or not.
    ["http://127.0.0.1/", "127.0.0.1:80", true],
  ];
  for (const [url, noProxy, exempt] of cases) {
    for (const name of ["NO_PROXY", "no_proxy"]) {
      withEnvironment(
        { HTTP_PROXY: "http://proxy.test:3128", [name]: noProxy },
        () => {
          assert.equal(
            httpProxyFor(new URL(url)),
            exempt ? undefined : "HTTP_PROXY",
            `${url} with ${name}=${noProxy}`,
          );
        },
      );
    }
  }
});
