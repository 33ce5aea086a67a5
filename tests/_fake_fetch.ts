// A fetch stand-in that records every request and answers from a script.
import { EmbedClient, type EmbedClientOptions } from "@kraken-embed/client";
import { oracleSign } from "./_oracle.ts";

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Reply =
  | Response
  | ((request: Recorded, init: RequestInit) => Response | Promise<Response>)
  | "hang"
  | Error;

export const SECRET =
  "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
export const API_KEY = "test-api-key-0123456789";
export const USER = "AA95 N84G TEST XXXX";

/** Returns a fetch that answers with `replies` in turn (the last one repeats) and records each request. */
export function fakeFetch(...replies: Reply[]): {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  requests: Recorded[];
} {
  const requests: Recorded[] = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const recorded: Recorded = {
      method: init.method ?? "GET",
      url: String(input),
      headers,
      body: typeof init.body === "string" ? init.body : "",
      at: performance.now(),
    };
    requests.push(recorded);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (reply === "hang") return await new Promise<Response>(() => {});
    if (reply instanceof Error) throw reply;
    if (typeof reply === "function") return await reply(recorded, init);
    return reply.clone();
  };
  return { fetch, requests };
}

/** Recomputes API-Sign with node:crypto over what was actually sent. */
export function expectedSign(request: Recorded, secret = SECRET): string {
  const url = new URL(request.url);
  return oracleSign(
    secret,
    request.headers["api-nonce"],
    url.pathname + url.search,
    request.body,
  );
}

export const success = (): Response => Response.json({ result: "success" });

/**
 * A Get User answer of {@linkcode USER} with the fields the reference's sketch
 * shows, and `extra` in its `result`.
 */
export const userAnswer = (extra: Record<string, unknown> = {}) => ({
  result: {
    user: USER,
    user_type: "individual",
    status: { state: "ok", required_actions: [] },
    created_at: "2025-04-15T09:00:00Z",
    ...extra,
  },
});
export const failure = (
  status: number,
  errors: string[],
  headers?: HeadersInit,
): Response =>
  Response.json({ error: errors }, headers ? { status, headers } : { status });

/**
 * A client over {@linkcode fakeFetch}'s script, with backoff waits of a few
 * milliseconds, and the requests it sent.
 */
export function fakeClient(
  replies: Reply[],
  options: Partial<EmbedClientOptions> = {},
): { embed: EmbedClient; requests: Recorded[] } {
  const fake = fakeFetch(...replies);
  const embed = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: fake.fetch,
    backoff: { baseMs: 1, capMs: 4 },
    ...options,
  });
  return { embed, requests: fake.requests };
}

/**
 * What `users.update(USER, patch)` rejects with (or resolves to) against
 * `reply`, without retries: for what an error quotes of a failed update.
 */
export async function failedUpdate(
  patch: Parameters<EmbedClient["users"]["update"]>[1],
  reply: Reply,
): Promise<unknown> {
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: fakeFetch(reply).fetch,
    maxRetries: 0,
  });
  return await client.users.update(USER, patch).catch((e) => e);
}
