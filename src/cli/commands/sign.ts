/**
 * `kraken-embed sign`: computes the authentication headers of one request
 * and prints them with a curl command that sends exactly what was signed,
 * for when the service answers `EAPI:Invalid signature`.
 *
 * @module
 */

import { createNonceGenerator } from "../../auth/nonce.ts";
import { signRequest } from "../../auth/sign_request.ts";
import { DEFAULT_API_VERSION } from "../../client/options.ts";
import { parseArgs, UsageError } from "../args.ts";
import { baseUrl, credentials, readText } from "../config.ts";
import { out } from "../runtime.ts";

/** The command's help. */
export const HELP =
  `Usage: kraken-embed sign --method M --path P [--body FILE|-] [--nonce N] [--base-url URL]

Prints the API-Key, API-Nonce and API-Sign headers of one request, and a curl
command that sends it. The signature covers the path (with its query string),
the nonce and the body bytes exactly as given: compare them with what your
code sends when the service answers EAPI:Invalid signature.

Options:
  --method M       GET, POST, PUT, PATCH or DELETE
  --path P         the request target as sent, from the first /, percent-encoded,
                   query string included: /b2b/users/AA95%20N84G%20TEST%20XXXX
  --body FILE|-    the body, read from FILE or from stdin (-); none by default
  --nonce N        the nonce (default: microseconds since the epoch)
  --base-url URL   where curl sends it (default $KRAKEN_EMBED_BASE_URL, else
                   https://nexus.kraken.com); a path prefix in it is signed too
  -h, --help       show this help

Environment: KRAKEN_EMBED_API_KEY, KRAKEN_EMBED_API_SECRET (never printed).
`;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Quotes a string for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Runs the command; resolves with the exit code. */
export async function signCommand(argv: readonly string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, {
    method: "string",
    path: "string",
    body: "string",
    nonce: "string",
    "base-url": "string",
  });
  if (flags.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  }
  const method = flags.method?.toUpperCase();
  if (method === undefined || !METHODS.includes(method)) {
    throw new UsageError(`--method expects one of ${METHODS.join(", ")}`);
  }
  if (flags.path === undefined || !flags.path.startsWith("/")) {
    throw new UsageError("--path expects the request target, starting with /");
  }
  let url: URL | undefined;
  try {
    url = new URL(baseUrl(flags["base-url"]));
  } catch {
    // Refused below.
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new UsageError("--base-url expects an absolute http(s) URL");
  }
  const { apiKey, apiSecret } = credentials();
  const body = flags.body === undefined
    ? undefined
    : await readText(flags.body, "--body");
  const nonce = flags.nonce ?? createNonceGenerator()();
  const path = url.pathname.replace(/\/+$/, "") + flags.path;
  const sign = await signRequest({ secret: apiSecret, nonce, path, body });

  const curl = [
    `curl --request ${method}`,
    `--url ${shellQuote(url.origin + path)}`,
    `--header ${shellQuote(`API-Key: ${apiKey}`)}`,
    `--header ${shellQuote(`API-Nonce: ${nonce}`)}`,
    `--header ${shellQuote(`API-Sign: ${sign}`)}`,
    `--header ${shellQuote(`Payward-Version: ${DEFAULT_API_VERSION}`)}`,
  ];
  if (body !== undefined) {
    curl.push(`--header ${shellQuote("Content-Type: application/json")}`);
    curl.push(`--data-raw ${shellQuote(body)}`);
  }
  out(
    `API-Key: ${apiKey}\nAPI-Nonce: ${nonce}\nAPI-Sign: ${sign}\n\n` +
      `Signed path: ${path}\n` +
      `Body: ${
        body === undefined
          ? "none"
          : `${new TextEncoder().encode(body).length} bytes`
      }\n\n` +
      `${curl.join(" \\\n  ")}\n`,
  );
  return 0;
}
