/**
 * The request the emulator judges: the request target exactly as it was on
 * the request line and the body's exact bytes, which a `Request` cannot
 * always carry (URL parsing rewrites some targets).
 *
 * @module
 */

import { requestTarget } from "./target.ts";

// The node:http adapter takes the target of an absolute-form request line
// from here.
export { targetOf } from "./target.ts";

/**
 * The largest body the emulator accepts, in bytes (64 KiB); a larger one
 * sent with GET or PATCH to `/b2b/users/{user}` is answered 413 (after the
 * route and method checks, which answer 404 or 405 first; a queued fault
 * comes before all of them).
 *
 * @example A body just too large
 * ```ts
 * import { MAX_BODY_BYTES } from "@kraken-embed/client/emulator";
 *
 * const tooLarge = "x".repeat(MAX_BODY_BYTES + 1);
 * ```
 */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * A request as it arrived, for {@linkcode Emulator.handle}: what an adapter
 * for a server without a fetch handler (node:http) builds from the request
 * line, headers and body.
 *
 * @example A request built by hand
 * ```ts
 * import type { RawRequest } from "@kraken-embed/client/emulator";
 *
 * const raw: RawRequest = {
 *   method: "GET",
 *   target: "/b2b/users/AA95%20N84G%20TEST%20XXXX",
 *   headers: new Headers({ "API-Key": "key" }),
 *   body: new Uint8Array(0),
 * };
 * ```
 */
export interface RawRequest {
  /** The HTTP method, e.g. `PATCH`. */
  method: string;
  /**
   * The request target as on the request line, in origin form: path and
   * query, starting with `/`. A fragment (`#...`) is dropped; a target that
   * does not start with `/`, or a `Host` header that is not a host and
   * optional port, is answered 400 `EGeneral:Bad request`.
   */
  target: string;
  /** The request headers. */
  headers: Headers;
  /**
   * The body's bytes exactly as received. An adapter may stop reading after
   * {@linkcode MAX_BODY_BYTES} + 1 bytes: the answer is 413 either way.
   */
  body: Uint8Array;
  /**
   * Fires when the client goes away; cuts an injected delay short. Read
   * only for a fault with a delay, so it may be a getter.
   */
  signal?: AbortSignal | undefined;
}

/**
 * A `Request` as a {@linkcode RawRequest} without its body, at once: read
 * the body into it with {@linkcode readBody}. Its `signal` reads
 * `request.signal` only when asked for.
 */
export function rawHead(request: Request): RawRequest {
  return {
    method: request.method,
    target: requestTarget(request),
    headers: request.headers,
    body: new Uint8Array(0),
    // Read only when an injected delay needs it: Deno.serve warns about its
    // legacy abort behaviour whenever a handler reads request.signal.
    get signal() {
      return request.signal;
    },
  };
}

/**
 * Reads a `Request`'s body into `raw.body`, stopping after
 * {@linkcode MAX_BODY_BYTES} + 1 bytes (enough to know it is too large) and
 * not reading at all when Content-Length already says so.
 *
 * @throws {TypeError} When the body stream fails, or when the request has no
 * body but its headers say one was sent (`Deno.serve` and `Bun.serve` hand a
 * GET's body over as none): its bytes cannot be judged.
 */
export async function readBody(
  request: Request,
  raw: RawRequest,
): Promise<void> {
  const declared = declaredLength(request.headers);
  if (declared > MAX_BODY_BYTES) return;
  if (request.body === null) {
    if (declared > 0 || request.headers.has("transfer-encoding")) {
      throw new TypeError("Expected the body the headers declare");
    }
    return;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  raw.body = concat(chunks, total);
}

/** The Content-Length header as a number; -1 when absent or not a number. */
export function declaredLength(headers: Headers): number {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value) ? Number(value) : -1;
}

/** Joins byte chunks into one `ArrayBuffer`-backed array. */
export function concat(
  chunks: readonly Uint8Array[],
  total: number = chunks.reduce((sum, chunk) => sum + chunk.length, 0),
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
