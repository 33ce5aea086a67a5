/**
 * Whether the runtime's `fetch` may send a plain-http request through a
 * proxy named in the environment: Deno and Bun send even this machine's
 * (`http://127.0.0.1:...`) through `HTTP_PROXY`, where the API key, a
 * signature and a user's personal data would cross the network unencrypted,
 * to whatever host the proxy is. Node's `fetch` uses one only when told to
 * (`NODE_USE_ENV_PROXY=1` or `--use-env-proxy`, in the versions that have
 * them).
 *
 * The runtimes read `NO_PROXY` each their own way (Deno reads `NO_PROXY`
 * even when empty and splits it on commas only, without ports, brackets,
 * `*` for an address or case-folding; Bun reads `no_proxy` first; Node's
 * undici reads `no_proxy` first too, takes `*` only as the whole value, and
 * no networks), so a host counts as exempt only in the forms that all of
 * them exempt: named, as the URL writes it, in every one of `NO_PROXY` and
 * `no_proxy` that is set.
 *
 * @module
 */

import { env, envAsSet } from "./runtime.ts";

// The variables a plain-http request's proxy is read from (ALL_PROXY is
// Deno's and Bun's fallback; Node reads the first two only).
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

function inNode(): boolean {
  const runtime = globalThis as { Deno?: unknown; Bun?: unknown };
  return runtime.Deno === undefined && runtime.Bun === undefined;
}

function proxiesFromEnvironment(): boolean {
  if (!inNode()) return true;
  // Node takes the flag with underscores, quoted in NODE_OPTIONS, and with
  // a value: any mention of it counts (--no-use-env-proxy too, refused
  // rather than read).
  const flag = /use[-_]env[-_]proxy/;
  return env("NODE_USE_ENV_PROXY") === "1" ||
    flag.test(env("NODE_OPTIONS") ?? "") ||
    ((globalThis as { process?: { execArgv?: string[] } }).process?.execArgv ??
      []).some((arg) => flag.test(arg));
}

// Whether one NO_PROXY value exempts `host` (the URL's hostname) in every
// runtime: an entry, between commas, that is the host itself, or for
// `[::1]` the address without brackets (which Node's undici did not exempt
// until a later version: not there).
function exempts(value: string, host: string): boolean {
  const name = host === "[::1]" ? (inNode() ? undefined : "::1") : host;
  // Trimmed of ASCII white space only: Bun keeps a no-break space, Deno a
  // byte order mark, which trim() would take off.
  return value.split(",").some((entry) =>
    entry.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "") === name
  );
}

/**
 * What the runtime's `fetch` may send a request to `url` through, as words
 * for a message (`the proxy in HTTP_PROXY`), or `undefined` when nothing:
 * `url` is not plain http, no proxy variable is set, the runtime does not
 * read them (Node without `NODE_USE_ENV_PROXY=1`), or each `NO_PROXY` and
 * `no_proxy` set names its host. Never a variable's value, which may hold
 * a password. A variable the program may not read (Deno's `--allow-env`
 * without it) counts as set.
 *
 * @param url The base URL the CLI would send to.
 * @returns The proxy it may go through, or `undefined`.
 *
 * @example
 * ```ts ignore
 * // Under Deno, with HTTP_PROXY=http://proxy.corp:3128 and no NO_PROXY:
 * httpProxyFor(new URL("http://127.0.0.1:8080")); // "the proxy in HTTP_PROXY"
 * ```
 */
export function httpProxyFor(url: URL): string | undefined {
  if (url.protocol !== "http:") return undefined;
  try {
    if (!proxiesFromEnvironment()) return undefined;
    const set = PROXY_VARIABLES.filter((name) => env(name) !== undefined);
    if (set.length === 0) return undefined;
    // As set, an empty one included: Deno reads an empty NO_PROXY, and then
    // not no_proxy.
    const exemptions = ["NO_PROXY", "no_proxy"].map(envAsSet)
      .filter((value) => value !== undefined);
    if (
      exemptions.length > 0 &&
      exemptions.every((value) => exempts(value, url.hostname))
    ) {
      return undefined;
    }
    return `the proxy in ${set.join(" or ")}`;
  } catch {
    // Deno without leave to read the environment: its fetch reads it all
    // the same.
    return "a proxy the environment may name (HTTP_PROXY, http_proxy, ALL_PROXY, all_proxy, NO_PROXY and no_proxy cannot be read: allow reading them)";
  }
}
