// Where main-thread work costs a signature most: before WebCrypto's digest is
// handed to its thread, while it is there, or after it is back.
//
//   node bench/hand_off.mjs                                 (npm/esm, built)
//   deno run -A --config deno.json bench/hand_off.mjs       (the source)
//
// The floor of bench/_cases.mjs, and the floor with one piece of work added:
// signRequest's check of the path (`new URL`, compared with the path) before
// the digest, beside it (after handing it over, before awaiting it) or after
// it; 1 µs of busy waiting beside it; a regular expression over the path
// beside it. With signRequest itself, and the floor again as a control, in
// paired blocks as bench/paired.mjs times them (64 calls a block, 250 turns,
// rotated; each ratio within a turn, the median over turns).
import process from "node:process";
import {
  createCases,
  FULL_BODY,
  NONCE,
  PATH,
  SECRET,
  warmUp,
} from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { median, pairedBlocks, turnRatios } from "./_timing.mjs";

const BLOCK = 64;
const TURNS = 250;

const { a: floor, b_key: signRequest } = await createCases(lib);
const key = await lib.importSecret(SECRET);
const encoder = new TextEncoder();
const hashed = encoder.encode(NONCE + FULL_BODY);
const pathBytes = encoder.encode(PATH);
const message = new Uint8Array(pathBytes.length + 32);
message.set(pathBytes);

const checkPath = () => {
  const url = new URL("http://h" + PATH);
  if (url.pathname + url.search !== PATH) throw new Error("changed");
};
const spin = (ms) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const PLAIN = /^\/[!$%&-;=@-Z_a-z~]*$/;
/** The floor, with `before`, `beside` and `after` run around the digest. */
const variant = ({ before, beside, after }) => async () => {
  before?.();
  const digesting = crypto.subtle.digest("SHA-256", hashed);
  beside?.();
  const digest = await digesting;
  after?.();
  message.set(new Uint8Array(digest), pathBytes.length);
  return await crypto.subtle.sign("HMAC", key, message);
};
const cases = {
  floor,
  "URL check before": variant({ before: checkPath }),
  "URL check beside": variant({ beside: checkPath }),
  "URL check after": variant({ after: checkPath }),
  "1 µs busy beside": variant({ beside: () => spin(0.001) }),
  "regex beside": variant({
    beside: () => {
      if (!PLAIN.test(PATH)) throw new Error("not plain");
    },
  }),
  signRequest,
  "floor again": floor,
};
const ids = Object.keys(cases);
await warmUp(cases);

const perCall = await pairedBlocks(cases, { block: BLOCK, turns: TURNS });
console.log(
  `${isDeno ? "deno" : `node ${process.version}`}: floor ${
    (median(perCall.floor) * 1e3).toFixed(1)
  } µs; ÷ (a), median of ${TURNS} paired turns of ${BLOCK} calls:`,
);
for (const id of ids.slice(1)) {
  const ratio = median(turnRatios(perCall, id, "floor"));
  console.log(`  ${id.padEnd(18)} ${ratio.toFixed(3)}`);
}
