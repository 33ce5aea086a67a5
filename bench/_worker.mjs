// The Workers cold start: bench/cold_start.mjs bundles this file with esbuild,
// "@kraken-embed/client" pointing at npm/esm (what a Worker gets from npm),
// and Miniflare runs it in a fresh workerd process. workerd freezes its clocks
// while code runs, so the time is taken outside.
import { EmbedClient } from "@kraken-embed/client";

export default {
  async fetch() {
    const client = new EmbedClient({
      apiKey: "bench-api-key-0123456789",
      apiSecret:
        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
      fetch: () => Promise.resolve(new Response('{"result":"success"}')),
    });
    const { result } = await client.users.update("AA95 N84G TEST XXXX", {
      phone: "+447700900123",
    });
    return new Response(String(result));
  },
};
