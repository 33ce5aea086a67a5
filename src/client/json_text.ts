/**
 * The JSON text of a body that has been checked.
 *
 * @module
 */

import { EmbedConfigError } from "../errors.ts";

/**
 * `JSON.stringify(value)`, refused when a `toJSON` that other code put on
 * `Object.prototype` or `Array.prototype` would replace what was checked:
 * JSON.stringify calls an inherited `toJSON` too, so the body signed and
 * sent would be whatever it returns.
 *
 * @param value A body that passed its checks: plain objects, arrays and
 * JSON's primitives only.
 */
export function jsonText(value: unknown): string {
  // Array.prototype inherits from Object.prototype: one lookup sees both.
  if ("toJSON" in Array.prototype) {
    throw new EmbedConfigError(
      "toJSON",
      "Expected no toJSON on Object.prototype or Array.prototype, which would replace the checked body",
    );
  }
  return JSON.stringify(value);
}
