// The worker that tests/durable_object_test.ts bundles and runs under
// Miniflare, several times over: each copy draws nonces from one
// NonceCounter Durable Object and sends updates through the outbound fetch.
import { EmbedClient } from "../mod.ts";
import {
  type DurableObjectNamespace,
  durableObjectNonce,
  NonceCounter,
} from "../src/nonce/durable_object.ts";

export { NonceCounter };

interface Env {
  NONCE: DurableObjectNamespace;
  WORKER: string;
  API_KEY: string;
  API_SECRET: string;
}

const USER = "AA95 N84G TEST XXXX";
// One source per batch size for the isolate's lifetime, so that a batch
// reserved in one request serves the next ones too.
const sources = new Map<number, () => Promise<string>>();

function sourceFor(env: Env, batch: number): () => Promise<string> {
  let source = sources.get(batch);
  if (source === undefined) {
    source = durableObjectNonce(env.NONCE, env.API_KEY, { batch });
    sources.set(batch, source);
  }
  return source;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? "1");
    const batch = Number(url.searchParams.get("batch") ?? "1");
    switch (url.pathname) {
      case "/nonces": {
        // n concurrent draws, listed in the order they resolved.
        const source = sourceFor(env, batch);
        const nonces: string[] = [];
        await Promise.all(
          Array.from({ length: n }, async () => nonces.push(await source())),
        );
        return Response.json({ worker: env.WORKER, nonces });
      }
      case "/update": {
        // n updates, `concurrency` at a time, through the outbound fetch.
        const concurrency = Number(url.searchParams.get("concurrency") ?? "1");
        const client = new EmbedClient({
          apiKey: env.API_KEY,
          apiSecret: env.API_SECRET,
          baseUrl: "https://embed.test",
          nonce: sourceFor(env, batch),
          maxRetries: 0,
          maxConcurrency: concurrency,
        });
        const results = await Promise.allSettled(
          Array.from(
            { length: n },
            () => client.users.update(USER, { language: "en" }),
          ),
        );
        const failed = results.filter((r) => r.status === "rejected")
          .map((r) => String((r as PromiseRejectedResult).reason));
        return Response.json({ worker: env.WORKER, failed });
      }
      case "/reserve": {
        // The object's own answer, to see the last value it issued.
        const stub = env.NONCE.get(env.NONCE.idFromName(env.API_KEY));
        const answer = await stub.fetch(
          `https://nonce-counter/reserve?count=${
            url.searchParams.get("count")
          }`,
          { method: "POST" },
        );
        return new Response(await answer.text(), { status: answer.status });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
