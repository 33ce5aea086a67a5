// The benchmark's inputs and cases. The Deno bench file (against the source)
// and the Node runner (against the built npm/esm) both take their cases from
// here, so the two columns of the table time exactly the same work.
import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";
import * as v from "valibot";

/** Kraken's published example secret (64 bytes, base64). */
export const SECRET =
  "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
export const API_KEY = "bench-api-key-0123456789";
export const USER = "AA95 N84G TEST XXXX";
/** The request target the client signs for USER. */
export const PATH = "/b2b/users/AA95%20N84G%20TEST%20XXXX";
/** A nonce of the size the client's generator issues (microseconds). */
export const NONCE = "1754000000000000";

/**
 * A realistic Update User body with every field set, its keys in the schema's
 * order (the order the client serializes them in).
 */
export const FULL_PATCH = {
  tos_version_accepted: 4,
  full_name: {
    first_name: "Ada",
    last_name: "Lovelace",
    middle_name: "Augusta",
  },
  date_of_birth: "1915-12-10",
  city_of_birth: "London",
  country_of_birth: "GB",
  residence: {
    line1: "12 St James's Square",
    city: "London",
    postal_code: "SW1Y 4JH",
    country: "GB",
    line2: "Flat 3",
    province: "Greater London",
  },
  phone: "+447700900123",
  nationalities: ["GB", "IE"],
  tax_ids: [
    { id: "AB123456C", issuing_country: "GB" },
    { id: "1234567T", issuing_country: "IE" },
  ],
  occupation: "finance",
  employer_name: "Analytical Engines Ltd",
  client_identifier: {
    type: "concat",
    value: "ADA-LOVELACE-18151210",
    calculated_at: "2023-11-07T05:31:56Z",
  },
  language: "en",
};
/** The body the client sends for FULL_PATCH. */
export const FULL_BODY = JSON.stringify(FULL_PATCH);
export const ONE_FIELD_PATCH = { phone: "+447700900123" };

/** The canned answer, built once: the fetch double only wraps it. */
export const ANSWER = '{"result":"success"}';

/**
 * The fetch test double: a fresh Response per call (a body can be read only
 * once) over a pre-built string, with nothing else to do.
 *
 * @returns {Promise<Response>}
 */
export function cannedFetch() {
  return Promise.resolve(new Response(ANSWER));
}

/**
 * A client of `lib` (the source or npm/esm) against the canned fetch, with
 * the default nonce generator, as a user gets it.
 *
 * @param {typeof import("../mod.ts")} lib
 * @param {Partial<import("../mod.ts").EmbedClientOptions>} [options] Options
 * beside the key, the secret and the fetch.
 */
export function cannedClient(lib, options = {}) {
  return new lib.EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: cannedFetch,
    ...options,
  });
}

/**
 * The cases, in table order: id, label, and whether the case returns a
 * promise (Deno.bench only awaits an `async function`).
 *
 * @type {ReadonlyArray<readonly [string, string, boolean]>}
 */
export const CASES = [
  ["a", "(a) floor: crypto.subtle SHA-256 + HMAC-SHA512", true],
  ["b_key", "(b) signRequest, CryptoKey", true],
  ["b_string", "(b) signRequest, string secret seen before", true],
  // The floor a second time, as a case of its own: its ratio to (a) is what
  // a ratio drifts by itself on this machine, against which (b)'s 5% can be
  // read.
  ["a_again", "    (a) again, as its own case: a ratio's own drift", true],
  ["c_full", "(c) UserPatchSchema, full patch", false],
  ["c_one", "(c) UserPatchSchema, one-field patch", false],
  ["d_full", "(d) users.update end to end, full patch", true],
  ["d_one", "(d) users.update end to end, one-field patch", true],
  ["e", "(e) node:crypto createHash + createHmac", false],
  ["fetch", "    the canned fetch alone: new Response + text()", true],
  ["a_fetch", "    (a) then the canned fetch: the least (d) must do", true],
  [
    "least",
    "    (c) + (a) + the canned fetch: what every update must do",
    true,
  ],
  [
    "bare",
    "    a bare client: (d) without timeout, retries or checks of the answer",
    true,
  ],
];

/** Interleaved rounds: every case runs once per round, and ratios are taken within a round. */
export const ROUNDS = 11;

/**
 * The cases in the order round `round` (from 0) runs them: the table's order
 * with a stride (the round's among those with no factor in common with the
 * number of cases) and a start (round²) that change from round to round,
 * so that no
 * case always runs first, or always right after the same one. A fixed order
 * ran (a), the denominator of every ratio, first in every round, right after
 * the previous round's heaviest case.
 *
 * @param {number} round
 */
export function roundOrder(round) {
  const n = CASES.length;
  // Only a stride with no factor in common with n visits every case once.
  const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
  const strides = [];
  for (let s = 1; s < Math.max(n, 2); s++) if (gcd(s, n) === 1) strides.push(s);
  const stride = strides[round % strides.length];
  return CASES.map((_, i) => CASES[(i * stride + round * round) % n]);
}

/**
 * Runs every case 10,000 times (at most 4 s each) before anything is timed.
 * The update path needs thousands of calls before the JIT and the heap have
 * settled: in Node, a median update over the first 1,000 calls takes about
 * three times as long as after 5,000, and a benchmark's own few warm-up calls
 * would time that.
 *
 * @param {Record<string, () => unknown>} cases
 */
export async function warmUp(cases) {
  for (const run of Object.values(cases)) {
    const until = performance.now() + 4_000;
    for (let i = 0; i < 10_000 && performance.now() < until; i++) await run();
  }
}

/**
 * Builds the case functions over one copy of the library (the source in Deno,
 * npm/esm in Node), and checks that the floor, signRequest, the client and
 * node:crypto all produce the same signature, so that no case is cheaper
 * because it computes something else.
 *
 * @param {typeof import("../mod.ts")} lib
 * @param {{ fetch?: () => Promise<Response> }} [options] The fetch double of
 * the client and of the cases that read an answer (bench/segments.mjs passes
 * one that notes the time); `cannedFetch` unless given.
 * @returns {Promise<Record<string, () => unknown>>}
 */
export async function createCases(lib, { fetch = cannedFetch } = {}) {
  const {
    createNonceGenerator,
    EmbedClient,
    importSecret,
    signRequest,
    UserPatchSchema,
  } = lib;
  const key = await importSecret(SECRET);
  const encoder = new TextEncoder();

  // (a): the inputs already bytes, the key already imported, the message
  // buffer already holding the path: only the two calls and the copy of the
  // digest that the second call needs.
  const hashed = encoder.encode(NONCE + FULL_BODY);
  const pathBytes = encoder.encode(PATH);
  const message = new Uint8Array(pathBytes.length + 32);
  message.set(pathBytes);
  // The two calls over bytes of nonce ‖ body: the floor's, and `least`'s.
  const signBytes = async (bytes) => {
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    message.set(new Uint8Array(digest), pathBytes.length);
    return await crypto.subtle.sign("HMAC", key, message);
  };
  const floor = () => signBytes(hashed);

  const secretBytes = Buffer.from(SECRET, "base64");
  const nodeCrypto = () => {
    const digest = createHash("sha256").update(NONCE + FULL_BODY).digest();
    return createHmac("sha512", secretBytes).update(PATH).update(digest)
      .digest("base64");
  };

  const client = cannedClient(lib, { fetch });

  // What every update must do, with nothing else: validate and serialize the
  // full patch, hash the nonce and that body (encoded into a buffer made
  // once), sign, and read the canned answer. No nonce source, headers,
  // timeout or checks of the answer.
  const bodyBytes = new Uint8Array(8192);
  const least = async () => {
    const checked = v.safeParse(UserPatchSchema, FULL_PATCH);
    if (!checked.success) throw new Error("the full patch is refused");
    const { written } = encoder.encodeInto(
      NONCE + JSON.stringify(checked.output),
      bodyBytes,
    );
    await signBytes(bodyBytes.subarray(0, written));
    return await (await fetch()).text();
  };

  // A bare client, as a user could write one from the library's public
  // parts: validate and serialize the patch, percent-encode the IIBAN, take
  // a nonce, `signRequest`, send the client's headers, parse the answer and
  // look at its `result`. Without the client's own safety: no check of the
  // IIBAN or of the call's options, no timeout, no cancellation, no retries,
  // no check of the status or of the answer's shape. (d) minus this is what
  // that safety costs. The origin and the Payward-Version are the client's
  // defaults, written out as a user would; the check below holds the request
  // to the client's.
  const bareWith = (nextNonce, send) => async () => {
    const checked = v.safeParse(UserPatchSchema, FULL_PATCH);
    if (!checked.success) throw new Error("the full patch is refused");
    const body = JSON.stringify(checked.output);
    const path = `/b2b/users/${encodeURIComponent(USER)}`;
    const nonce = nextNonce();
    const headers = {
      "API-Key": API_KEY,
      "API-Nonce": nonce,
      "API-Sign": await signRequest({ secret: key, nonce, path, body }),
      "Payward-Version": "2025-04-15",
      "Accept": "application/json",
      "Content-Type": "application/json",
    };
    const response = await send(`https://nexus.kraken.com${path}`, {
      method: "PATCH",
      headers,
      body,
      redirect: "manual",
    });
    const answer = JSON.parse(await response.text());
    if (answer.result !== "success") throw new Error("the update failed");
    return answer;
  };
  const bare = bareWith(createNonceGenerator(), fetch);

  const cases = {
    a: floor,
    a_again: floor,
    b_key: () =>
      signRequest({ secret: key, nonce: NONCE, path: PATH, body: FULL_BODY }),
    b_string: () =>
      signRequest({
        secret: SECRET,
        nonce: NONCE,
        path: PATH,
        body: FULL_BODY,
      }),
    c_full: () => v.safeParse(UserPatchSchema, FULL_PATCH),
    c_one: () => v.safeParse(UserPatchSchema, ONE_FIELD_PATCH),
    d_full: () => client.users.update(USER, FULL_PATCH),
    d_one: () => client.users.update(USER, ONE_FIELD_PATCH),
    e: nodeCrypto,
    fetch: async () => await (await fetch()).text(),
    // What (d) would take if the client did nothing but the two WebCrypto
    // calls and read the canned answer: no validation, serialization, nonce,
    // headers, timeout or checks. (d) cannot be cheaper than this.
    a_fetch: async () => {
      await floor();
      return await (await fetch()).text();
    },
    least,
    bare,
  };

  const expected = nodeCrypto();
  const base64 = (bytes) => Buffer.from(bytes).toString("base64");
  // The client and the bare client, each with a fixed nonce: what they send,
  // so that their signatures can be compared, and their requests matched.
  const sentBy = {};
  const recorder = (who) => (url, init) => {
    sentBy[who] = {
      url,
      method: init.method,
      body: init.body,
      headers: new Headers(init.headers),
    };
    return cannedFetch();
  };
  const probe = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    nonce: () => NONCE,
    fetch: recorder("client"),
  });
  const answer = await probe.users.update(USER, FULL_PATCH);
  await bareWith(() => NONCE, recorder("bare"))();
  const { client: sent, bare: bareSent } = sentBy;
  if (sent.body !== FULL_BODY) {
    throw new Error("the client sends another body");
  }
  const headerList = (headers) => JSON.stringify([...headers]);
  if (
    bareSent.url !== sent.url || bareSent.method !== sent.method ||
    bareSent.body !== sent.body ||
    headerList(bareSent.headers) !== headerList(sent.headers)
  ) {
    throw new Error("the bare client sends another request than the client");
  }
  const seen = {
    floor: base64(new Uint8Array(await floor())),
    signRequestKey: await cases.b_key(),
    signRequestString: await cases.b_string(),
    client: sent.headers.get("API-Sign"),
  };
  for (const [name, value] of Object.entries(seen)) {
    if (value !== expected) {
      throw new Error(
        `${name} signs differently from node:crypto: ${value} ≠ ${expected}`,
      );
    }
  }
  if (
    answer.result !== "success" || !cases.c_full().success ||
    !cases.c_one().success ||
    // `least` hashes the body the client sends.
    JSON.stringify(cases.c_full().output) !== FULL_BODY ||
    await cases.least() !== ANSWER ||
    (await cases.bare()).result !== "success"
  ) {
    throw new Error(
      "the cases do not do what they claim: a patch is refused or the answer is wrong",
    );
  }
  return cases;
}
