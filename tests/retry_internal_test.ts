// runtimes: deno — reason: tests the internal src/client/retry.ts directly (the npm package does not export it), for the exact figures the client's timing tests can only bound; the retries built on it are tested in every runtime (client_test.ts, faults_test.ts, retry_after_test.ts)
//
// What a wait is made of: the Retry-After header read as milliseconds (only
// whole seconds or an HTTP date, never negative, at most 60 s) and the full
// jitter backoff's ceiling per retry.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  backoffDelay,
  isRetryableStatus,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  sleep,
} from "../src/client/retry.ts";
import { EmbedAbortError } from "../src/errors.ts";

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

test("Retry-After in whole seconds is read as milliseconds, at most 60 s", () => {
  assert.equal(parseRetryAfter("0", NOW), 0);
  assert.equal(parseRetryAfter("2", NOW), 2_000);
  assert.equal(parseRetryAfter(" 30 ", NOW), 30_000);
  assert.equal(MAX_RETRY_AFTER_MS, 60_000);
  assert.equal(parseRetryAfter("60", NOW), 60_000);
  assert.equal(parseRetryAfter("600", NOW), 60_000);
  assert.equal(parseRetryAfter("99999999999999999999", NOW), 60_000);
});

test("Retry-After that is not whole seconds or an HTTP date is no Retry-After", () => {
  for (
    const value of [null, "", "1.5", "-1", "+1", "1e3", "5s", "0x10", "1 2"]
  ) {
    assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
  }
});

test("Retry-After as an HTTP date waits until then, never a negative time", () => {
  assert.equal(
    parseRetryAfter("Sun, 06 Dec 2026 12:00:30 GMT", NOW),
    30_000,
  );
  // A date in the past means now.
  assert.equal(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW), 0);
  assert.equal(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", NOW), 0);
  // Shaped like a date but none (day 32, hour 25): no Retry-After, so the
  // backoff applies, rather than NaN, which a timer takes for "now".
  for (
    const value of [
      "Sun, 32 Dec 2026 12:00:30 GMT",
      "Sun, 06 Dec 2026 25:00:30 GMT",
      "Sunday, 06-Xyz-26 08:49:37 GMT",
    ]
  ) {
    assert.equal(parseRetryAfter(value, NOW), undefined, value);
  }
  // A date further than the cap is capped.
  assert.equal(
    parseRetryAfter("Sun, 06 Dec 2026 13:00:00 GMT", NOW),
    MAX_RETRY_AFTER_MS,
  );
});

test("backoff draws below min(capMs, baseMs * 2^(retry - 1)), doubling per retry", () => {
  const top = () => 0.99;
  assert.equal(backoffDelay(1, 200, 10_000, top), 198);
  assert.equal(backoffDelay(2, 200, 10_000, top), 396);
  assert.equal(backoffDelay(3, 200, 10_000, top), 792);
  // The cap holds, however many retries.
  assert.equal(backoffDelay(10, 200, 1_000, top), 990);
  assert.equal(backoffDelay(60, 500, 8_000, top), 7_920);
  // Full jitter: the draw reaches down to zero, and stays below the
  // ceiling, in whole milliseconds rounded down.
  assert.equal(backoffDelay(3, 200, 10_000, () => 0), 0);
  assert.equal(backoffDelay(1, 200, 10_000, () => 0.5001), 100);
  assert.equal(backoffDelay(1, 200, 10_000, () => 0.999999), 199);
});

test("a wait whose signal has already fired rejects at once, and one aborted midway at once too", async () => {
  const started = performance.now();
  await assert.rejects(
    sleep(10_000, AbortSignal.abort("gone")),
    (error) => error instanceof EmbedAbortError && error.cause === "gone",
  );
  const controller = new AbortController();
  const waiting = sleep(10_000, controller.signal);
  controller.abort("later");
  await assert.rejects(
    waiting,
    (error) => error instanceof EmbedAbortError && error.cause === "later",
  );
  assert.ok(performance.now() - started < 1_000);
  // Without a signal, it waits.
  const before = performance.now();
  await sleep(30);
  assert.ok(performance.now() - before >= 29);
});

test("an idempotent request is retried after 408, 429, 500, 502, 503 and 504 only; a non-idempotent one after 429 and 503 only", () => {
  for (let status = 100; status <= 599; status++) {
    assert.equal(
      isRetryableStatus(status, true),
      [408, 429, 500, 502, 503, 504].includes(status),
      `idempotent ${status}`,
    );
    assert.equal(
      isRetryableStatus(status, false),
      [429, 503].includes(status),
      `not idempotent ${status}`,
    );
  }
});

test("an HTTP date whose year is not four digits is no Retry-After", () => {
  assert.equal(
    parseRetryAfter("Sun, 06 Dec 20260 12:00:30 GMT", NOW),
    undefined,
  );
  assert.equal(parseRetryAfter("Sun, 06 Dec 226 12:00:30 GMT", NOW), undefined);
});
