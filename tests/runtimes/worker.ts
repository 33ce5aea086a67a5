/**
 * A Cloudflare Worker that exercises the built package inside workerd.
 * tests/runtimes/workerd.mjs bundles it with esbuild (so "@kraken-embed/client"
 * resolves to npm/), runs it in Miniflare and checks each route's answer:
 *
 * - GET /sign: Kraken's published signing vector through signRequest();
 * - GET /validation: the EmbedValidationError a bad patch raises;
 * - GET /update: a full client.users.update() through a fake fetch, with the
 *   API-Sign header verified here by recomputing it over the exact body sent;
 * - the NonceCounter routes of ./worker_nonces.ts, whose Durable Object class
 *   this main module exports, as the README's does;
 * - GET /other/...: the same routes in a second worker (another isolate),
 *   through the OTHER service binding.
 *
 * @module
 */

import {
  EmbedClient,
  EmbedError,
  EmbedValidationError,
  signRequest,
} from "@kraken-embed/client";
import { type NonceEnv, nonceRoutes } from "./worker_nonces.ts";

export { NonceCounter } from "@kraken-embed/client/durable_object";

interface Env extends NonceEnv {
  // The second worker, bound in the first one only.
  OTHER?: { fetch(request: Request): Promise<Response> };
}

const SECRET =
  "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
const API_KEY = "worker-api-key-0123456789";
const USER = "AA95 N84G TEST XXXX";

function sign(): Promise<string> {
  return signRequest({
    secret: SECRET,
    nonce: "1616492376594",
    path: "/0/private/AddOrder",
    body:
      "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
  });
}

async function validation(): Promise<unknown> {
  let sent = 0;
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: () => {
      sent++;
      return Promise.resolve(Response.json({ result: "success" }));
    },
  });
  const patch = { residence: { country: "XX" }, phone_number: "1" };
  try {
    // The cast is the point: a caller without types sends exactly this.
    await client.users.update(USER, patch as never);
    return { thrown: false, sent };
  } catch (error) {
    if (!(error instanceof EmbedValidationError)) throw error;
    return {
      thrown: true,
      sent,
      name: error.name,
      code: error.code,
      isEmbedError: error instanceof EmbedError,
      target: error.target,
      paths: error.issues.map((issue) => issue.path),
    };
  }
}

async function update(): Promise<unknown> {
  const seen: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string;
  }[] = [];
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      seen.push({
        method: request.method,
        url: request.url,
        headers,
        body: await request.text(),
      });
      return Response.json({ result: "success" });
    },
  });
  const result = await client.users.update(USER, {
    language: "en",
    full_name: { first_name: "Ada", last_name: "Lovelace" },
  });
  const sent = seen[0];
  const url = new URL(sent.url);
  const expectedSign = await signRequest({
    secret: SECRET,
    nonce: sent.headers["api-nonce"],
    path: url.pathname + url.search,
    body: sent.body,
  });
  return {
    result,
    requests: seen.length,
    method: sent.method,
    url: sent.url,
    headers: sent.headers,
    body: sent.body,
    signatureValid: sent.headers["api-sign"] === expectedSign,
  };
}

const routes: Record<
  string,
  (query: URLSearchParams, env: Env) => Promise<unknown>
> = {
  "/sign": async () => ({ signature: await sign() }),
  "/validation": validation,
  "/update": update,
  ...nonceRoutes,
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (env.OTHER && url.pathname.startsWith("/other/")) {
      url.pathname = url.pathname.slice("/other".length);
      return env.OTHER.fetch(new Request(url, request));
    }
    const route = routes[url.pathname];
    if (!route) {
      return Response.json({ error: "no such route" }, { status: 404 });
    }
    try {
      return Response.json(await route(url.searchParams, env));
    } catch (error) {
      const { name, message, stack } = error as Error;
      return Response.json({ error: { name, message, stack } }, {
        status: 500,
      });
    }
  },
};
