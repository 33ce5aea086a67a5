/**
 * Standard base64 (RFC 4648 §4) for byte arrays, without a dependency.
 *
 * Uses `Uint8Array.fromBase64` / `toBase64` where the runtime has them and
 * `atob` / `btoa` elsewhere; both paths give the same result.
 *
 * @module
 */

// With a length that is a multiple of 4, exactly RFC 4648's padded form. No
// repeated group: V8 runs out of stack on one over a text of megabytes.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type WithBase64 = {
  toBase64?: (this: Uint8Array) => string;
};
type WithFromBase64 = {
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
};

/**
 * Encodes bytes as standard, padded base64.
 *
 * @param bytes The bytes to encode.
 * @returns The base64 text.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from "./base64.ts";
 * encodeBase64(new TextEncoder().encode("hi")); // "aGk="
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  const native = (Uint8Array.prototype as WithBase64).toBase64;
  if (native) return native.call(bytes);
  let binary = "";
  // Chunks keep String.fromCharCode's argument list well under engine limits.
  // `apply` takes the typed array as it is: a spread (`...bytes`) goes
  // through its iterator, which took Node 20 1.2 µs for a 64-byte signature
  // against 0.2 µs.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(
      null,
      bytes.subarray(i, i + 0x8000) as unknown as number[],
    );
  }
  return btoa(binary);
}

/**
 * Decodes standard, padded base64, or returns `undefined` when the text is not
 * exactly that (no whitespace, no URL-safe alphabet, correct padding).
 *
 * Returning `undefined` rather than throwing lets the caller raise an error
 * that never quotes the text, which is usually a secret.
 *
 * @param text The base64 text.
 * @returns The decoded bytes, or `undefined` when `text` is not valid base64.
 *
 * @example
 * ```ts
 * import { decodeBase64 } from "./base64.ts";
 * decodeBase64("aGk="); // Uint8Array [104, 105]
 * decodeBase64("not base64!"); // undefined
 * ```
 */
export function decodeBase64(
  text: string,
): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 || !BASE64.test(text)) return undefined;
  const native = (Uint8Array as WithFromBase64).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
