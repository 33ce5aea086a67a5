/**
 * `kraken-embed emulator`: serves the emulator on 127.0.0.1 with throwaway
 * credentials and one seeded user, printing one line per request, until
 * SIGINT or SIGTERM.
 *
 * @module
 */

import { API_VERSION } from "../../client/options.ts";
import { createEmulator } from "../../emulator/mod.ts";
import { loggedTarget } from "../../emulator/log.ts";
import { MAX_BODY_BYTES } from "../../emulator/raw_request.ts";
import { parseArgs, unexpectedArgument, UsageError } from "../args.ts";
import { BASE_URL_VARIABLE, KEY_VARIABLE, SECRET_VARIABLE } from "../config.ts";
import { keepServing, onStop, out, serve } from "../runtime.ts";
import { generateCredentials, SEED, SEEDED_USER } from "../seed.ts";

/** The port when `--port` is not given. */
export const DEFAULT_PORT = 8787;

/** The command's help. */
export const HELP =
  `Usage: kraken-embed emulator [--port N] [--nonce-window N] [--api-versions V,...]

Serves an offline emulator of PATCH and GET /b2b/users/{user} on 127.0.0.1.
It checks API-Key, API-Sign and API-Nonce as the service does, validates
bodies with the library's schemas, and prints one line per request. It prints
a throwaway API key and secret made for this run, and the seeded user.
Stop it with Ctrl+C (SIGINT) or SIGTERM.

Options:
  --port N           the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --nonce-window N   accept nonces less than N below the highest seen, once each (default 0)
  --api-versions V,...
                     the Payward-Version values taken when the header is sent
                     (default 2025-04-15; sign, users and demo send 2025-04-15)
  -h, --help         show this help
`;

// The value is not quoted in the refusal: a secret pasted after the flag
// would reach stderr.
function integer(value: string, option: string, max: bigint): bigint {
  if (!/^\d{1,20}$/.test(value) || BigInt(value) > max) {
    throw new UsageError(`${option} expects an integer from 0 to ${max}`);
  }
  return BigInt(value);
}

/** The error strings of an answer's body, comma-separated; "" when none. */
function errorsIn(text: string): string {
  try {
    const { error } = JSON.parse(text);
    return Array.isArray(error) ? error.join(", ") : "";
  } catch {
    return "";
  }
}

/** Runs the command; resolves with the exit code once stopped. */
export async function emulatorCommand(
  argv: readonly string[],
): Promise<number> {
  const parsed = parseArgs(argv, {
    port: "string",
    "nonce-window": "string",
    "api-versions": "string",
  }, "emulator");
  const { flags } = parsed;
  if (flags.help) {
    out(HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) {
    throw unexpectedArgument(parsed, "emulator");
  }
  const port = Number(
    integer(flags.port ?? String(DEFAULT_PORT), "--port", 65535n),
  );
  const nonceWindow = integer(
    flags["nonce-window"] ?? "0",
    "--nonce-window",
    (1n << 64n) - 1n,
  );
  const apiVersions = flags["api-versions"]?.split(",");
  if (
    apiVersions !== undefined &&
    !apiVersions.every((version) => API_VERSION.test(version))
  ) {
    throw new UsageError(
      "--api-versions expects versions like 2025-04-15, separated by commas",
    );
  }
  const credential = generateCredentials();
  const emulator = createEmulator({
    credentials: [credential],
    users: [SEED],
    nonceWindow,
    apiVersions,
  });

  // Its log's reader may leave (a harness reads the banner and closes the
  // pipe): the emulator serves on.
  keepServing();
  // Listen for the signals before the banner: a script may send one as soon as it reads it.
  let unlisten = () => {};
  const stopped = new Promise<void>((resolve) => (unlisten = onStop(resolve)));
  let server;
  try {
    server = await serve(async (raw) => {
      const response = await emulator.handle(raw);
      const errors = errorsIn(await response.clone().text());
      out(
        `${raw.method} ${loggedTarget(raw.target)} -> ${response.status}${
          errors ? ` ${errors}` : ""
        }\n`,
      );
      return response;
    }, { hostname: "127.0.0.1", port, maxBodyBytes: MAX_BODY_BYTES });
  } catch (error) {
    unlisten();
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `port ${port} is in use: pick another with --port, or --port 0 for any free one`,
      );
    }
    throw error;
  }

  out(
    `Kraken Embed emulator listening on ${server.url}\n\n` +
      `Throwaway credentials, made for this run only:\n` +
      `  export ${BASE_URL_VARIABLE}=${server.url}\n` +
      `  export ${KEY_VARIABLE}=${credential.apiKey}\n` +
      `  export ${SECRET_VARIABLE}=${credential.apiSecret}\n\n` +
      `Seeded user: ${SEEDED_USER}\n` +
      `Try: kraken-embed users get "${SEEDED_USER}"\n` +
      `Nonce window: ${nonceWindow}. Stop with Ctrl+C.\n\n`,
  );

  await stopped;
  await server.close();
  out("Emulator stopped.\n");
  return 0;
}
