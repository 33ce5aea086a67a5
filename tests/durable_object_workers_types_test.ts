// runtimes: deno — reason: type-checks the source of the durable_object entry point (src/, which the npm package does not ship as .ts) with tsc, a process this test spawns; the built package's declarations are checked under Workers' types by scripts/_checks/consumer_types.mjs
//
// The durable_object entry point is for Cloudflare Workers: its source
// compiles under @cloudflare/workers-types alone (no dom lib, no Node types),
// whose timer functions take no undefined, as well as under Deno's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the durable_object entry point's source type-checks under @cloudflare/workers-types", () => {
  const result = spawnSync(
    "node",
    [
      "node_modules/typescript/bin/tsc",
      "--noEmit",
      "--allowImportingTsExtensions",
      "--strict",
      "--exactOptionalPropertyTypes",
      "--module",
      "esnext",
      "--moduleResolution",
      "bundler",
      "--target",
      "es2022",
      "--lib",
      "es2022",
      "--types",
      "@cloudflare/workers-types",
      "src/nonce/durable_object.ts",
    ],
    { cwd: root, encoding: "utf8" },
  );
  assert.equal(result.error, undefined, String(result.error));
  assert.equal(
    result.status,
    0,
    `tsc refused it:\n${result.stdout}${result.stderr}`,
  );
});
