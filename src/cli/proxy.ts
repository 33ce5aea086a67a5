/**
 * Whether the runtime's `fetch` would send a plain-http request through a
 * proxy named in the environment: Deno and Bun send even this machine's
 * (`http://127.0.0.1:...`) through `HTTP_PROXY`, where the API key, a
 * signature and a user's personal data would cross the network unencrypted,
 * to whatever host the proxy is. Node's `fetch` uses one only when told to
 * (`NODE_USE_ENV_PROXY=1` or `--use-env-proxy`, in the versions that have
 * them).
 *
 * @module
 */

import { env } from "./runtime.ts";

// The variables a plain-http request's proxy is read from, in the order the
// runtimes look (upper case, then lower; ALL_PROXY as Deno's fallback).
const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
];

function proxiesFromEnvironment(): boolean {
  const runtime = globalThis as { Deno?: unknown; Bun?: unknown };
  if (runtime.Deno !== undefined || runtime.Bun !== undefined) return true;
  return env("NODE_USE_ENV_PROXY") === "1" ||
    /(?:^|\s)--use-env-proxy(?:\s|=|$)/.test(env("NODE_OPTIONS") ?? "") ||
    (globalThis as { process?: { execArgv?: string[] } }).process?.execArgv
        ?.includes("--use-env-proxy") === true;
}

// The IPv4 address as a number, or undefined.
function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) {
    return undefined;
  }
  const bytes = parts.map(Number);
  return bytes.some((b) => b > 255)
    ? undefined
    : bytes.reduce((n, b) => n * 256 + b, 0);
}

// Whether one NO_PROXY entry covers `host` (`port` the URL's, or its
// default): `*`; the host itself, with or without its port; a domain and its
// subdomains (`localhost`, `.example.test`); an IPv4 network
// (`127.0.0.0/8`). An entry read otherwise by a runtime (an IPv6 network)
// does not count: the request is refused, not sent in plain text.
function covers(entry: string, host: string, port: string): boolean {
  if (entry === "*") return true;
  const [, name = entry, entryPort] =
    /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(entry) ?? [];
  if (entryPort !== undefined && entryPort !== port) return false;
  const bare = (text: string) => text.replace(/^\[|\]$/g, "");
  const wanted = bare(name).replace(/^\*?\./, "");
  if (bare(host) === wanted) return true;
  if (ipv4(host) === undefined && host.endsWith("." + wanted)) return true;
  const network = /^(.+)\/(\d{1,2})$/.exec(wanted);
  const address = ipv4(host);
  if (network && address !== undefined) {
    const base = ipv4(network[1]);
    const bits = Number(network[2]);
    if (base === undefined || bits > 32) return false;
    const size = 2 ** (32 - bits);
    return Math.floor(address / size) === Math.floor(base / size);
  }
  return false;
}

/**
 * The name of the environment variable whose proxy the runtime's `fetch`
 * would send a request to `url` through, or `undefined` when none: `url` is
 * not plain http, no proxy variable is set, the runtime does not read them
 * (Node without `NODE_USE_ENV_PROXY=1`), or `NO_PROXY` (`no_proxy`) covers
 * its host. Never the variable's value, which may hold a password.
 *
 * @param url The base URL the CLI would send to.
 * @returns The proxy variable's name, or `undefined`.
 *
 * @example
 * ```ts ignore
 * // Under Deno, with HTTP_PROXY=http://proxy.corp:3128 and no NO_PROXY:
 * httpProxyFor(new URL("http://127.0.0.1:8080")); // "HTTP_PROXY"
 * ```
 */
export function httpProxyFor(url: URL): string | undefined {
  if (url.protocol !== "http:" || !proxiesFromEnvironment()) return undefined;
  const variable = PROXY_VARIABLES.find((name) => env(name) !== undefined);
  if (variable === undefined) return undefined;
  const port = url.port || "80";
  const host = url.hostname.toLowerCase();
  const exempt = (env("NO_PROXY") ?? env("no_proxy") ?? "").split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .some((entry) => entry !== "" && covers(entry, host, port));
  return exempt ? undefined : variable;
}
