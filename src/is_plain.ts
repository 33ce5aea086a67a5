/**
 * The plain-object rule shared by the schemas' `strictObject`, `request()`'s
 * body check and what errors look through.
 *
 * @module
 */

/**
 * Whether `value` is an object literal or `Object.create(null)`, of this
 * realm or another: its prototype is `null` or has none itself. Not an
 * array, a `Map`, a `Date` or a class instance.
 */
export function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
