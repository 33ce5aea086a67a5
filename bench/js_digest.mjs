// How much of the floor is the SHA-256 itself, and how much the hand-off of
// crypto.subtle.digest to WebCrypto's thread and back (bench/README.md,
// "Where the time goes"):
//
//   deno run -A --config deno.json bench/js_digest.mjs
//   node bench/js_digest.mjs
//   "$(node scripts/_node_lts.mjs)" bench/js_digest.mjs
//
// Times, in paired blocks (bench/_timing.mjs), the floor (a), the digest
// alone awaited, and the same SHA-256 computed on the main thread by a plain
// JavaScript implementation written here for the measurement only: the
// library hashes and signs with the platform's WebCrypto, and ships no hash
// of its own. The JavaScript digest is checked against WebCrypto's on the
// typical update and on 2,000 random inputs before anything is timed.
import { FULL_BODY, NONCE, PATH, SECRET } from "./_cases.mjs";
import { median, pairedBlocks } from "./_timing.mjs";

// SHA-256 (FIPS 180-4): the first 32 bits of the fractional parts of the
// cube roots of the first 64 primes, and of the square roots of the first 8.
const PRIMES = [];
for (let n = 2; PRIMES.length < 64; n++) {
  if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);
}
const fraction = (x) => ((x - Math.floor(x)) * 2 ** 32) >>> 0;
const K = Uint32Array.from(PRIMES, (p) => fraction(Math.cbrt(p)));
const H = Uint32Array.from(PRIMES.slice(0, 8), (p) => fraction(Math.sqrt(p)));
const W = new Uint32Array(64);
const rotr = (x, n) => (x >>> n) | (x << (32 - n));
const h = new Uint32Array(8);

function sha256(bytes) {
  const total = ((bytes.length + 9 + 63) >> 6) << 6;
  const m = new Uint8Array(total);
  m.set(bytes);
  m[bytes.length] = 0x80;
  const view = new DataView(m.buffer);
  const bits = bytes.length * 8;
  view.setUint32(total - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(total - 4, bits >>> 0);
  h.set(H);
  for (let at = 0; at < total; at += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getUint32(at + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(W[i - 15], 7) ^ rotr(W[i - 15], 18) ^ (W[i - 15] >>> 3);
      const s1 = rotr(W[i - 2], 17) ^ rotr(W[i - 2], 19) ^ (W[i - 2] >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3];
    let e = h[4], f = h[5], g = h[6], k = h[7];
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
        ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}

const subtle = crypto.subtle;
const encoder = new TextEncoder();
const hashed = encoder.encode(NONCE + FULL_BODY);
const key = await subtle.importKey(
  "raw",
  Uint8Array.from(atob(SECRET), (c) => c.charCodeAt(0)),
  { name: "HMAC", hash: "SHA-512" },
  false,
  ["sign"],
);
const path = encoder.encode(PATH);

const same = async (bytes) =>
  sha256(bytes).join() ===
    new Uint8Array(await subtle.digest("SHA-256", bytes)).join();
if (!(await same(hashed))) throw new Error("sha256 differs on the update");
for (let i = 0; i < 2000; i++) {
  if (!(await same(crypto.getRandomValues(new Uint8Array(i % 700))))) {
    throw new Error(`sha256 differs on a random input of ${i % 700} bytes`);
  }
}

const floor = async () => {
  const digest = new Uint8Array(await subtle.digest("SHA-256", hashed));
  const message = new Uint8Array(path.length + 32);
  message.set(path);
  message.set(digest, path.length);
  return subtle.sign("HMAC", key, message);
};
const cases = {
  "(a) the floor: digest, then HMAC": floor,
  "crypto.subtle.digest alone, awaited": () => subtle.digest("SHA-256", hashed),
  "the same SHA-256 in JavaScript, on the main thread": () => sha256(hashed),
};
await pairedBlocks(cases, { turns: 20 });
const perCall = await pairedBlocks(cases);
console.log(
  `${hashed.length} bytes hashed (the nonce and the full patch), paired blocks of 64 calls, 250 turns; median µs per call:`,
);
for (const [id, times] of Object.entries(perCall)) {
  console.log(`  ${(median(times) * 1000).toFixed(1).padStart(6)}  ${id}`);
}
