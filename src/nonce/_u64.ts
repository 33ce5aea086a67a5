/**
 * Reading nonce values that come from outside the library (a counter, a
 * Durable Object's answer) as unsigned 64-bit integers.
 *
 * @module
 */

/** The largest `API-Nonce`: 2^64 - 1. */
export const MAX_U64: bigint = (1n << 64n) - 1n;

const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;

/**
 * Reads an unsigned 64-bit integer given as a bigint, a safe-integer number
 * or a decimal string without sign, spaces or leading zeros.
 *
 * @param value What a counter or a Durable Object returned.
 * @returns The value, or `undefined` when it is not such an integer.
 */
export function readU64(value: unknown): bigint | undefined {
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) {
    n = BigInt(value);
  } else if (typeof value === "string" && DECIMAL.test(value)) {
    n = BigInt(value);
  } else return undefined;
  return n >= 0n && n <= MAX_U64 ? n : undefined;
}
