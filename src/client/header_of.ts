/**
 * Reading one header of an answer, whatever its `headers.get()` does.
 *
 * @module
 */

import type { EmbedFetchResponse } from "./options.ts";

/**
 * The header `name` of an answer, or `null`: a value its `get()` gives as
 * anything but a string (undefined, from a look-alike's plain object), or
 * throws on, is read as absent. Any answer's, a `Response`'s too: a test
 * double or a fetch wrapper may have replaced its headers' `get()`. The
 * client reads only x-trace-id and Retry-After, for an error or a retry,
 * which an answer can do without; refusing the answer for them, after the
 * request was sent, would hide one that may have acted. Read where they
 * are needed, so a success reads no header. Internal, not exported by the
 * package.
 */
export function headerOf(
  headers: EmbedFetchResponse["headers"],
  name: string,
): string | null {
  try {
    const value = headers.get(name);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
