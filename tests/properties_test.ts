// Property tests: valid patches go through intact, a patch with one bad
// field is refused at that field, and random strings anywhere produce only
// the library's own errors.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as v from "valibot";
import {
  COUNTRY_CODES,
  EmbedClient,
  type EmbedClientOptions,
  EmbedError,
  LANGUAGE_CODES,
  OCCUPATIONS,
  type UserPatch,
  UserPatchSchema,
} from "@kraken-embed/client";
import {
  API_KEY,
  expectedSign,
  fakeFetch,
  SECRET,
  success,
  USER,
} from "./_fake_fetch.ts";
import { type Bad, PATCH_CORPUS, VALID_PARENTS } from "./_corpus.ts";
import { anyString, userPatch } from "./_arbitraries.ts";
import { assertNames, describe, exactPath, unpack } from "./_refusal.ts";

const RUNS = 300;
const counts = {
  properties: 0,
  accepted: 0,
  corrupted: 0,
  randomRuns: 0,
  randomAccepted: 0,
  randomRefused: 0,
};

after(() => {
  console.log(
    `summary: properties: ${counts.properties} properties, ${counts.accepted} valid patches sent intact, ${counts.corrupted} one-field corruptions refused at that field, ${counts.randomRuns} random keys/secrets/IIBANs/nonces/URLs (${counts.randomRefused} refused, ${counts.randomAccepted} accepted), no other error than EmbedError`,
  );
});

function check<T>(property: fc.IAsyncProperty<T>): Promise<void> {
  counts.properties++;
  return fc.assert(property, { numRuns: RUNS });
}

test("any patch built from valid parts is accepted, survives JSON, and is sent as it is", async () => {
  const recorder = fakeFetch(success());
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: recorder.fetch,
  });
  await check(fc.asyncProperty(userPatch, async (patch) => {
    // fast-check also builds objects without a prototype; compared as the
    // plain objects they stand for.
    const plain = structuredClone(patch);
    assert.deepEqual(v.parse(UserPatchSchema, patch), plain);
    assert.deepEqual(JSON.parse(JSON.stringify(patch)), plain);
    recorder.requests.length = 0;
    assert.deepEqual(await client.users.update(USER, patch), {
      result: "success",
    });
    assert.equal(recorder.requests.length, 1);
    const [sent] = recorder.requests;
    assert.deepEqual(JSON.parse(sent.body), plain);
    assert.equal(sent.headers["api-sign"], expectedSign(sent));
    counts.accepted++;
  }));
});

// Bad values for a field: the corpus's, and generated ones of the kinds
// that field refuses.
const TEXT_FIELDS = [
  "full_name.first_name",
  "full_name.last_name",
  "full_name.middle_name",
  "city_of_birth",
  "residence.line1",
  "residence.line2",
  "residence.city",
  "residence.province",
  "residence.postal_code",
  "tax_ids.1.id",
  "employer_name",
  "client_identifier.value",
];
const COUNTRY_FIELDS = [
  "country_of_birth",
  "residence.country",
  "nationalities.1",
  "tax_ids.1.issuing_country",
];
const countries = new Set<string>(COUNTRY_CODES);
const languages = new Set<string>(LANGUAGE_CODES);
const occupations = new Set<string>(OCCUPATIONS);

type Corruption = { field: string } & Bad;

const generated = (
  fields: string[],
  values: fc.Arbitrary<unknown>,
): fc.Arbitrary<Corruption> =>
  fc.tuple(fc.constantFrom(...fields), values).map(([field, value]) => ({
    field,
    value,
  }));

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constantFrom(
    ...PATCH_CORPUS.flatMap(([field, values]) =>
      values.map((entry) => ({ field, ...unpack(entry) }))
    ),
  ),
  generated(
    TEXT_FIELDS,
    fc.oneof(
      fc.stringMatching(/^[ \t\n\r\u00a0\u2028\u3000\ufeff]{1,12}$/),
      fc.string({ minLength: 256, maxLength: 400 }),
    ),
  ),
  generated(
    COUNTRY_FIELDS,
    anyString.filter((s) => !countries.has(s)),
  ),
  generated(
    ["phone"],
    anyString.filter((s) => !/^\+?[1-9][0-9]{1,14}$/.test(s)),
  ),
  generated(
    ["date_of_birth"],
    fc.oneof(
      anyString.filter((s) => !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)),
      fc.date({
        min: new Date(Date.now() + 2 * 86_400_000),
        max: new Date("9999-12-31T00:00:00Z"),
        noInvalidDate: true,
      }).map((d) => d.toISOString().slice(0, 10)),
    ),
  ),
  generated(
    ["client_identifier.calculated_at"],
    anyString.filter((s) => !/^[0-9]{4}-[0-9]{2}-[0-9]{2}T/.test(s)),
  ),
  generated(["language"], anyString.filter((s) => !languages.has(s))),
  generated(["occupation"], anyString.filter((s) => !occupations.has(s))),
  generated(
    ["tos_version_accepted"],
    fc.oneof(
      fc.maxSafeInteger().filter((n) => n > 2147483647 || n < -2147483648),
      fc.double().filter((n) => !Number.isInteger(n)),
    ),
  ),
);

/** `patch` with `value` at `field`; parents the patch lacks come from VALID_PARENTS. */
function corrupt(
  patch: UserPatch,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const [top, ...rest] = field.split(".");
  const copy: Record<string, unknown> = { ...patch };
  if (rest.length === 0) {
    copy[top] = value;
    return copy;
  }
  // Arrays always come from VALID_PARENTS, whose first items the corpus's
  // duplicates refer to; an object parent is the patch's own when it has one.
  const own = copy[top];
  const parent = Array.isArray(VALID_PARENTS[top]) ||
      typeof own !== "object" || own === null
    ? VALID_PARENTS[top]
    : own;
  let node = structuredClone(parent) as Record<string, unknown>;
  copy[top] = node;
  for (const key of rest.slice(0, -1)) {
    node = node[key] as Record<string, unknown>;
  }
  node[rest[rest.length - 1]] = value;
  return copy;
}

test("corrupting any one field of a valid patch gets it refused, naming that field", async () => {
  const recorder = fakeFetch(success());
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: recorder.fetch,
  });
  await check(
    fc.asyncProperty(userPatch, corruption, async (patch, bad) => {
      const broken = corrupt(patch, bad.field, bad.value);
      const error = await client.users.update(USER, broken as UserPatch)
        .then(() => undefined, (e) => e);
      assertNames(
        error,
        "patch",
        bad.field,
        exactPath(bad.field, bad.value, bad.at),
        `${bad.field} = ${describe(bad.value)} in ${describe(patch)}`,
      );
      counts.corrupted++;
    }),
  );
  assert.equal(recorder.requests.length, 0);
});

/**
 * Builds a client from `options` and calls `use` on it; any error on the way
 * must be an EmbedError. Counts what happened.
 */
async function onlyEmbedErrors(
  options: Partial<EmbedClientOptions>,
  use: (client: EmbedClient) => Promise<unknown>,
): Promise<void> {
  counts.randomRuns++;
  const recorder = fakeFetch(success());
  let client: EmbedClient;
  try {
    client = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      fetch: recorder.fetch,
      maxRetries: 0,
      ...options,
    });
  } catch (error) {
    assert.ok(error instanceof EmbedError, `construction threw ${error}`);
    counts.randomRefused++;
    return;
  }
  try {
    await use(client);
    counts.randomAccepted++;
  } catch (error) {
    assert.ok(error instanceof EmbedError, `the call threw ${error}`);
    counts.randomRefused++;
  }
}

const update = (client: EmbedClient) =>
  client.users.update(USER, { language: "en" });

test("random strings as API keys, secrets, base URLs and versions give only EmbedErrors", async () => {
  await check(
    fc.asyncProperty(
      fc.constantFrom("apiKey", "apiSecret", "baseUrl", "apiVersion"),
      anyString,
      (field, value) => onlyEmbedErrors({ [field]: value }, update),
    ),
  );
});

test("random strings as IIBANs give only EmbedErrors, in update() and get()", async () => {
  await check(
    fc.asyncProperty(anyString, fc.boolean(), (user, get) =>
      onlyEmbedErrors(
        {},
        (client) =>
          get
            ? client.users.get(user)
            : client.users.update(user, { language: "en" }),
      )),
  );
});

test("random strings and values from a nonce source give only EmbedErrors", async () => {
  await check(
    fc.asyncProperty(
      fc.oneof(anyString, fc.bigInt(), fc.anything()),
      (nonce) => onlyEmbedErrors({ nonce: () => nonce as string }, update),
    ),
  );
});
