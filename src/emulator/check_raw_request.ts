/**
 * The check of what an adapter hands `emulator.handle()`: a mistake there
 * (a misspelt `body`, headers as a plain object) is named, rather than
 * failing later inside the emulator as a `TypeError` about `undefined`.
 *
 * @module
 */

import { unknownKey } from "../issue_path.ts";
import type { RawRequest } from "./raw_request.ts";

const KNOWN = ["method", "target", "headers", "body", "signal"];

/**
 * Throws a `TypeError` naming the first field of `value` that is not what a
 * {@linkcode RawRequest} holds, or a name it does not have. `signal` is not
 * read: it may be a getter, read only for a fault with a delay.
 *
 * @param value What `handle()` was given.
 * @throws {TypeError} When `value` is not a {@linkcode RawRequest}.
 *
 * @example
 * ```ts ignore
 * checkRawRequest({ method: "GET", target: "/", headers: new Headers(), bdy: new Uint8Array() });
 * // TypeError: request.bdy: Unknown field (expected method, target, headers, body, signal)
 * ```
 */
export function checkRawRequest(value: unknown): asserts value is RawRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      "request: Expected { method, target, headers, body, signal? }",
    );
  }
  const unknown = unknownKey(value, KNOWN);
  if (unknown !== undefined) {
    throw new TypeError(
      `request.${unknown}: Unknown field (expected ${KNOWN.join(", ")})`,
    );
  }
  const { method, target, headers, body } = value as Record<string, unknown>;
  if (typeof method !== "string") {
    throw new TypeError("request.method: Expected a string");
  }
  if (typeof target !== "string") {
    throw new TypeError("request.target: Expected a string");
  }
  // By shape and tag, not instanceof: a Request from another fetch
  // implementation (undici's package in Node), which emulator.fetch takes,
  // has headers of its own class, and a test runner's realm (Jest) makes
  // Buffers that are no Uint8Array of this one.
  // A Map has get() too, but its names keep their case: the lookups, by
  // lower-case name, would miss, and every request be refused for it.
  if (
    typeof (headers as Headers | undefined)?.get !== "function" ||
    Object.prototype.toString.call(headers) === "[object Map]"
  ) {
    throw new TypeError("request.headers: Expected a Headers");
  }
  if (Object.prototype.toString.call(body) !== "[object Uint8Array]") {
    throw new TypeError(
      "request.body: Expected a Uint8Array of the body's bytes",
    );
  }
}
