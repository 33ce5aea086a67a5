import { test } from "node:test";
import assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import {
  type AnyEmbedError,
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  EmbedError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  isEmbedError,
} from "@kraken-embed/client";

test("isEmbedError is true of each of the package's six errors", () => {
  const errors: AnyEmbedError[] = [
    new EmbedConfigError("apiKey", "Expected a string"),
    new EmbedValidationError("patch", [{ path: "phone", message: "x" }]),
    new EmbedApiError("Kraken answered 400", { status: 400 }),
    new EmbedTimeoutError(30_000, 3),
    new EmbedNetworkError(3, new TypeError("fetch failed")),
    new EmbedAbortError("stop"),
  ];
  for (const error of errors) {
    assert.equal(isEmbedError(error), true, error.name);
  }
});

test("isEmbedError is true of another copy's error, by its code, so that code narrows it", () => {
  // What an error from a second copy of the package (the CommonJS build in
  // an app that imports the ES module) is: another class, the same code.
  class OtherCopyApiError extends Error {
    readonly code = "ERR_EMBED_API";
    readonly status = 503;
    readonly errors: readonly string[] = ["EService:Unavailable"];
    readonly traceId = undefined;
    readonly body = undefined;
    readonly attempts = 3;
  }
  const caught: unknown = new OtherCopyApiError("Kraken answered 503");
  assert.equal(caught instanceof EmbedApiError, false);
  assert.equal(isEmbedError(caught), true);
  if (isEmbedError(caught) && caught.code === "ERR_EMBED_API") {
    // Compiles only if the code narrowed the union to EmbedApiError.
    const status: number = caught.status;
    assert.equal(status, 503);
  } else {
    assert.fail("not narrowed");
  }
  // An error of another realm (a test environment's) counts too.
  const foreign = runInNewContext(
    "Object.assign(new Error('x'), { code: 'ERR_EMBED_TIMEOUT', timeoutMs: 30000, attempts: 3 })",
  );
  assert.equal(isEmbedError(foreign), true);
  // One whose class gives it a Symbol.toStringTag is an error still, as
  // Error.isError says where the runtime has it (Node 20 has not).
  class Tagged extends OtherCopyApiError {
    get [Symbol.toStringTag]() {
      return "OtherCopyApiError";
    }
  }
  assert.equal(isEmbedError(new Tagged("Kraken answered 503")), true);
});

test("isEmbedError is false of anything else, a code that throws when read included", () => {
  const withThrowingCode = new Error("x");
  Object.defineProperty(withThrowingCode, "code", {
    get() {
      throw new Error("no");
    },
  });
  const others: unknown[] = [
    // The code without the fields its class has: narrowing would promise
    // fields that are not there (the base class made directly, another
    // library's error that reuses a code).
    new EmbedError("ERR_EMBED_API", "x"),
    Object.assign(new Error("x"), { code: "ERR_EMBED_VALIDATION" }),
    Object.assign(new Error("x"), { code: "ERR_EMBED_API", status: "503" }),
    Object.assign(new Error("x"), { code: "ERR_EMBED_TIMEOUT", attempts: 3 }),
    Object.assign(new Error("x"), { code: "ERR_EMBED_CONFIG", field: 1 }),
    // Not an error, whatever its tag says.
    {
      [Symbol.toStringTag]: "Error",
      code: "ERR_EMBED_NETWORK",
      message: "m",
      attempts: 1,
    },
    undefined,
    null,
    "ERR_EMBED_API",
    42,
    new Error("plain"),
    Object.assign(new Error("node"), { code: "ECONNRESET" }),
    Object.assign(new Error("close"), { code: "ERR_EMBED" }),
    // Not an error: an answer's body or a log record with the code.
    { code: "ERR_EMBED_API", status: 400 },
    Object.create(EmbedApiError.prototype),
    // Made from Error.prototype, with every field, but never constructed:
    // no error to Error.isError, nor (where it is missing, Node 20) here.
    Object.assign(Object.create(Error.prototype), {
      code: "ERR_EMBED_CONFIG",
      field: "x",
      message: "m",
    }),
    withThrowingCode,
    new Proxy(new Error("x"), {
      get() {
        throw new Error("trap");
      },
    }),
  ];
  others.forEach((value, i) => {
    assert.equal(isEmbedError(value), false, `others[${i}]`);
  });
});

test("isEmbedError wants every field of the code's class and a string message, and only the six codes", () => {
  const fields: Record<string, Record<string, unknown>> = {
    ERR_EMBED_CONFIG: { field: "apiKey" },
    ERR_EMBED_VALIDATION: { target: "patch", issues: [] },
    ERR_EMBED_API: { status: 503, errors: [], attempts: 1 },
    ERR_EMBED_TIMEOUT: { timeoutMs: 1000, attempts: 1 },
    ERR_EMBED_NETWORK: { attempts: 1 },
    ERR_EMBED_ABORTED: {},
  };
  const make = (code: string, rest: object) =>
    Object.assign(new Error("x"), { code }, rest);
  for (const [code, all] of Object.entries(fields)) {
    assert.equal(isEmbedError(make(code, all)), true, code);
    assert.equal(
      isEmbedError(make(code, { ...all, message: 1 })),
      false,
      `${code} with a message that is no string`,
    );
    for (const key of Object.keys(all)) {
      const { [key]: _, ...rest } = all;
      assert.equal(
        isEmbedError(make(code, rest)),
        false,
        `${code} without ${key}`,
      );
    }
  }
  // Names every object inherits are no codes.
  for (
    const code of ["constructor", "toString", "hasOwnProperty", "__proto__"]
  ) {
    assert.equal(isEmbedError(make(code, {})), false, code);
  }
});

test("where the runtime has Error.isError, an error of another realm whose class has a Symbol.toStringTag is one of the package's by its code", (t) => {
  if (typeof (Error as { isError?: unknown }).isError !== "function") {
    t.skip("no Error.isError here");
    return;
  }
  const foreign = runInNewContext(
    "class Tagged extends Error { get [Symbol.toStringTag]() { return 'Tagged'; } }" +
      "Object.assign(new Tagged('x'), { code: 'ERR_EMBED_NETWORK', attempts: 1 })",
  );
  assert.equal(isEmbedError(foreign), true);
});

async function withoutErrorIsError(body: () => void | Promise<void>) {
  const saved = Object.getOwnPropertyDescriptor(Error, "isError");
  delete (Error as { isError?: unknown }).isError;
  try {
    await body();
  } finally {
    if (saved) Object.defineProperty(Error, "isError", saved);
  }
}

test("isEmbedError without Error.isError: an error of any realm, by its internal slot, and nothing that only looks like one", async () => {
  await withoutErrorIsError(() => {
    assert.equal(
      isEmbedError(new EmbedApiError("Kraken answered 400", { status: 400 })),
      true,
    );
    // Another realm's error: not instanceof this realm's Error.
    const foreign = runInNewContext(
      "Object.assign(new Error('x'), { code: 'ERR_EMBED_TIMEOUT', timeoutMs: 30000, attempts: 3 })",
    );
    assert.equal(isEmbedError(foreign), true, "another realm's error");
    // An error whose class gives it a Symbol.toStringTag: known by instanceof.
    class Tagged extends Error {
      readonly code = "ERR_EMBED_NETWORK";
      readonly attempts = 1;
      get [Symbol.toStringTag]() {
        return "Tagged";
      }
    }
    assert.equal(isEmbedError(new Tagged("x")), true, "tagged error");
    // Not errors: a plain object tagged "Error", and one made from
    // Error.prototype without being constructed.
    assert.equal(
      isEmbedError({
        [Symbol.toStringTag]: "Error",
        code: "ERR_EMBED_NETWORK",
        message: "m",
        attempts: 1,
      }),
      false,
      "tagged plain object",
    );
    assert.equal(
      isEmbedError(
        Object.assign(Object.create(Error.prototype), {
          code: "ERR_EMBED_CONFIG",
          field: "x",
          message: "m",
        }),
      ),
      false,
      "made from Error.prototype",
    );
  });
});
