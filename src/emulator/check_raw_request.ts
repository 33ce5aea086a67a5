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

// Every header the emulator reads, by the lower-case name it asks for.
const HEADERS = [
  "api-key",
  "api-nonce",
  "api-sign",
  "content-type",
  "content-encoding",
  "content-length",
  "host",
  "payward-version",
  "kraken-version",
];

/**
 * Throws a `TypeError` naming the first field of `value` that is not what a
 * {@linkcode RawRequest} holds, or a name it does not have, and returns it
 * with headers whose `get()` answers `null` where the adapter's answers
 * `undefined` (`(name) => req.headers[name]` for a header not sent) and
 * throws a `TypeError` naming the header where it answers anything else but
 * a string; the headers the emulator reads are read at once, so that such
 * a refusal comes before the request takes a queued fault. `signal` is not
 * read: it may be a getter, read only for a fault with a delay.
 *
 * @param value What `handle()` was given.
 * @returns The request to handle.
 * @throws {TypeError} When `value` is not a {@linkcode RawRequest}.
 *
 * @example
 * ```ts ignore
 * checkRawRequest({ method: "GET", target: "/", headers: new Headers(), bdy: new Uint8Array() });
 * // TypeError: request.bdy: Unknown field (expected method, target, headers, body, signal)
 * ```
 */
export function checkRawRequest(value: unknown): RawRequest {
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
  const given = value as RawRequest;
  const read = (name: string): string | null => {
    const header: unknown = given.headers.get(name);
    if (header === undefined || header === null) return null;
    if (typeof header !== "string") {
      throw new TypeError(
        `request.headers: Expected get("${name}") to return a string, null or undefined`,
      );
    }
    return header;
  };
  // The headers the emulator reads, read now: one the adapter answers
  // wrongly is refused before the request takes a queued fault or a turn,
  // and each is read once, whatever a getter would answer the next time.
  const known = new Map(HEADERS.map((name) => [name, read(name)]));
  return {
    method: method as string,
    target: target as string,
    body: body as Uint8Array,
    headers: {
      get: (name: string) =>
        known.has(name) ? known.get(name) ?? null : read(name),
    } as Headers,
    get signal() {
      return given.signal;
    },
  };
}
