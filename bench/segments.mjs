// Where an update's time goes, one at a time: the client's full-patch
// `users.update` beside what every update must do (bench/_cases.mjs's
// `d_full` and `least`, over this file's fetch double), both cut at the same
// six points (bench/README.md):
//
//   deno run -A --config deno.json bench/segments.mjs
//   node bench/segments.mjs               (after npm run bench or the npm build)
//   "$(node scripts/_node_lts.mjs)" bench/segments.mjs   (the same, in the pinned Node LTS)
//
//   pre    the call, up to the digest handed to WebCrypto
//   hop1   the digest's trip to WebCrypto's thread and back
//   mid    the digest back, up to the signature handed to WebCrypto
//   hop2   the signature's trip
//   post1  the signature back, up to the fetch called
//   fetch  the canned fetch and reading its body
//   post2  the body read, up to the caller resuming
//
// The cut points are stamped by wrappers around crypto.subtle.digest and
// .sign and by the fetch double, which add the same promise turn to both
// kinds. It prints each segment's mean (median over 20 blocks of 500 calls,
// the kinds taking turns) and the median of the paired differences.
import process from "node:process";
import { ANSWER, createCases } from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { median } from "./_timing.mjs";

const SEGMENTS = ["pre", "hop1", "mid", "hop2", "post1", "fetch", "post2"];
/** Cut points of the call in flight: start, the six stamps, end. */
const stamps = new Float64Array(SEGMENTS.length + 1);
const stamp = (i) => (value) => {
  stamps[i] = performance.now();
  return value;
};

const subtle = crypto.subtle;
const digest = subtle.digest.bind(subtle);
const sign = subtle.sign.bind(subtle);
subtle.digest = (...args) => {
  const result = digest(...args);
  stamps[1] = performance.now();
  return result.then(stamp(2));
};
subtle.sign = (...args) => {
  const result = sign(...args);
  stamps[3] = performance.now();
  return result.then(stamp(4));
};
class StampedResponse extends Response {
  text() {
    return super.text().then(stamp(6));
  }
}
const fetch = () => {
  stamps[5] = performance.now();
  return Promise.resolve(new StampedResponse(ANSWER));
};

const cases = await createCases(lib, { fetch });
const kinds = {
  "what every update must do": cases.least,
  "users.update, full patch": cases.d_full,
};

const BLOCKS = 20;
const CALLS = 500;
for (const call of Object.values(kinds)) {
  for (let i = 0; i < 10_000; i++) await call();
}
/** Per kind, per segment and the total: one mean per block, in µs. */
const means = Object.fromEntries(
  Object.keys(kinds).map((
    name,
  ) => [name, [...SEGMENTS, "total"].map(() => [])]),
);
for (let block = 0; block < BLOCKS; block++) {
  for (const [name, call] of Object.entries(kinds)) {
    const sums = new Float64Array(SEGMENTS.length + 1);
    for (let i = 0; i < CALLS; i++) {
      stamps[0] = performance.now();
      await call();
      const end = performance.now();
      for (let s = 0; s < SEGMENTS.length - 1; s++) {
        sums[s] += stamps[s + 1] - stamps[s];
      }
      sums[SEGMENTS.length - 1] += end - stamps[SEGMENTS.length - 1];
      sums[SEGMENTS.length] += end - stamps[0];
    }
    sums.forEach((sum, s) => means[name][s].push(sum * 1000 / CALLS));
  }
}

const [bound, update] = Object.keys(kinds);
const cell = (value) => value.toFixed(1).padStart(7);
console.log(
  `${
    isDeno ? "deno" : `node ${process.version}`
  }: µs per segment, one at a time, median of ${BLOCKS} blocks of ${CALLS}`,
);
console.log(
  " ".repeat(28) + [...SEGMENTS, "total"].map((s) => s.padStart(7)).join(""),
);
for (const name of Object.keys(kinds)) {
  console.log(
    name.padEnd(28) + means[name].map((l) => cell(median(l))).join(""),
  );
}
console.log(
  "difference (paired)".padEnd(28) +
    means[update].map((l, s) =>
      cell(median(l.map((x, i) => x - means[bound][s][i])))
    )
      .join(""),
);
