/**
 * Runs a valibot schema over caller input and turns its issues into one
 * {@linkcode EmbedValidationError}.
 *
 * @module
 */

import * as v from "valibot";
import { EmbedValidationError, unreadable } from "../errors.ts";
import type { ValibotSchema } from "../schemas/schema.ts";
import { issuePath } from "../issue_path.ts";
import { EVERY_ISSUE } from "../schemas/_every_issue.ts";

/**
 * Returns `value` typed as the schema's output, or throws an
 * {@linkcode EmbedValidationError} listing every issue with its dotted path.
 * Only the schema's own messages are kept: they never quote the input.
 *
 * @param schema The schema to check against.
 * @param value The caller's input.
 * @param target What the input is, for the error message: `patch`, `user`, ...
 */
export function validate<T>(
  schema: ValibotSchema<unknown, T>,
  value: unknown,
  target: string,
): T {
  let parsed;
  try {
    parsed = v.safeParse(schema, value, EVERY_ISSUE);
  } catch {
    // A getter or a proxy of the caller's threw while it was read.
    throw unreadable(target);
  }
  if (parsed.success) return parsed.output;
  throw new EmbedValidationError(
    target,
    parsed.issues.map((issue) => ({
      path: issuePath(issue),
      message: issue.message,
    })),
  );
}
