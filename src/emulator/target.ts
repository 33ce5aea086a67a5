/**
 * Where the request target is: the path and query of a URL string or of a
 * `Request` as a server built it, and which requests have none that can be
 * told for sure (malformed, answered 400 `EGeneral:Bad request`, never
 * judged as a route).
 *
 * @module
 */

import type { RawRequest } from "./raw_request.ts";

// RFC 3986's host (3.2.2: a reg-name or IPv4 address of unreserved,
// sub-delims and percent-encoded characters, or an IP literal in brackets)
// and an optional port: what an authority or a Host header (RFC 9110, 7.2)
// may hold. No userinfo, which RFC 9110, 4.2.4, says to treat as an error;
// no `/`, `?`, `#` or `\`, which would move where the path starts.
const REG_NAME = String.raw`(?:[\w.~!$&'()*+,;=-]|%[\dA-Fa-f]{2})*`;
const IP_LITERAL = String.raw`\[(?:[\w.~!$&'()*+,;=:-]|%[\dA-Fa-f]{2})+\]`;
const HOST_AND_PORT = new RegExp(`^(?:${IP_LITERAL}|${REG_NAME})(?::\\d*)?$`);
/** A URL's scheme and `//`, as an absolute-form target begins. */
export const SCHEME = /^[A-Za-z][A-Za-z\d+.-]*:\/\//;

function withoutFragment(target: string): string {
  const hash = target.indexOf("#");
  return hash === -1 ? target : target.slice(0, hash);
}

/**
 * The request target of a URL string, taken from the string as it is rather
 * than re-serialized, so that a server which keeps the target as received
 * (Deno.serve does) passes it through unchanged: the path and query, which
 * start where the authority ends, at its first `/`, `?` or `#` (an empty
 * path is `/`: `http://h?x=/a` gives `/?x=/a`). The fragment, never sent by
 * a fetch, is dropped. An origin-form target (`/...`) is taken the same way.
 *
 * Anything else is returned as it is: a string without a scheme, or a URL
 * whose authority is not a host and optional port (empty, userinfo, a space,
 * `\`, ...), since its path cannot be told for sure. Not starting with `/`,
 * it is refused as malformed rather than judged as a route.
 *
 * @param url An absolute URL such as `request.url`, or a request target.
 * @returns The target in origin form, or `url` itself when it has none.
 *
 * @example
 * ```ts ignore
 * targetOf("http://127.0.0.1:8787/b2b/users/A%20B?q=1#top"); // "/b2b/users/A%20B?q=1"
 * targetOf("http://h?x=/b2b/users/A"); // "/?x=/b2b/users/A"
 * targetOf("http://a@h/b2b/users/A"); // "http://a@h/b2b/users/A": malformed
 * ```
 */
export function targetOf(url: string): string {
  if (url.startsWith("/")) return withoutFragment(url);
  const scheme = SCHEME.exec(url);
  if (scheme === null) return url;
  const start = scheme[0].length;
  const length = url.slice(start).search(/[/?#]/);
  const end = length === -1 ? url.length : start + length;
  // An empty host is no host (RFC 9110, 4.2.1: such a URI is invalid).
  if (end === start || !HOST_AND_PORT.test(url.slice(start, end))) return url;
  const target = withoutFragment(url.slice(end));
  return target.startsWith("/") ? target : `/${target}`;
}

/**
 * The request target of a `Request`, by {@linkcode targetOf}, or its whole
 * URL (malformed) when its Host header is not a host and optional port:
 * Deno.serve builds `request.url` from that header, which then leaves no
 * telling where the path starts (a Host of `x/b2b/users/A?` makes a request
 * for `/anything` look like one for `/b2b/users/A?/anything`).
 */
export function requestTarget(request: Request): string {
  const host = request.headers.get("host");
  return host === null || HOST_AND_PORT.test(host)
    ? targetOf(request.url)
    : request.url;
}

/**
 * The request as the emulator judges it, or `undefined` for a malformed
 * one: a target not in origin form, or a Host header that is not a host and
 * optional port (RFC 9112, 3.2: a 400). Its target loses any fragment: a
 * fetch never sends one, and a raw `#` on the request line, which
 * Deno.serve keeps in `request.url` for {@linkcode targetOf} to drop, is
 * dropped here from node:http's target too, so one signature passes both.
 * A copy made for that reads `raw.signal` only when asked for it.
 */
export function wellFormed(raw: RawRequest): RawRequest | undefined {
  const host = raw.headers.get("host");
  if (
    !raw.target.startsWith("/") ||
    (host !== null && !HOST_AND_PORT.test(host))
  ) {
    return undefined;
  }
  const target = withoutFragment(raw.target);
  if (target === raw.target) return raw;
  const { method, headers, body } = raw;
  return {
    method,
    target,
    headers,
    body,
    get signal() {
      return raw.signal;
    },
  };
}
