// Cold start, in a fresh Node or Deno process: from the import of the library
// to the first signed request answered (canned fetch). Prints the times as
// JSON; performance.now() counts from the process's start.
const started = performance.now();
const lib = "Deno" in globalThis
  ? await import("@kraken-embed/client")
  : await import(new URL("../npm/esm/mod.js", import.meta.url).href);
const imported = performance.now();
const client = new lib.EmbedClient({
  apiKey: "bench-api-key-0123456789",
  apiSecret:
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
  fetch: () => Promise.resolve(new Response('{"result":"success"}')),
});
await client.users.update("AA95 N84G TEST XXXX", { phone: "+447700900123" });
const answered = performance.now();
console.log(JSON.stringify({
  importMs: imported - started,
  firstRequestMs: answered - imported,
  sinceProcessStartMs: answered,
}));
