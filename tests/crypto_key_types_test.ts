// The package's key type in its declarations: tests/_key_types.ts holds the
// compile-time checks, which Deno checks against the source here and tsc
// against the built .d.ts files (scripts/_checks/consumer_types.mjs), with
// the `dom` lib, without it (only @types/node 20's globals, where the
// declarations used to fail, and under skipLibCheck the key and the secret
// quietly became `any`), with Workers' types alone, and (tests/
// _no_web_globals.ts) with no WebCrypto declared at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromWebCrypto, intoWebCrypto, notAny, refused } from "./_key_types.ts";
import {
  refusedWithoutGlobals,
  takenWithoutGlobals,
} from "./_no_web_globals.ts";
import { EmbedClient, importSecret, signRequest } from "@kraken-embed/client";

test("the declarations' key type is the runtime's own, never any, and goes into WebCrypto and back (checked at compile time)", async () => {
  assert.deepEqual(notAny, [false, false, false]);
  assert.equal(refused.length, 2);
  // Without any WebCrypto declared, as tsc checks it (scripts/_checks/
  // consumer_types.mjs): here, where Deno declares it, the same checks hold.
  assert.equal(refusedWithoutGlobals.length, 3);
  assert.equal(takenWithoutGlobals.apiKey, "k");
  const key = await importSecret("c2VjcmV0LWJ5dGVz");
  assert.equal((await intoWebCrypto(key)).byteLength, 64);
  const [options, sign] = await fromWebCrypto();
  assert.ok(new EmbedClient(options) instanceof EmbedClient);
  assert.match(await signRequest(sign), /^[A-Za-z0-9+/]{86}==$/);
});
