// runtimes: deno — reason: tests internal modules (src/schemas/_strict_object.ts, _picklist.ts) that the npm package does not export; their behaviour through the exported schemas is tested in every runtime
//
// The schemas' own strictObject and picklist replace valibot's run loop (for
// speed, see the modules' comments). picklist is held to valibot's picklist
// on generated inputs. strictObject differs from valibot's on purpose in
// three ways (own enumerable keys only, plain objects only, every unknown
// key reported), so it is held to valibot's strictObject on the inputs where
// those do not come in (plain objects with their own keys, at most one
// unknown key each); its fast path is held to its own loop on every input;
// and each difference has tests of its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as v from "valibot";
import { strictObject } from "../src/schemas/_strict_object.ts";
import { picklist } from "../src/schemas/_picklist.ts";
import { polluted } from "./_polluted.ts";
import {
  objectMessage,
  UNKNOWN_FIELD_MESSAGE,
} from "../src/schemas/_messages.ts";
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
// Values without an array, a Date or any other object that is not plain,
// on which valibot's strictObject and this one agree.
const plainValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, "", "ab", "abc", 0, 3, true),
  fc.record({ id: fc.constantFrom("x", 1) }, { requiredKeys: [] }),
  fc.double(),
  fc.string({ maxLength: 4 }),
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

// `own` with `inherited` on its prototype chain, and still a plain object:
// the prototype stands for another realm's `Object.prototype` with keys set
// on it by other code (no prototype of its own, and its `isPrototypeOf`),
// so that no run pollutes this realm's, which fast-check itself reads.
function withInherited(own: object, inherited: object): object {
  const realmPrototype = Object.defineProperty(
    Object.create(null),
    "isPrototypeOf",
    { value: Object.prototype.isPrototypeOf },
  );
  return Object.assign(
    Object.create(Object.assign(realmPrototype, inherited)),
    own,
  );
}

// Objects with any mix of the known keys and, now and then, unknown ones;
// and non-objects. With `agreeing`, only what valibot's strictObject treats
// as this one does: plain objects with their own keys, at most one unknown
// key, no array or other object where an object belongs. Otherwise also
// inherited keys, several unknown keys, and any value at all.
const inputFor = (
  extras: boolean,
  agreeing = false,
): fc.Arbitrary<unknown> => {
  const KEYS = Object.keys(entriesWith(v.strictObject, extras));
  const any = agreeing ? plainValue : value;
  const field = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: any });
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(
        fc.record(
          Object.fromEntries(KEYS.map((key) => [key, field(fieldValues[key])])),
          { requiredKeys: ["name", "length", "nested"] },
        ),
        fc.option(
          fc.dictionary(fc.string({ maxLength: 6 }), any, {
            maxKeys: agreeing ? 1 : 3,
          }),
          { freq: 4, nil: {} },
        ),
        agreeing ? fc.constant(undefined) : fc.option(
          fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 3 }),
          { freq: 4, nil: undefined },
        ),
      ).map(([known, unknown, inherited]) => {
        const own = { ...unknown, ...known };
        return inherited ? withInherited(own, inherited) : own;
      }),
    },
    {
      weight: 1,
      arbitrary: agreeing ? plainValue : fc.anything({ maxDepth: 1 }),
    },
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
  test(`strictObject gives valibot's strictObject's results where the two agree, entries ${kinds}: output, typed, every issue`, () => {
    let valid = 0;
    fc.assert(
      fc.property(
        inputFor(extras, true),
        config,
        message,
        (data, cfg, msg) => {
          const ours = strictObject(
            entriesWith(strictObject as ObjectFactory, extras),
            msg,
          );
          const theirs = v.strictObject(
            entriesWith(v.strictObject, extras),
            msg,
          );
          const expected = v.safeParse(theirs, data, cfg);
          assert.deepStrictEqual(v.safeParse(ours, data, cfg), expected);
          if (expected.success) valid++;
        },
      ),
      { numRuns: RUNS },
    );
    // Enough valid objects that the fast path's own output was compared.
    assert.ok(valid > RUNS / 5, `only ${valid} of ${RUNS} inputs were valid`);
  });
}

// The same schema with a copy of its entries: valibot's methods make such
// copies, which always run the loop, never the fast path.
const loopOnly = (schema: v.GenericSchema) => {
  const copy = schema as v.StrictObjectSchema<v.ObjectEntries, undefined>;
  return { ...copy, entries: { ...copy.entries } } as v.GenericSchema;
};

test("strictObject's fast path gives its loop's results on any input: inherited keys, several unknown keys, arrays and other objects", () => {
  let valid = 0;
  let inheriting = 0;
  fc.assert(
    fc.property(input, config, message, (data, cfg, msg) => {
      const ours = strictObject(
        entriesWith(strictObject as ObjectFactory),
        msg,
      );
      const expected = v.safeParse(loopOnly(ours), data, cfg);
      assert.deepStrictEqual(v.safeParse(ours, data, cfg), expected);
      if (expected.success) valid++;
      if (
        expected.success && typeof data === "object" && data !== null &&
        Object.getPrototypeOf(data) !== Object.prototype
      ) inheriting++;
    }),
    { numRuns: RUNS },
  );
  assert.ok(valid > RUNS / 5, `only ${valid} of ${RUNS} inputs were valid`);
  // Valid objects with inherited keys came by, and were accepted.
  assert.ok(inheriting > 0, "no valid input inherited keys");
});

// What a result says, without the objects its issues' paths point to (a
// copy of the input is not the input).
function summary(result: v.SafeParseResult<v.GenericSchema>) {
  return {
    success: result.success,
    output: result.output,
    issues: result.issues?.map((issue) => ({
      kind: issue.kind,
      type: issue.type,
      expected: issue.expected,
      received: issue.received,
      message: issue.message,
      path: issue.path?.map((item) => item.key),
    })),
  };
}

test("strictObject ignores inherited keys: an object with them gives the result of its own keys alone", () => {
  let hidden = 0;
  fc.assert(
    fc.property(
      inputFor(false, true).filter((data) =>
        typeof data === "object" && data !== null
      ),
      fc.dictionary(
        fc.constantFrom(...Object.keys(entriesWith(v.strictObject)), "other"),
        value,
        { minKeys: 1, maxKeys: 3 },
      ),
      config,
      (own, inherited, cfg) => {
        const ours = strictObject(
          entriesWith(strictObject as ObjectFactory),
          objectMessage,
        );
        const data = withInherited(own as object, inherited);
        assert.deepStrictEqual(
          summary(v.safeParse(ours, data, cfg)),
          summary(v.safeParse(ours, own, cfg)),
        );
        // A key that is inherited and not the object's own: one that
        // valibot's `in` would have found.
        if (Object.keys(inherited).some((key) => !Object.hasOwn(own!, key))) {
          hidden++;
        }
      },
    ),
    { numRuns: RUNS },
  );
  assert.ok(hidden > RUNS / 4, `only ${hidden} inputs hid a key`);
});

test("strictObject ignores keys set on Object.prototype, which valibot's would copy into its output", () => {
  const entries = () => ({ a: v.string(), b: v.optional(v.string()) });
  const proto = Object.prototype as Record<string, unknown>;
  proto.b = "inherited";
  // Not an entry: valibot's loop, walking its entries with for...in, would
  // take it for one.
  proto.c = "inherited";
  try {
    assert.deepEqual(v.parse(strictObject(entries(), undefined), { a: "x" }), {
      a: "x",
    });
    // An invalid object takes the loop: the same there.
    const invalid = v.safeParse(strictObject(entries(), undefined), { a: 1 });
    assert.deepEqual(invalid.output, { a: 1 });
    assert.deepEqual(invalid.issues?.map((issue) => v.getDotPath(issue)), [
      "a",
    ]);
    // valibot's own, for contrast: what this module exists to avoid. It
    // takes `c` for an entry, and fails on it.
    assert.throws(
      () => v.parse(v.strictObject(entries(), undefined), { a: "x" }),
      TypeError,
    );
    delete proto.c;
    assert.deepEqual(
      v.parse(v.strictObject(entries(), undefined), { a: "x" }),
      { a: "x", b: "inherited" },
    );
  } finally {
    delete proto.b;
    delete proto.c;
  }
});

test("strictObject made while Object.prototype.fallback is set fills no missing key with it, in its fast path or its loop", async () => {
  const entries = () => ({
    a: v.string(),
    b: v.optional(v.string()),
    c: v.nullish(v.number()),
  });
  // Set before the schema is made, as by a polluting merge at start-up.
  await polluted({ fallback: "polluted" }, () => {
    const schema = strictObject(entries(), undefined);
    assert.deepEqual(v.parse(schema, { a: "x" }), { a: "x" });
    const missing = v.safeParse(schema, { b: "y" });
    assert.equal(missing.success, false);
    assert.deepEqual(missing.issues?.map((issue) => v.getDotPath(issue)), [
      "a",
    ]);
  });
});

test("strictObject whose entries are replaced after a parse checks the new ones", () => {
  const schema = strictObject({ a: v.string() }, undefined);
  assert.equal(v.safeParse(schema, { a: "x", c: 1 }).success, false);
  (schema as { entries: v.ObjectEntries }).entries = {
    a: v.string(),
    c: v.number(),
  };
  assert.deepEqual(v.parse(schema, { a: "x", c: 1 }), { a: "x", c: 1 });
});

test("strictObject counts a known key the object owns but does not enumerate, in the fast path and the loop alike", () => {
  const schema = strictObject(
    { a: v.string(), b: v.optional(v.number()) },
    objectMessage,
  );
  const hidden = (b: unknown) => {
    const data = Object.defineProperty({ a: "x" }, "b", { value: b });
    // An unknown key that is not enumerable is not one JSON would send.
    return Object.defineProperty(data, "z", { value: 1 });
  };
  // Fast path: accepted, and in the output, which is what is sent.
  assert.deepEqual(v.parse(schema, hidden(1)), { a: "x", b: 1 });
  // The loop (a copy of the schema runs it) gives the same.
  assert.deepEqual(v.parse(loopOnly(schema), hidden(1)), { a: "x", b: 1 });
  // Invalid, it is reported at its path by both.
  for (const s of [schema, loopOnly(schema)]) {
    const result = v.safeParse(s, hidden("1"));
    assert.deepEqual(result.issues?.map((issue) => v.getDotPath(issue)), [
      "b",
    ]);
  }
});

test("strictObject reports every unknown key, in order, each at its path", () => {
  const ours = strictObject(
    entriesWith(strictObject as ObjectFactory),
    objectMessage,
  );
  const KEYS = new Set(Object.keys(entriesWith(v.strictObject)));
  let several = 0;
  fc.assert(
    fc.property(
      input.filter((data) =>
        typeof data === "object" && data !== null &&
        Object.getPrototypeOf(data) === Object.prototype
      ),
      (data) => {
        const unknown = Object.keys(data as object).filter((key) =>
          !KEYS.has(key)
        );
        const result = v.safeParse(ours, data);
        const top = (result.issues ?? []).filter((issue) =>
          issue.expected === "never" && issue.path?.length === 1
        );
        assert.deepEqual(top.map((issue) => issue.path![0].key), unknown);
        for (const issue of top) {
          assert.equal(issue.path![0].input, data);
          assert.equal(issue.message, UNKNOWN_FIELD_MESSAGE);
        }
        if (unknown.length > 1) several++;
      },
    ),
    { numRuns: RUNS },
  );
  assert.ok(several > RUNS / 20, `only ${several} inputs had several`);
});

test('strictObject refuses an array, a Date, a Map or a class instance as "Expected a plain object", where valibot\'s reads keys off it', () => {
  const ours = strictObject(
    { name: v.optional(v.string()), length: v.optional(v.number()) },
    objectMessage,
  );
  class Named {
    get name() {
      return "from a getter";
    }
  }
  for (
    const data of [
      [],
      ["a"],
      new Date(0),
      new Map([["name", "x"]]),
      new Named(),
      Object.create({ name: "inherited" }),
      // Fields on a prototype without one of its own, which is not a
      // realm's Object.prototype: refused, not read as an object whose
      // inherited fields are dropped.
      Object.create(Object.assign(Object.create(null), { name: "inherited" })),
    ]
  ) {
    const result = v.safeParse(ours, data);
    assert.equal(result.success, false);
    assert.deepEqual(result.issues?.map((issue) => issue.message), [
      "Expected a plain object",
    ]);
    assert.equal(result.issues?.[0].input, data);
    assert.equal(result.issues?.[0].path, undefined);
  }
  // valibot's own takes them: an array is an object with a length.
  assert.equal(
    v.is(v.strictObject({ length: v.number() }, undefined), []),
    true,
  );
  // Objects without a prototype, and JSON's, are objects.
  assert.equal(v.is(ours, Object.create(null)), true);
  assert.equal(v.is(ours, JSON.parse('{"name":"x"}')), true);
});

test("strictObject under v.pick, v.omit, v.partial and v.required behaves as valibot's where the two agree", () => {
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
      inputFor(false, true),
      config,
      fc.integer({ min: 0, max: derive.length - 1 }),
      (data, cfg, which) => {
        const ours = derive[which](
          strictObject(entriesWith(strictObject as ObjectFactory), undefined),
        );
        const theirs = derive[which](
          v.strictObject(entriesWith(v.strictObject), undefined),
        ) as v.StrictObjectSchema<v.ObjectEntries, undefined>;
        // valibot's reports only the first key the derived schema does not
        // know (picking and omitting make more of them unknown).
        fc.pre(
          typeof data !== "object" || data === null ||
            Object.keys(data).filter((key) => !(key in theirs.entries))
                .length <= 1,
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

test("strictObject's issue for each further unknown key has the shape of valibot's for the first: origin key, the key as input, its value", () => {
  const schema = strictObject({ a: v.string() }, objectMessage);
  const data = { a: "x", b: 1, c: 2, d: undefined };
  const result = v.safeParse(schema, data);
  assert.deepStrictEqual(
    result.issues?.map((issue) => ({
      kind: issue.kind,
      type: issue.type,
      input: issue.input,
      expected: issue.expected,
      received: issue.received,
      message: issue.message,
      path: issue.path,
    })),
    (["b", "c", "d"] as const).map((key) => ({
      kind: "schema",
      type: "strict_object",
      input: key,
      expected: "never",
      received: `"${key}"`,
      message: UNKNOWN_FIELD_MESSAGE,
      path: [{
        type: "object",
        origin: "key",
        input: data,
        key,
        value: data[key],
      }],
    })),
  );
});

test("strictObject refuses a function as not an object, even one without a prototype, in its fast path and its loop", () => {
  const schema = strictObject({ a: v.optional(v.string()) }, objectMessage);
  const fn = Object.assign(Object.setPrototypeOf(function () {}, null), {
    a: "x",
  });
  for (const s of [schema, loopOnly(schema)]) {
    assert.deepStrictEqual(
      v.safeParse(s, fn).issues?.map((issue) => issue.message),
      ["Expected a plain object"],
    );
  }
});

// Where the fast path must step aside for valibot's loop, each with entries of
// one kind only (the generated entries above hold a default and a fallback
// together, so that dropping either check went unseen), and a copy made by
// v.omit, which the generated inputs reach only now and then.

function outcome(schema: v.GenericSchema, input: unknown) {
  const result = v.safeParse(schema, input);
  return {
    success: result.success,
    output: result.output,
    issues: result.issues?.map((issue) => [
      v.getDotPath(issue),
      issue.expected,
      issue.message,
    ]),
  };
}

function same(
  make: () => v.ObjectEntries,
  inputs: unknown[],
  wrap: (s: v.GenericSchema) => v.GenericSchema = (s) => s,
) {
  const ours = wrap(strictObject(make(), objectMessage));
  const theirs = wrap(v.strictObject(make(), objectMessage));
  for (const input of inputs) {
    assert.deepStrictEqual(
      outcome(ours, input),
      outcome(theirs, input),
      JSON.stringify(input),
    );
  }
}

test("strictObject requires an undefinedable key as valibot's does: it is not optional", () => {
  same(() => ({ a: v.undefinedable(v.string()), b: v.string() }), [
    { b: "x" },
    { a: undefined, b: "x" },
    { a: "y", b: "x" },
  ]);
  assert.equal(
    v.safeParse(
      strictObject({ a: v.undefinedable(v.string()) }, objectMessage),
      {},
    ).success,
    false,
  );
});

test("strictObject fills a missing key's default, with no fallback among its entries, as valibot's does", () => {
  same(() => ({ a: v.optional(v.string(), "dflt"), b: v.string() }), [
    { b: "x" },
    { a: "y", b: "x" },
  ]);
  assert.deepStrictEqual(
    v.parse(
      strictObject({ a: v.nullish(v.number(), 7) }, objectMessage),
      {},
    ),
    { a: 7 },
  );
});

test("strictObject fills a missing key's fallback, with no default among its entries, as valibot's does", () => {
  // An optional entry's fallback too: valibot's loop puts it in for a
  // missing key, where the fast path would leave the key out.
  same(() => ({
    a: v.fallback(v.number(), 42),
    c: v.fallback(v.optional(v.number()), 43),
    b: v.string(),
  }), [
    { b: "x" },
    { a: 1, b: "x" },
    { a: "bad", c: 2, b: "x" },
  ]);
});

test("strictObject under v.omit refuses an omitted key as unknown, as valibot's does", () => {
  const make = () => ({ a: v.string(), b: v.optional(v.string()) });
  // One unknown key each: ours names every one, valibot's the first.
  same(make, [{ a: "x", b: "y" }, { a: "x" }, { a: "x", c: 1 }], (
    s,
  ) => v.omit(s as v.StrictObjectSchema<v.ObjectEntries, undefined>, ["b"]));
  const omitted = v.omit(strictObject(make(), objectMessage), ["b"]);
  assert.deepEqual(
    v.safeParse(omitted, { a: "x", b: "y" }).issues?.map((i) =>
      v.getDotPath(i)
    ),
    ["b"],
  );
});

test("strictObject fills a missing key's default or fallback of null, as valibot's does", () => {
  // null is a value: an entry with it must keep valibot's loop, which puts
  // it in, where the fast path would leave the key out. One kind per schema,
  // so that either check dropped shows.
  same(() => ({ a: v.nullish(v.string(), null), b: v.string() }), [
    { b: "x" },
    { a: "y", b: "x" },
  ]);
  same(() => ({
    c: v.fallback(v.optional(v.nullable(v.number())), null),
    b: v.string(),
  }), [{ b: "x" }, { c: 1, b: "x" }, { c: "bad", b: "x" }]);
  assert.deepStrictEqual(
    v.parse(
      strictObject({ a: v.nullish(v.string(), null) }, objectMessage),
      {},
    ),
    { a: null },
  );
});

test("strictObject reads each unknown key it names once, its issue holding the value read, and reads none it only counts", () => {
  const schema = strictObject({ a: v.string() }, objectMessage);
  const reads: Record<string, number> = {};
  const data: Record<string, unknown> = { a: "x" };
  for (let i = 0; i < 25; i++) {
    const key = `k${i}`;
    reads[key] = 0;
    // A new value at each read: a second read would show in the issue.
    Object.defineProperty(data, key, {
      enumerable: true,
      get: () => `${key} read ${++reads[key]}`,
    });
  }
  const result = v.safeParse(schema, data);
  assert.deepEqual(
    result.issues?.map((issue) => [v.getDotPath(issue), issue.path![0].value]),
    Array.from({ length: 20 }, (_, i) => [`k${i}`, `k${i} read 1`]),
  );
  assert.deepEqual(
    reads,
    Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`k${i}`, i < 20 ? 1 : 0]),
    ),
  );
});

test("strictObject takes an object literal while Object.prototype.isPrototypeOf is deleted: this realm's prototype is known as itself", () => {
  const ours = strictObject({ name: v.optional(v.string()) }, objectMessage);
  const proto = Object.prototype as { isPrototypeOf?: unknown };
  const saved = Object.getOwnPropertyDescriptor(proto, "isPrototypeOf")!;
  delete proto.isPrototypeOf;
  try {
    const result = v.safeParse(ours, { name: "x" });
    assert.deepEqual([result.success, result.output], [true, { name: "x" }]);
  } finally {
    Object.defineProperty(proto, "isPrototypeOf", saved);
  }
});

test("strictObject refuses an object whose prototype owns isPrototypeOf but has a prototype itself: it is no realm's Object.prototype", () => {
  const ours = strictObject({ name: v.optional(v.string()) }, objectMessage);
  class Checker {
    isPrototypeOf(): boolean {
      return false;
    }
  }
  for (
    const data of [
      new Checker(),
      // Fields on a prototype made from an object literal that copied
      // Object.prototype's isPrototypeOf: dropped without a word if taken.
      Object.create({
        isPrototypeOf: Object.prototype.isPrototypeOf,
        name: "inherited",
      }),
    ]
  ) {
    assert.deepEqual(
      v.safeParse(ours, data).issues?.map((issue) => issue.message),
      ["Expected a plain object"],
    );
  }
});
