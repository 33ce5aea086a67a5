/**
 * The declared type of the exported schemas: valibot's synchronous schema
 * shape, written out in this package.
 *
 * Why not `v.GenericSchema`? `deno doc --lint` (and so JSR's documentation)
 * treats every type that comes from an npm package as private, and refuses a
 * public symbol that refers to one (denoland/deno#27364). These interfaces
 * describe the same members as valibot 1.x's `BaseSchema` and `BaseIssue`, so
 * a value typed with them is a valibot schema to every valibot function
 * (`v.parse`, `v.pipe`, `v.object`, `v.InferInput`, ...), and
 * tests/schema_compat_test.ts checks that both ways at compile time.
 *
 * @module
 */

/**
 * One step of an issue's path: the object key or array index that led to the
 * value, with the value and its container. It is what valibot stores in
 * `issue.path`; `v.getDotPath(issue)` joins the keys into `residence.country`.
 *
 * @example Reading the key of each path step
 * ```ts
 * import * as v from "valibot";
 * import { UserPatchSchema, type ValibotPathItem } from "@kraken-embed/client";
 *
 * const result = v.safeParse(UserPatchSchema, {
 *   residence: { line1: "1 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "fr" },
 * });
 * const path: ValibotPathItem[] = result.issues?.[0].path ?? [];
 * path.map((item) => item.key); // ["residence", "country"]
 * ```
 */
export type ValibotPathItem =
  | {
    /** An object's entry. */
    readonly type: "object";
    /** Whether the issue concerns the key or the value. */
    readonly origin: "key" | "value";
    /** The object. */
    readonly input: Record<string, unknown>;
    /** The key. */
    readonly key: string;
    /** The value under the key. */
    readonly value: unknown;
  }
  | {
    /** An array's item. */
    readonly type: "array";
    /** Always the value. */
    readonly origin: "value";
    /** The array. */
    readonly input: readonly unknown[];
    /** The index. */
    readonly key: number;
    /** The item. */
    readonly value: unknown;
  }
  | {
    /** A Map's entry. */
    readonly type: "map";
    /** Whether the issue concerns the key or the value. */
    readonly origin: "key" | "value";
    /** The map. */
    readonly input: Map<unknown, unknown>;
    /** The key. */
    readonly key: unknown;
    /** The value under the key. */
    readonly value: unknown;
  }
  | {
    /** A Set's item. */
    readonly type: "set";
    /** Always the value. */
    readonly origin: "value";
    /** The set. */
    readonly input: Set<unknown>;
    /** Always null: a Set has no keys. */
    readonly key: null;
    /** The item. */
    readonly value: unknown;
  }
  | {
    /** Any other container. */
    readonly type: "unknown";
    /** Whether the issue concerns the key or the value. */
    readonly origin: "key" | "value";
    /** The container. */
    readonly input: unknown;
    /** The key. */
    readonly key: unknown;
    /** The value under the key. */
    readonly value: unknown;
  };

/**
 * One problem a schema found, as valibot reports it (valibot's `BaseIssue`).
 * The schemas of this package write `message` themselves: it says what was
 * expected and never quotes the input, which may be personal data (`input`
 * and `received` do hold it: do not log them).
 *
 * @example Listing the issues of a patch
 * ```ts
 * import * as v from "valibot";
 * import { UserPatchSchema, type ValibotIssue } from "@kraken-embed/client";
 *
 * const result = v.safeParse(UserPatchSchema, { phone: "012", language: "xx" });
 * const issues: ValibotIssue[] = result.issues ?? [];
 * issues.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`);
 * ```
 */
export interface ValibotIssue {
  /** Which part of valibot raised it. */
  readonly kind: "schema" | "validation" | "transformation";
  /** The name of the schema or action, e.g. `picklist` or `check`. */
  readonly type: string;
  /** The value that failed (may be personal data). */
  readonly input: unknown;
  /** What was expected, in valibot's notation, if it says. */
  readonly expected: string | null;
  /** What was received, in valibot's notation (may quote the input). */
  readonly received: string;
  /** The message: what was expected, without the value. */
  readonly message: string;
  /** The parameter of the failed requirement, if any. */
  readonly requirement?: unknown;
  /** The keys that lead to the value, outermost first. */
  readonly path?: [ValibotPathItem, ...ValibotPathItem[]] | undefined;
  /** Sub-issues, for schemas made of alternatives. */
  readonly issues?: [ValibotIssue, ...ValibotIssue[]] | undefined;
  /** The language valibot was configured with. */
  readonly lang?: string | undefined;
  /** Whether parsing stopped at the first issue. */
  readonly abortEarly?: boolean | undefined;
  /** Whether each pipe stopped at its first issue. */
  readonly abortPipeEarly?: boolean | undefined;
}

/**
 * A synchronous valibot schema whose input type is `TInput` and output type
 * `TOutput`: the same members as valibot's `GenericSchema<TInput, TOutput>`,
 * so it goes wherever valibot takes a schema. Members whose names start with
 * `~` are valibot's internals; use valibot's functions rather than calling
 * them.
 *
 * @typeParam TInput What the schema accepts.
 * @typeParam TOutput What parsing returns.
 *
 * @example Using an exported schema with valibot
 * ```ts
 * import * as v from "valibot";
 * import {
 *   CountryCodeSchema,
 *   type CountryCode,
 *   type ValibotSchema,
 * } from "@kraken-embed/client";
 *
 * const schema: ValibotSchema<CountryCode> = CountryCodeSchema;
 * const Shipping = v.object({ country: schema, note: v.string() });
 * v.parse(Shipping, { country: "FR", note: "door code 12" });
 * ```
 */
export interface ValibotSchema<TInput, TOutput = TInput> {
  /** Always `"schema"`. */
  readonly kind: "schema";
  /** The name of the outermost valibot schema, e.g. `strict_object`. */
  readonly type: string;
  /**
   * The valibot function that made the schema. (Written as a method, whose
   * arguments TypeScript compares both ways, so that every valibot function
   * fits, `v.custom`'s and `v.lazy`'s, which take a function, included.)
   */
  reference(...args: unknown[]): ValibotSchema<unknown, unknown>;
  /** What the schema expects, in valibot's notation. */
  readonly expects: string;
  /** Always `false`: these schemas validate synchronously. */
  readonly async: false;
  /** The Standard Schema interface (standardschema.dev), version 1. */
  readonly "~standard": {
    /** The Standard Schema version. */
    readonly version: 1;
    /** Always `"valibot"`. */
    readonly vendor: "valibot";
    /** Validates a value, Standard Schema style. */
    readonly validate: (value: unknown) =>
      | ValibotStandardResult<TOutput>
      | Promise<ValibotStandardResult<TOutput>>;
    /** The input and output types, for inference only. */
    readonly types?:
      | { readonly input: TInput; readonly output: TOutput }
      | undefined;
  };
  /**
   * Valibot's internal parser; call `v.parse` or `v.safeParse` instead.
   * (`[TOutput][TOutput extends unknown ? 0 : never]` is `TOutput`, written
   * so that TypeScript infers `TOutput` from `~types` only: the failure
   * result's `value: unknown` would otherwise widen it to `unknown`.)
   */
  readonly "~run": (
    dataset: { typed?: false; value: unknown; issues?: undefined },
    config: {
      readonly lang?: string | undefined;
      readonly abortEarly?: boolean | undefined;
      readonly abortPipeEarly?: boolean | undefined;
    },
  ) =>
    | {
      typed: true;
      value: [TOutput][TOutput extends unknown ? 0 : never];
      issues?: undefined;
    }
    | {
      typed: true;
      value: [TOutput][TOutput extends unknown ? 0 : never];
      issues: [ValibotIssue, ...ValibotIssue[]];
    }
    | {
      typed: false;
      value: unknown;
      issues: [ValibotIssue, ...ValibotIssue[]];
    };
  /** The input, output and issue types, for inference only. */
  readonly "~types"?:
    | {
      readonly input: TInput;
      readonly output: TOutput;
      readonly issue: ValibotIssue;
    }
    | undefined;
}

/**
 * What a schema's Standard Schema `validate` returns: the value, or the
 * issues with their messages and paths.
 *
 * @typeParam TOutput The validated value's type.
 *
 * @example Validating through the Standard Schema interface
 * ```ts
 * import {
 *   LanguageSchema,
 *   type ValibotStandardResult,
 * } from "@kraken-embed/client";
 *
 * const result = LanguageSchema["~standard"].validate("en") as
 *   ValibotStandardResult<string>;
 * result.issues === undefined; // true
 * ```
 */
export type ValibotStandardResult<TOutput> =
  | {
    /** The validated value. */
    readonly value: TOutput;
    /** No issues. */
    readonly issues?: undefined;
  }
  | {
    /** What went wrong, with where. */
    readonly issues: readonly {
      /** What was expected. */
      readonly message: string;
      /** The keys that lead to the value. */
      readonly path?:
        | readonly (PropertyKey | { readonly key: PropertyKey })[]
        | undefined;
    }[];
  };
