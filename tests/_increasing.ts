// Strict order of nonces, shared by the nonce-source tests.
import assert from "node:assert/strict";

/** Whether every value is above the one before it. */
export function isIncreasing(values: readonly bigint[]): boolean {
  return values.every((value, i) => i === 0 || value > values[i - 1]);
}

/** Fails, naming the first pair out of order, unless the values strictly increase. */
export function assertIncreasing(
  values: readonly bigint[],
  what: string,
): void {
  for (let i = 1; i < values.length; i++) {
    assert.ok(
      values[i] > values[i - 1],
      `${what}: ${values[i]} after ${values[i - 1]}`,
    );
  }
}
