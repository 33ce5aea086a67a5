/**
 * Where the commands that talk to the API find their settings: credentials
 * in the environment (never in arguments, which shell history and process
 * listings keep), the base URL in `--base-url` or the environment, and
 * bodies in a file or stdin.
 *
 * @module
 */

import { decodeSecret } from "../auth/import_secret.ts";
import { HEADER_TOKEN, parseBaseUrl } from "../client/options.ts";
import { UsageError } from "./args.ts";
import { httpProxyFor } from "./proxy.ts";
import { env, InputTooLarge, readFile, readStdin } from "./runtime.ts";

/** The environment variable of the API key. */
export const KEY_VARIABLE = "KRAKEN_EMBED_API_KEY";
/** The environment variable of the API secret. */
export const SECRET_VARIABLE = "KRAKEN_EMBED_API_SECRET";
/** The environment variable of the base URL. */
export const BASE_URL_VARIABLE = "KRAKEN_EMBED_BASE_URL";
/** The base URL when none is given. */
export const DEFAULT_BASE_URL = "https://nexus.kraken.com";

function required(name: string): string {
  const value = env(name);
  if (value === undefined) {
    throw new UsageError(
      `${name} is not set: export your API credentials (or the ones "kraken-embed emulator" prints)`,
    );
  }
  return value;
}

/**
 * The API key and secret from the environment, refused by the variable's
 * name (not quoted) when the client could not use them.
 *
 * @throws {UsageError} When either is not set or not usable.
 */
export function credentials(): { apiKey: string; apiSecret: string } {
  const apiKey = required(KEY_VARIABLE);
  // Sent as a header, and printed by sign in one and in a curl command: a
  // line break or an escape in it would forge or garble them.
  if (!HEADER_TOKEN.test(apiKey)) {
    throw new UsageError(
      `${KEY_VARIABLE} expects 1 to 1024 printable ASCII characters without spaces or line breaks (it is sent as a header)`,
    );
  }
  const apiSecret = required(SECRET_VARIABLE);
  try {
    decodeSecret(apiSecret, SECRET_VARIABLE).fill(0);
  } catch {
    throw new UsageError(
      `${SECRET_VARIABLE} expects the secret as Kraken issued it: non-empty standard base64 (A-Z a-z 0-9 + / =, no whitespace)`,
    );
  }
  return { apiKey, apiSecret };
}

/**
 * The API key and secret the environment holds, those set: what the CLI
 * takes out of any text from outside that it prints (a fetch's errors).
 */
export function credentialValues(): string[] {
  return [env(KEY_VARIABLE), env(SECRET_VARIABLE)].filter((value) =>
    value !== undefined
  );
}

/**
 * `--base-url`, else the environment, else production, checked as the
 * client checks its `baseUrl` (`--allow-insecure-http` lets it be http to
 * any host), with a refusal that names where it came from.
 *
 * @param flags The command's flags.
 * @throws {UsageError} When the client would refuse it.
 */
export function baseUrl(flags: Record<string, string>): URL {
  const flag = flags["base-url"];
  const variable = env(BASE_URL_VARIABLE);
  const option = flag === undefined && variable !== undefined
    ? BASE_URL_VARIABLE
    : "--base-url";
  return parseBaseUrl(
    flag ?? variable ?? DEFAULT_BASE_URL,
    (expected) => {
      throw new UsageError(`${option} expects ${expected}`);
    },
    flags["allow-insecure-http"] !== undefined,
    "--allow-insecure-http",
  );
}

/**
 * {@linkcode baseUrl}, for a command that sends to it with the runtime's
 * `fetch`: plain http is taken to this machine only, and through a proxy
 * from the environment it would cross the network unencrypted, so it is
 * refused there too, unless `--allow-insecure-http`. (`sign` sends nothing:
 * the curl command it prints follows curl's own proxy settings.)
 *
 * @param flags The command's flags.
 * @throws {UsageError} When the client would refuse it, or a proxy would
 * carry it.
 */
export function sendingBaseUrl(flags: Record<string, string>): URL {
  const url = baseUrl(flags);
  const proxy = flags["allow-insecure-http"] !== undefined
    ? undefined
    : httpProxyFor(url);
  if (proxy !== undefined) {
    const option = flags["base-url"] === undefined &&
        env(BASE_URL_VARIABLE) !== undefined
      ? BASE_URL_VARIABLE
      : "--base-url";
    throw new UsageError(
      `${option} is plain http, which this runtime's fetch may send unencrypted through ${proxy} (Deno and Bun send even this machine's requests through it): name the host in NO_PROXY (NO_PROXY=localhost,127.0.0.1,::1, and no_proxy the same if set), or pass --allow-insecure-http if that proxy may see the API key and users' data`,
    );
  }
  return url;
}

/**
 * Reads a body from a file, or from stdin for `-`, as UTF-8 text.
 *
 * @param source The file path or `-`.
 * @param option The option it came from, for messages: `--data`, `--body`.
 * @throws {UsageError} When it cannot be read, is over 16 MiB or is not
 * UTF-8.
 */
export async function readText(
  source: string,
  option: string,
): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = source === "-" ? await readStdin() : await readFile(source);
  } catch (error) {
    if (error instanceof InputTooLarge) {
      throw new UsageError(`${option}: the body is over 16 MiB`);
    }
    // The file name is not quoted: the likeliest mistake is the body itself
    // in its place, which may hold a user's personal data.
    const code = (error as { code?: string }).code;
    throw new UsageError(
      `${option}: cannot read ${source === "-" ? "stdin" : "the file given"}${
        code ? ` (${code})` : ""
      }${
        /^\s*[[{]/.test(source)
          ? ": it takes a file name, or - for stdin, not the JSON itself"
          : ""
      }`,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      bytes,
    );
  } catch {
    throw new UsageError(`${option}: the body is not UTF-8 text`);
  }
}
