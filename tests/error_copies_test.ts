// runtimes: deno — reason: loads a second copy of an internal module (src/errors.ts?copy), which only a module loader keyed by URL does; Node and Bun load one copy per file
//
// An error of another copy of the package (an app that imports the package
// while a dependency requires its CommonJS build, or two versions), thrown
// while the client reads its options, reaches the caller as it is: it is
// the package's own, not a getter's failure to hide.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EmbedClient } from "../src/client/client.ts";
import { counterNonce } from "../src/nonce/counter.ts";
import { API_KEY, fakeClient, SECRET, USER } from "./_fake_fetch.ts";
import { throwingGetter } from "./_throwing.ts";

test("an error of another copy of the package, thrown while options are read, is passed on as it is", async () => {
  const copy = await import("../src/errors.ts?copy");
  const ours = await import("../src/errors.ts");
  assert.notEqual(copy.EmbedConfigError, ours.EmbedConfigError);
  const theirs = () =>
    new copy.EmbedConfigError("offset", "Expected a copy's own message");
  const throwing = <T extends object>(base: T, key: string): T =>
    throwingGetter(base, key, theirs);
  assert.throws(
    () => new EmbedClient(throwing({ apiKey: API_KEY }, "apiSecret") as never),
    (error) =>
      error instanceof copy.EmbedConfigError && error.field === "offset",
  );
  assert.throws(
    () => counterNonce(() => 1, throwing({}, "offset")),
    (error) =>
      error instanceof copy.EmbedConfigError && error.field === "offset",
  );
  const { embed, requests } = fakeClient([]);
  await assert.rejects(
    embed.users.get(USER, throwing({}, "signal")),
    (error) =>
      error instanceof copy.EmbedConfigError && error.field === "offset",
  );
  await assert.rejects(
    embed.request(throwing({ method: "GET" }, "path") as never),
    (error) =>
      error instanceof copy.EmbedConfigError && error.field === "offset",
  );
  assert.equal(requests.length, 0);
  // And an error of anyone else's is not passed on, nor one whose code
  // throws when read.
  const codeThrows = Object.defineProperty(new Error(SECRET), "code", {
    get() {
      throw new Error(SECRET);
    },
  });
  for (const thrown of [new Error(SECRET), codeThrows, SECRET, null]) {
    assert.throws(
      () =>
        new EmbedClient(
          throwingGetter(
            { apiKey: API_KEY },
            "apiSecret",
            () => thrown,
          ) as never,
        ),
      (error) =>
        error instanceof ours.EmbedConfigError && error.field === "options" &&
        !String(error).includes(SECRET),
    );
  }
});

test("a runtime's error with an ERR_ code of its own, thrown while options are read, is not passed on as the package's", async () => {
  const ours = await import("../src/errors.ts");
  const nodeStyle = () =>
    Object.assign(new TypeError(SECRET), { code: "ERR_INVALID_ARG_TYPE" });
  assert.throws(
    () =>
      new EmbedClient(
        throwingGetter({ apiKey: API_KEY }, "apiSecret", nodeStyle) as never,
      ),
    (error) =>
      error instanceof ours.EmbedConfigError && error.field === "options" &&
      !String(error).includes(SECRET),
  );
  const { embed, requests } = fakeClient([]);
  await assert.rejects(
    embed.users.get(USER, throwingGetter({}, "signal", nodeStyle)),
    (error) =>
      error instanceof ours.EmbedValidationError &&
      error.target === "options" && !String(error).includes(SECRET),
  );
  assert.equal(requests.length, 0);
});
