// runtimes: deno — reason: tests internal modules (src/schemas/_strict_object.ts, _picklist.ts) that the npm package does not export; their behaviour through the exported schemas is tested in every runtime
//
// The schemas' own strictObject and picklist replace only valibot's run loop
// (for speed, see the modules' comments). These tests hold them to valibot's
// behaviour: the same result (success, typed, output, every issue with its
// path, message and fields) as valibot's strictObject and picklist on
// generated inputs, under every config, and through valibot's methods.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as v from "valibot";
import { strictObject } from "../src/schemas/_strict_object.ts";
import { picklist } from "../src/schemas/_picklist.ts";
import { objectMessage } from "../src/schemas/_messages.ts";
import {
  COUNTRY_CODES,
  LANGUAGE_CODES,
  OCCUPATIONS,
  UserPatchSchema,
} from "@kraken-embed/client";

const RUNS = 2_000;

type ObjectFactory = (
  entries: v.ObjectEntries,
  message?: (issue: { readonly expected: string | null }) => string,
) => v.GenericSchema;

// A hand-made schema that leaves its value untyped without an issue, as a
// schema outside valibot might.
const untyped = {
  kind: "schema",
  type: "untyped",
  reference: () => untyped,
  expects: "anything",
  async: false,
  "~run": (dataset: { value: unknown }) => dataset,
} as unknown as v.GenericSchema;

// The same entries, built twice: once with valibot's strictObject for nested
// objects, once with ours. Every kind of entry the fast path treats
// differently: required, optional, exact_optional, nullish, a transformation
// (the output differs from the input), a nested strict object and an array
// of them; with `extras`, also a default and a fallback, which make ours
// keep valibot's loop.
function entriesWith(object: ObjectFactory, extras = false): v.ObjectEntries {
  const nested = object(
    { id: v.string(), n: v.optional(v.number()) },
    objectMessage,
  );
  return {
    name: v.pipe(v.string(), v.minLength(2)),
    count: v.optional(v.number()),
    exact: v.exactOptional(v.boolean()),
    note: v.nullish(v.string()),
    length: v.pipe(v.string(), v.transform((s) => s.length)),
    nested,
    list: v.optional(v.array(nested)),
    untyped: v.optional(untyped),
    ...(extras && {
      withDefault: v.optional(v.string(), "fallback-default"),
      nullishDefault: v.nullish(v.number(), () => 7),
      withFallback: v.fallback(v.number(), 42),
    }),
  };
}

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, "", "ab", "abc", 0, 3, true),
  fc.record({ id: fc.constantFrom("x", 1) }, { requiredKeys: [] }),
  fc.anything({ maxDepth: 2 }),
);

// Mostly valid values, so that most objects take the fast path to the end;
// now and then any value at all.
const nestedObject = fc.record(
  { id: fc.string({ maxLength: 4 }), n: fc.double() },
  { requiredKeys: ["id"] },
);
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.string({ minLength: 2, maxLength: 4 }),
  count: fc.option(fc.double(), { nil: undefined }),
  exact: fc.boolean(),
  note: fc.option(fc.string({ maxLength: 4 }), { nil: null }),
  length: fc.string({ maxLength: 4 }),
  nested: nestedObject,
  list: fc.option(fc.array(nestedObject, { maxLength: 3 }), { nil: undefined }),
  untyped: fc.constant(1),
  withDefault: fc.string({ maxLength: 4 }),
  nullishDefault: fc.option(fc.double(), { nil: null }),
  withFallback: fc.double(),
};
const field = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: value });

// Objects with any mix of the known keys and, now and then, unknown ones,
// sometimes inheriting keys from a prototype; and non-objects.
const inputFor = (extras: boolean): fc.Arbitrary<unknown> => {
  const KEYS = Object.keys(entriesWith(v.strictObject, extras));
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(
        fc.record(
          Object.fromEntries(KEYS.map((key) => [key, field(fieldValues[key])])),
          { requiredKeys: ["name", "length", "nested"] },
        ),
        fc.option(
          fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 2 }),
          {
            freq: 4,
            nil: {},
          },
        ),
        fc.option(
          fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 3 }),
          {
            freq: 4,
            nil: undefined,
          },
        ),
      ).map(([known, unknown, inherited]) => {
        const own = { ...unknown, ...known };
        return inherited ? Object.assign(Object.create(inherited), own) : own;
      }),
    },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  );
};
const input = inputFor(false);

const config: fc.Arbitrary<v.Config<v.GenericIssue>> = fc.record({
  abortEarly: fc.option(fc.boolean(), { nil: undefined }),
  abortPipeEarly: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: [] });

const message = fc.constantFrom(undefined, objectMessage);

for (const extras of [false, true]) {
  const kinds = extras
    ? "with a default and a fallback"
    : "of every other kind";
  test(`strictObject gives valibot's strictObject's results, entries ${kinds}: output, typed, every issue`, () => {
    let valid = 0;
    fc.assert(
      fc.property(inputFor(extras), config, message, (data, cfg, msg) => {
        const ours = strictObject(
          entriesWith(strictObject as ObjectFactory, extras),
          msg,
        );
        const theirs = v.strictObject(entriesWith(v.strictObject, extras), msg);
        const expected = v.safeParse(theirs, data, cfg);
        assert.deepStrictEqual(v.safeParse(ours, data, cfg), expected);
        if (expected.success) valid++;
      }),
      { numRuns: RUNS },
    );
    // Enough valid objects that the fast path's own output was compared.
    assert.ok(valid > RUNS / 5, `only ${valid} of ${RUNS} inputs were valid`);
  });
}

test("strictObject under v.pick, v.omit, v.partial and v.required behaves as valibot's", () => {
  const derive = [
    (s: v.GenericSchema) =>
      v.pick(s as v.StrictObjectSchema<v.ObjectEntries, undefined>, [
        "name",
        "note",
        "nested",
      ]),
    (s: v.GenericSchema) =>
      v.omit(s as v.StrictObjectSchema<v.ObjectEntries, undefined>, [
        "name",
        "length",
      ]),
    (s: v.GenericSchema) =>
      v.partial(s as v.StrictObjectSchema<v.ObjectEntries, undefined>),
    (s: v.GenericSchema) =>
      v.required(s as v.StrictObjectSchema<v.ObjectEntries, undefined>),
  ];
  fc.assert(
    fc.property(
      input,
      config,
      fc.integer({ min: 0, max: derive.length - 1 }),
      (data, cfg, which) => {
        const ours = derive[which](
          strictObject(entriesWith(strictObject as ObjectFactory), undefined),
        );
        const theirs = derive[which](
          v.strictObject(entriesWith(v.strictObject), undefined),
        );
        assert.deepStrictEqual(
          v.safeParse(ours, data, cfg),
          v.safeParse(theirs, data, cfg),
        );
      },
    ),
    { numRuns: RUNS },
  );
});

test("strictObject is valibot's schema: type, reference, entries (frozen), ~standard", async () => {
  const entries = { a: v.string() };
  const schema = strictObject(entries, undefined);
  assert.equal(schema.type, "strict_object");
  assert.equal(schema.reference, v.strictObject);
  assert.equal(schema.entries, entries);
  assert.ok(Object.isFrozen(entries));
  // ~standard runs the replaced loop, and answers as valibot's does.
  const theirs = v.strictObject({ a: v.string() }, undefined);
  for (const data of [{ a: "x" }, { a: "x", b: 1 }, { b: 1 }, null]) {
    assert.deepStrictEqual(
      await schema["~standard"].validate(data),
      await theirs["~standard"].validate(data),
    );
  }
  const bad = await schema["~standard"].validate({ a: "x", b: 1 });
  assert.deepEqual(bad.issues?.map((issue) => issue.path?.[0]), [{
    type: "object",
    origin: "key",
    input: { a: "x", b: 1 },
    key: "b",
    value: 1,
  }]);
});

test("strictObject copies: the output is a new object with only the known keys", () => {
  const schema = strictObject({ a: v.string() }, undefined);
  const data = { a: "x" };
  const out = v.parse(schema, data);
  assert.deepEqual(out, { a: "x" });
  assert.notEqual(out, data);
});

test("UserPatchSchema's code schemas keep their lists frozen", () => {
  for (const list of [COUNTRY_CODES, OCCUPATIONS, LANGUAGE_CODES]) {
    assert.ok(Object.isFrozen(list));
    assert.throws(() => (list as unknown as string[]).push("ZZ"), TypeError);
  }
  // And the schema built from them is still valibot's strict object.
  const root = (UserPatchSchema as unknown as {
    pipe: [v.StrictObjectSchema<v.ObjectEntries, undefined>];
  }).pipe[0];
  assert.equal(root.reference, v.strictObject);
});

test("picklist gives valibot's picklist's results, with SameValueZero", () => {
  const options = ["GB", "IE", "en", "", 0, NaN, 10n] as const;
  const data = fc.oneof(
    fc.constantFrom<unknown>(
      ...options,
      -0,
      "0",
      10,
      "10",
      "gb",
      " GB",
      Number.NaN,
      null,
      undefined,
    ),
    fc.integer({ min: -3, max: 12 }),
    fc.bigInt({ min: -3n, max: 12n }),
    fc.string({ maxLength: 3 }),
    fc.anything({ maxDepth: 1 }),
  );
  fc.assert(
    fc.property(data, config, message, (value, cfg, msg) => {
      const ours = picklist([...options], msg);
      const theirs = v.picklist([...options], msg);
      assert.deepStrictEqual(
        v.safeParse(ours, value, cfg),
        v.safeParse(theirs, value, cfg),
      );
    }),
    { numRuns: RUNS },
  );
});

test("picklist is valibot's schema, and a copy with other options checks those", () => {
  const options = ["a", "b"];
  const schema = picklist(options, undefined);
  assert.equal(schema.type, "picklist");
  assert.equal(schema.reference, v.picklist);
  assert.equal(schema.options, options);
  assert.ok(Object.isFrozen(options));
  const copy = { ...schema, options: ["c"] };
  assert.equal(v.is(copy, "c"), true);
  assert.equal(v.is(copy, "a"), false);
  assert.equal(v.is(schema, "a"), true);
  assert.equal(v.is(schema, "c"), false);
});
