// Retry-After's date forms read in a process whose local time zone is not
// UTC. The machines that run the tests are on UTC, where reading a date as
// local time or as GMT gives the same instant, so the reading is done in a
// child process of the same runtime with TZ set: under Deno from the source,
// under Node and Bun from the built package (npm/esm), as users get them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const UNDER_DENO = "Deno" in globalThis;
const RETRY = join(
  ROOT,
  UNDER_DENO ? "src/client/retry.ts" : "npm/esm/src/client/retry.js",
);

// 1994-11-06 08:49:37 GMT, RFC 9110's example, in its three forms.
const FORMS = [
  "Sun, 06 Nov 1994 08:49:37 GMT",
  "Sunday, 06-Nov-94 08:49:37 GMT",
  "Sun Nov  6 08:49:37 1994",
];

interface Reading {
  /** The child's offset from UTC at that instant, in minutes. */
  offset: number;
  /** parseRetryAfter of each form, 30 s before the instant. */
  waits: Array<number | undefined>;
}

function readIn(zone: string): Reading {
  assert.ok(existsSync(RETRY), `${RETRY} is missing: build the npm package`);
  const dir = mkdtempSync(join(tmpdir(), "retry-after-"));
  try {
    const script = join(dir, "read.mjs");
    writeFileSync(
      script,
      `import { parseRetryAfter } from ${
        JSON.stringify(pathToFileURL(RETRY).href)
      };
const at = Date.UTC(1994, 10, 6, 8, 49, 37);
const waits = ${JSON.stringify(FORMS)}.map((form) =>
  parseRetryAfter(form, at - 30_000) ?? null
);
console.log(JSON.stringify({ offset: new Date(at).getTimezoneOffset(), waits }));
`,
    );
    const args = UNDER_DENO
      ? ["run", "--no-config", "--allow-read", script]
      : [script];
    const child = spawnSync(process.execPath, args, {
      env: { ...process.env, TZ: zone, NO_COLOR: "1" },
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("Retry-After's HTTP dates, asctime() included, are read as GMT in any local time zone", () => {
  // West and east of Greenwich, and UTC itself.
  for (
    const [zone, offset] of [
      ["America/Los_Angeles", 480],
      ["Asia/Tokyo", -540],
      ["UTC", 0],
    ] as const
  ) {
    const reading = readIn(zone);
    // The child did run in that zone: otherwise this test proves nothing.
    assert.equal(reading.offset, offset, `the offset of ${zone}`);
    assert.deepEqual(
      reading.waits,
      [30_000, 30_000, 30_000],
      `in ${zone}: ${FORMS.join(" / ")}`,
    );
  }
});
