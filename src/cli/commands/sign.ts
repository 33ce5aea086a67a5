/**
 * `kraken-embed sign`: computes the authentication headers of one request
 * and prints them with a curl command that sends exactly what was signed,
 * for when the service answers `EAPI:Invalid signature`.
 *
 * @module
 */

import { createNonceGenerator } from "../../auth/nonce.ts";
import { nonceText, signRequest } from "../../auth/sign_request.ts";
import { DEFAULT_API_VERSION } from "../../client/options.ts";
import { parseArgs, unexpectedArgument, UsageError } from "../args.ts";
import { baseUrl, credentials, readText } from "../config.ts";
import { out } from "../runtime.ts";
import { curlData, shellQuote } from "../shell_quote.ts";

/** The command's help. */
export const HELP =
  `Usage: kraken-embed sign --method M --path P [--body FILE|-] [--nonce N] [--base-url URL]
                         [--allow-insecure-http]

Prints the API-Key, API-Nonce and API-Sign headers of one request, and a curl
command that sends it. The signature covers the path (with its query string),
the nonce and the body bytes exactly as given: compare them with what your
code sends when the service answers EAPI:Invalid signature.

The curl command is for a POSIX shell (sh, bash, zsh; not fish, PowerShell or
cmd) and sends the body's bytes exactly. A body with a character a terminal
would not show as it is (a control character such as an escape, a NUL, a
carriage return or a tab; a direction override, a zero-width or no-break
space, a byte order mark) or a line ending in a space is piped to curl by
printf, those characters spelled as printf escapes (\\t, \\n, \\033).

Options:
  --method M       GET, POST, PUT, PATCH or DELETE
  --path P         the request target as sent, from the first /, percent-encoded,
                   query string included: /b2b/users/AA95%20N84G%20TEST%20XXXX
                   (refused if a URL would send it otherwise)
  --body FILE|-    the body, read from FILE or from stdin (-); none by default
  --nonce N        the nonce, a decimal integer from 0 to 2^64 - 1 (default:
                   microseconds since the epoch)
  --base-url URL   where curl sends it (default $KRAKEN_EMBED_BASE_URL, else
                   https://nexus.kraken.com); a path prefix in it is signed too,
                   no query string, fragment or credentials; https, or http to
                   localhost, 127.0.0.0/8 or [::1]
  --allow-insecure-http  let the base URL (--base-url or $KRAKEN_EMBED_BASE_URL)
                   be http to any host
  -h, --help       show this help

Environment: KRAKEN_EMBED_API_KEY, KRAKEN_EMBED_API_SECRET (never printed).
`;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * The request target a URL sends for `path`: the same string when it is one,
 * else its normalized form (spaces and non-ASCII percent-encoded, dot
 * segments and backslashes resolved, the fragment and an empty query's `?`
 * dropped), or `undefined` when it does not parse. The form signRequest
 * holds a path to: Node's fetch sends `/x?` as `/x`, while Deno's, Bun's and
 * curl send the `?`, so no signature of either would verify everywhere.
 * signRequest's own check (asSent in src/auth/sign_request.ts) is written
 * inline rather than shared from there: as a function of its own it takes
 * the signRequest bundle to 1,503 B, over issue 3's 1,500 B.
 */
function sentForm(path: string): string | undefined {
  try {
    const url = new URL("http://h" + path);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

/** Runs the command; resolves with the exit code. */
export async function signCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, {
    method: "string",
    path: "string",
    body: "string",
    nonce: "string",
    "base-url": "string",
    "allow-insecure-http": "boolean",
  }, "sign");
  const { flags } = parsed;
  if (flags.help) {
    out(HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) {
    throw unexpectedArgument(parsed, "sign");
  }
  const method = flags.method?.toUpperCase();
  if (method === undefined || !METHODS.includes(method)) {
    throw new UsageError(`--method expects one of ${METHODS.join(", ")}`);
  }
  if (flags.path === undefined || !/^\/(?!\/)/.test(flags.path)) {
    throw new UsageError(
      "--path expects the request target, starting with one / (Bun's fetch sends a leading // as /)",
    );
  }
  const sent = sentForm(flags.path);
  if (sent !== flags.path) {
    // Where a URL would change it, not how: the path may hold what must not
    // reach a log (a query's token, a secret pasted in the wrong place).
    let at = 0;
    while (sent !== undefined && sent[at] === flags.path[at]) at++;
    throw new UsageError(
      sent === undefined
        ? "--path is not a request target as sent"
        : `--path is not a request target as sent: a URL changes it from character ${
          at + 1
        } (percent-encode spaces and non-ASCII; leave out dot segments, a fragment and an empty query)`,
    );
  }
  const url = baseUrl(flags);
  const { apiKey, apiSecret } = credentials();
  if (flags.nonce !== undefined) {
    try {
      nonceText(flags.nonce);
    } catch {
      throw new UsageError(
        "--nonce expects a decimal integer from 0 to 18446744073709551615, without leading zeros",
      );
    }
  }
  const body = flags.body === undefined
    ? undefined
    : await readText(flags.body, "--body");
  const nonce = flags.nonce ?? createNonceGenerator()();
  const path = url.pathname.replace(/\/+$/, "") + flags.path;
  const sign = await signRequest({ secret: apiSecret, nonce, path, body });

  const curl = [
    // --globoff: {} and [] are sent as they are, not globbed; --path-as-is:
    // /../ and /./ are sent, not resolved. The signed target is checked above.
    `curl --globoff --path-as-is --request ${method}`,
    `--url ${shellQuote(url.origin + path)}`,
    `--header ${shellQuote(`API-Key: ${apiKey}`)}`,
    `--header ${shellQuote(`API-Nonce: ${nonce}`)}`,
    `--header ${shellQuote(`API-Sign: ${sign}`)}`,
    `--header ${shellQuote(`Payward-Version: ${DEFAULT_API_VERSION}`)}`,
  ];
  const data = body === undefined ? undefined : curlData(body);
  if (data !== undefined) {
    curl.push(`--header ${shellQuote("Content-Type: application/json")}`);
    curl.push(data.option);
  }
  out(
    `API-Key: ${apiKey}\nAPI-Nonce: ${nonce}\nAPI-Sign: ${sign}\n\n` +
      `Signed path: ${path}\n` +
      `Body: ${
        body === undefined
          ? "none"
          : `${new TextEncoder().encode(body).length} bytes`
      }\n\n` +
      `${data?.pipe ? `${data.pipe} |\n  ` : ""}${curl.join(" \\\n  ")}\n`,
  );
  return 0;
}
