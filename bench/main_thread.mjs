// What costs the main thread, in Deno or Node (bench/README.md):
//
//   deno run -A --config deno.json bench/main_thread.mjs
//   node bench/main_thread.mjs            (after npm run bench or the npm build)
//   "$(node scripts/_node_lts.mjs)" bench/main_thread.mjs   (the same, in the pinned Node LTS)
//
// 1. The synchronous part of each crypto.subtle call (argument conversion,
//    the copy of the input, the job's set-up), timed by wrapping
//    crypto.subtle.digest and .sign, for the floor, the floor then the canned
//    fetch, the same after validating, serializing and encoding the full
//    patch (bench/_cases.mjs's `least`: what every update must do), and
//    users.update, one at a time and 1,000 at once; and what a concurrent
//    update costs beyond the floor then the canned fetch.
// 2. Primitives the client uses once per attempt, in a loop of their own.
import { createCases, PATH } from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { allAtOnce, median, oneAtATime } from "./_timing.mjs";

const subtle = crypto.subtle;
const digest = subtle.digest.bind(subtle);
const sign = subtle.sign.bind(subtle);
const sync = { digest: 0, sign: 0, calls: 0 };
subtle.digest = (...args) => {
  const start = performance.now();
  const result = digest(...args);
  sync.digest += performance.now() - start;
  sync.calls++;
  return result;
};
subtle.sign = (...args) => {
  const start = performance.now();
  const result = sign(...args);
  sync.sign += performance.now() - start;
  return result;
};

const cases = await createCases(lib);
const kinds = {
  "floor": cases.a,
  "floor then canned fetch": cases.a_fetch,
  "what every update must do": cases.least,
  "users.update, full patch": cases.d_full,
};
const run = (mode, f) =>
  mode === "1,000 at once" ? allAtOnce(f) : oneAtATime(f);
const perUpdate = {};
console.log(
  `${isDeno ? "deno" : "node"}: µs per operation, median of 15 waves of 1,000` +
    " (the kinds take turns, so that a slow minute lands on all of them)",
);
for (const mode of ["one at a time", "1,000 at once"]) {
  const waves = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  const digestSync = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  const signSync = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  for (const f of Object.values(kinds)) {
    for (let i = 0; i < 3; i++) await run(mode, f);
  }
  for (let i = 0; i < 15; i++) {
    for (const [name, f] of Object.entries(kinds)) {
      Object.assign(sync, { digest: 0, sign: 0, calls: 0 });
      waves[name].push(await run(mode, f));
      digestSync[name].push(sync.digest / sync.calls * 1000);
      signSync[name].push(sync.sign / sync.calls * 1000);
    }
  }
  for (const name of Object.keys(kinds)) {
    perUpdate[`${mode} ${name}`] = median(waves[name]);
    console.log(
      `  ${mode.padEnd(13)}  ${name.padEnd(26)} ${
        median(waves[name]).toFixed(1).padStart(6)
      }   of which the digest() call ${
        median(digestSync[name]).toFixed(1)
      }, the sign() call ${median(signSync[name]).toFixed(1)}`,
    );
  }
}
const beyond = (name) =>
  (perUpdate[`1,000 at once ${name}`] -
    perUpdate["1,000 at once floor then canned fetch"]).toFixed(1);
console.log(
  `  beyond the floor then the canned fetch, 1,000 at once: validating, serializing and encoding ${
    beyond("what every update must do")
  } µs, a whole update ${beyond("users.update, full patch")} µs`,
);

const noop = () => {};
const list = [...lib.COUNTRY_CODES];
const set = new Set(list);
const signature = new Uint8Array(64).map((_, i) => (i * 37) & 255);
const primitives = {
  "setTimeout + clearTimeout": () => clearTimeout(setTimeout(noop, 30_000)),
  "new AbortController().signal": () => new AbortController().signal,
  "new Response(text)": () => new Response('{"result":"success"}'),
  "fromCharCode(...64 bytes)": () => String.fromCharCode(...signature),
  "fromCharCode.apply(64 bytes)": () =>
    String.fromCharCode.apply(null, signature),
  "262 codes: includes('GB')": () => list.includes("GB"),
  "262 codes: Set has('GB')": () => set.has("GB"),
  // signRequest's check that its path is the target a URL sends.
  "new URL(): the path as sent": () => {
    const url = new URL(`http://h${PATH}`);
    return url.pathname + url.search === PATH;
  },
};
console.log("primitives, µs per call (200,000 calls):");
for (const [name, f] of Object.entries(primitives)) {
  // Results are kept where the optimizer cannot drop the calls.
  for (let i = 0; i < 50_000; i++) globalThis.benchSink = f();
  const start = performance.now();
  for (let i = 0; i < 200_000; i++) globalThis.benchSink = f();
  const us = (performance.now() - start) * 1000 / 200_000;
  console.log(`  ${name.padEnd(30)} ${us.toFixed(3)}`);
}
