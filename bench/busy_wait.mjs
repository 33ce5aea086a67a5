// Is main-thread time per concurrent update the sum of its parts?
// (bench/README.md):
//
//   deno run -A --config deno.json bench/busy_wait.mjs
//   node bench/busy_wait.mjs              (after npm run bench or the npm build)
//
// Runs bench/_cases.mjs's `least` (what every update must do) 1,000 at once,
// alone and with a busy wait of 1 or 3 µs on the main thread, either before
// it starts (before its digest is handed to WebCrypto's thread) or after its
// answer is read, and users.update beside them. The kinds take turns, wave by
// wave; it prints each one's median µs per update and the median of its
// paired differences from `least` alone. A wait that cost the main thread
// only its own length would add 1 or 3 µs.
import { createCases } from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { allAtOnce, median } from "./_timing.mjs";

const { least, d_full: update } = await createCases(lib);
const busy = (us) => {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
};
const kinds = {
  "what every update must do": least,
  "  with 1 µs busy first": () => (busy(1), least()),
  "  with 3 µs busy first": () => (busy(3), least()),
  "  with 1 µs busy last": () => least().then((text) => (busy(1), text)),
  "  with 3 µs busy last": () => least().then((text) => (busy(3), text)),
  "users.update, full patch": update,
};

for (let i = 0; i < 5; i++) {
  for (const call of Object.values(kinds)) await allAtOnce(call);
}
const ROUNDS = 25;
/** @type {Record<string, number[]>} */
const times = Object.fromEntries(Object.keys(kinds).map((name) => [name, []]));
const entries = Object.entries(kinds);
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order, so that no kind always follows the same one.
  for (const [name, call] of round % 2 ? entries : [...entries].reverse()) {
    times[name].push(await allAtOnce(call));
  }
}
const base = times["what every update must do"];
// ms per wave of 1,000 is µs per update.
console.log(
  `${
    isDeno ? "deno" : "node"
  }: µs of main-thread time per update, 1,000 at once, median of ${ROUNDS} waves`,
);
for (const [name, list] of Object.entries(times)) {
  const added = median(list.map((ms, i) => ms - base[i]));
  console.log(
    `  ${name.padEnd(26)} ${median(list).toFixed(1).padStart(6)}${
      list === base ? "" : `   ${added >= 0 ? "+" : ""}${added.toFixed(1)}`
    }`,
  );
}
