// One of several processes sharing a counter, started by
// tests/counter_redis_test.ts and tests/counter_kv_test.ts:
//
//   deno run -A --config deno.json tests/_counter_child.ts <redis|kv> <url|path> <key> <count> <lanes> [baseUrl]
//
// Draws <count> nonces over <lanes> concurrent lanes; with [baseUrl], then
// sends <count> updates there the same way. Prints
// `{"nonces": [...], "updates": [...]}`: the nonces drawn, and those the
// updates used, each in the order the source returned them.
import { counterNonce, EmbedClient } from "@kraken-embed/client";
import { createClient } from "redis";
import { kvIncrement } from "./_kv_counter.ts";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";

const [store, where, key, countText, lanesText, baseUrl] = Deno.args;
const count = Number(countText);
const lanes = Number(lanesText);

let increment: () => Promise<bigint | number>;
let close: () => Promise<void> | void;
if (store === "redis") {
  const redis = await createClient({ url: where }).connect();
  increment = () => redis.incr(key);
  close = () => redis.close();
} else if (store === "kv") {
  const kv = await Deno.openKv(where);
  increment = () => kvIncrement(kv, [key]);
  close = () => kv.close();
} else {
  throw new Error(`unknown store ${store}`);
}

/** Runs `task` `count` times over `lanes` concurrent lanes. */
async function inLanes(task: () => Promise<void>): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (started < count) {
        started++;
        await task();
      }
    }),
  );
}

const nonce = counterNonce(increment);
const nonces: string[] = [];
await inLanes(async () => {
  nonces.push(await nonce());
});
const updates: string[] = [];
if (baseUrl !== undefined) {
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    baseUrl,
    nonce: async () => {
      const value = await nonce();
      updates.push(value);
      return value;
    },
    maxRetries: 0,
  });
  await inLanes(async () => {
    await client.users.update(USER, { language: "en" });
  });
}
await close();
console.log(JSON.stringify({ nonces, updates }));
