// Runs tests/runtimes/worker.ts in workerd (through Miniflare) against the
// built npm/ package and checks its three answers over HTTP on 127.0.0.1.
// The worker is bundled first: workerd cannot resolve bare imports itself.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { linkPackage } from "./_package_link.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const outDir = join(root, "node_modules/.cache/kraken-embed/workerd");
const scriptPath = join(outDir, "worker.mjs");

const API_KEY = "worker-api-key-0123456789";
const checks = {
  "/sign": (body) => {
    assert.equal(
      body.signature,
      "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
    );
  },
  "/validation": (body) => {
    assert.deepEqual(body, {
      thrown: true,
      sent: 0,
      name: "EmbedValidationError",
      code: "ERR_EMBED_VALIDATION",
      isEmbedError: true,
      target: "patch",
      paths: [
        "residence.line1",
        "residence.city",
        "residence.postal_code",
        "residence.country",
        "phone_number",
      ],
    });
  },
  "/update": (body) => {
    assert.deepEqual(body.result, { result: "success" });
    assert.equal(body.requests, 1);
    assert.equal(body.method, "PATCH");
    assert.equal(
      body.url,
      "https://nexus.kraken.com/b2b/users/AA95%20N84G%20TEST%20XXXX",
    );
    assert.equal(body.headers["api-key"], API_KEY);
    assert.match(body.headers["api-nonce"], /^[1-9][0-9]*$/);
    assert.match(body.headers["api-sign"], /^[A-Za-z0-9+/]{86}==$/);
    assert.equal(body.headers["payward-version"], "2025-04-15");
    assert.equal(body.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(body.body), {
      language: "en",
      full_name: { first_name: "Ada", last_name: "Lovelace" },
    });
    assert.equal(
      body.signatureValid,
      true,
      "API-Sign does not match the body sent",
    );
  },
};

let mf;
let passed = 0;
let failed = 0;
try {
  linkPackage(root);
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "worker.ts")],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker"],
    target: "es2022",
    logLevel: "warning",
  });
  mf = new Miniflare({
    modules: true,
    scriptPath,
    compatibilityDate: "2025-01-01",
    host: "127.0.0.1",
    port: 0,
  });
  const base = await mf.ready;
  for (const [route, check] of Object.entries(checks)) {
    const response = await fetch(new URL(route, base));
    const body = await response.json();
    try {
      assert.equal(
        response.status,
        200,
        `the worker failed: ${JSON.stringify(body.error)}`,
      );
      check(body);
      passed++;
      console.log(`ok   GET ${route}`);
    } catch (error) {
      failed++;
      console.log(`FAIL GET ${route}: ${error.message}`);
    }
  }
} catch (error) {
  failed++;
  console.error(error.stack ?? error);
} finally {
  await mf?.dispose();
}
console.log(
  `summary: ${passed} of ${
    Object.keys(checks).length
  } worker checks passed in workerd`,
);
// exitCode rather than exit(): dispose() removes Miniflare's temporary directory
// in the background, and exiting at once would leave it in the system's tmp.
process.exitCode = failed === 0 ? 0 : 1;
