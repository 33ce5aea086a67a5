// Checks shared by the bad-input and property tests: which error, naming
// which field.
import assert from "node:assert/strict";
import { EmbedValidationError } from "@kraken-embed/client";
import type { Bad } from "./_corpus.ts";

/** A corpus entry as `{ value, at? }`. */
export function unpack(entry: unknown): Bad {
  return typeof entry === "object" && entry !== null && "value" in entry &&
      Object.keys(entry).every((key) => key === "value" || key === "at")
    ? entry as Bad
    : { value: entry };
}

/** A short text for a value of any type, for assertion messages. */
export function describe(value: unknown): string {
  if (typeof value === "symbol" || typeof value === "function") {
    return String(value);
  }
  if (typeof value === "bigint") return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      // A proxy whose traps throw.
      return "an object that throws when read";
    }
  }
}

// A plain object where an object belongs is reported at its missing or
// unknown keys rather than at the field itself: still refused, still under
// the field. Any other object (an array, a Date, a Map) is "Expected an
// object", at the field.
const OBJECT_FIELDS = new Set([
  "",
  "full_name",
  "residence",
  "tax_ids.1",
  "client_identifier",
]);

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    Object.getPrototypeOf(value) === Object.prototype;
}

const within = (path: string, field: string) =>
  path === field || path.startsWith(`${field}.`);

/**
 * Asserts that `error` is a validation error of `target` whose issues are all
 * at `field` or below it, one of them at `exact` when given.
 */
export function assertNames(
  error: unknown,
  target: string,
  field: string,
  exact: string | undefined,
  where: string,
): void {
  assert.ok(
    error instanceof EmbedValidationError,
    `${where}: expected an EmbedValidationError, got ${error}`,
  );
  assert.equal(error.target, target, where);
  assert.ok(error.issues.length > 0, where);
  const paths = error.issues.map((issue) => issue.path);
  for (const path of paths) {
    assert.ok(
      field === "" ? true : within(path, field),
      `${where}: issue at ${path}, expected under ${field}`,
    );
  }
  if (exact !== undefined) {
    assert.ok(paths.includes(exact), `${where}: ${paths} should name ${exact}`);
  }
}

/** The path one issue must have for a bad `value` at `field`; undefined when any path under it will do. */
export function exactPath(
  field: string,
  value: unknown,
  at: string | undefined,
): string | undefined {
  if (at !== undefined) return at;
  return isPlainObject(value) && OBJECT_FIELDS.has(field) ? undefined : field;
}
