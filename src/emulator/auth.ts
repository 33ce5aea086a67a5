/**
 * Checks the three authentication headers the way the service does: a known
 * `API-Key`, an `API-Sign` that verifies over the request target as received
 * and the exact body bytes (compared in constant time), and an `API-Nonce`
 * that the key has not used.
 *
 * @module
 */

import { importSecretBytes } from "../auth/import_secret.ts";
import { decodeBase64, encodeBase64 } from "../encoding/base64.ts";
import { unknownKey } from "../issue_path.ts";
import { optionValues } from "../option_values.ts";
import { HEADER_TOKEN } from "../client/options.ts";
import { NonceTracker, parseNonce } from "./nonces.ts";
import type { RawRequest } from "./raw_request.ts";
import type { WebCryptoKey } from "../auth/web_crypto_key.ts";

/**
 * One API key and secret the emulator accepts.
 *
 * @example A credential for tests
 * ```ts
 * import type { EmulatorCredential } from "@kraken-embed/client/emulator";
 *
 * const credential: EmulatorCredential = {
 *   apiKey: "test-key",
 *   apiSecret: btoa("any bytes will do"),
 * };
 * ```
 */
export interface EmulatorCredential {
  /** The public API key, as sent in `API-Key`. */
  apiKey: string;
  /** The secret, standard base64, as a client would be given it. */
  apiSecret: string;
}

interface KeyState {
  key: Promise<WebCryptoKey>;
  nonces: NonceTracker;
}

const encoder = new TextEncoder();
const CREDENTIAL: (keyof EmulatorCredential)[] = ["apiKey", "apiSecret"];

/** The error strings of a refused request. */
export const INVALID_KEY = "EAPI:Invalid key";
/** See {@linkcode INVALID_KEY}. */
export const INVALID_SIGNATURE = "EAPI:Invalid signature";
/** See {@linkcode INVALID_KEY}. */
export const INVALID_NONCE = "EAPI:Invalid nonce";

/**
 * Compares a computed value with a received one in time that depends only on
 * the computed value's length, never on where they first differ.
 */
export function constantTimeEqual(expected: string, received: string): boolean {
  let diff = expected.length ^ received.length;
  for (let i = 0; i < expected.length; i++) {
    // Past the end of `received`, charCodeAt is NaN, and NaN | 0 is 0.
    diff |= expected.charCodeAt(i) ^ (received.charCodeAt(i) | 0);
  }
  return diff === 0;
}

/** The `API-Sign` a request with this target, nonce and body must carry. */
async function expectedSign(
  key: WebCryptoKey,
  target: string,
  nonce: string,
  body: Uint8Array,
): Promise<string> {
  const nonceBytes = encoder.encode(nonce);
  const hashed = new Uint8Array(nonceBytes.length + body.length);
  hashed.set(nonceBytes);
  hashed.set(body, nonceBytes.length);
  const digest = await crypto.subtle.digest("SHA-256", hashed);
  const path = encoder.encode(target);
  const message = new Uint8Array(path.length + 32);
  message.set(path);
  message.set(new Uint8Array(digest), path.length);
  return encodeBase64(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, message)),
  );
}

/** The keys an emulator accepts, each with its own nonce history. */
export class Authenticator {
  readonly #keys = new Map<string, KeyState>();

  /**
   * @param credentials The keys and secrets to accept.
   * @param window The nonce window of every key.
   * @throws {TypeError} For a malformed or repeated key, or a secret that is not base64.
   */
  constructor(credentials: readonly EmulatorCredential[], window: bigint) {
    if (!Array.isArray(credentials) || credentials.length === 0) {
      throw new TypeError(
        "credentials: Expected a non-empty array of { apiKey, apiSecret }",
      );
    }
    credentials.forEach((credential, index) => {
      const object = Object(credential) === credential;
      // A misspelt or misplaced name (a nonceWindow given here) is refused,
      // as every options object of the emulator refuses one.
      const unknown = object ? unknownKey(credential, CREDENTIAL) : undefined;
      if (unknown !== undefined) {
        throw new TypeError(
          `credentials[${index}].${unknown}: Unknown option; expected { apiKey, apiSecret }`,
        );
      }
      const { apiKey, apiSecret } = object
        ? optionValues(credential, CREDENTIAL)
        : {} as Partial<EmulatorCredential>;
      if (typeof apiKey !== "string" || !HEADER_TOKEN.test(apiKey)) {
        throw new TypeError(
          `credentials[${index}].apiKey: Expected 1 to 1024 printable ASCII characters without spaces`,
        );
      }
      if (this.#keys.has(apiKey)) {
        throw new TypeError(
          `credentials[${index}].apiKey: Expected each API key once`,
        );
      }
      const bytes = typeof apiSecret === "string"
        ? decodeBase64(apiSecret)
        : undefined;
      if (bytes === undefined || bytes.length === 0) {
        // Never quotes the secret.
        throw new TypeError(
          `credentials[${index}].apiSecret: Expected a non-empty standard base64 string`,
        );
      }
      this.#keys.set(apiKey, {
        key: importSecretBytes(bytes),
        nonces: new NonceTracker(window),
      });
    });
  }

  /** Whether `apiKey` is one of the keys this emulator accepts. */
  knows(apiKey: string): boolean {
    return this.#keys.has(apiKey);
  }

  /**
   * Checks a request's authentication and consumes its nonce when all is
   * well; returns the error string of the first check that fails, or
   * `undefined` when the request is authentic.
   *
   * @param raw The request.
   * @param turn Settles when every request with its key, or to its user,
   * that arrived before this one is done: the nonce is checked and consumed
   * only then, so that requests are judged in the order they arrived, not
   * in the order WebCrypto's thread finished their signatures.
   */
  async verify(
    raw: RawRequest,
    turn: Promise<void>,
  ): Promise<string | undefined> {
    const state = this.#keys.get(raw.headers.get("api-key") ?? "");
    if (state === undefined) return INVALID_KEY;
    const nonceText = raw.headers.get("api-nonce");
    const nonce = parseNonce(nonceText);
    if (nonce === undefined) return INVALID_NONCE;
    const expected = await expectedSign(
      await state.key,
      raw.target,
      nonceText!,
      raw.body,
    );
    if (!constantTimeEqual(expected, raw.headers.get("api-sign") ?? "")) {
      return INVALID_SIGNATURE;
    }
    await turn;
    // Checked and consumed in one synchronous step, after the last await.
    return state.nonces.accept(nonce) ? undefined : INVALID_NONCE;
  }
}
