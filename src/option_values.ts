/**
 * Reading an options object without what other code set on
 * `Object.prototype`.
 *
 * @module
 */

/**
 * The values of `names` in `options`, each read once, into an object without
 * a prototype: a name counts when `options` has it, itself or through its
 * class (a getter on a class's prototype), but not through `Object.prototype`
 * (of any realm), where other code may have set it. A merge of untrusted
 * JSON that sets `Object.prototype.baseUrl` ("prototype pollution") must
 * not send the credentials and a user's data to another host, nor
 * `Object.prototype.query` add to a request. Internal, not exported by the
 * package.
 *
 * @param options The options given: an object.
 * @param names The names to read.
 */
export function optionValues<T extends object>(
  options: T,
  names: readonly (keyof T & string)[],
): Partial<T> {
  const values: Partial<T> = Object.create(null);
  for (const name of names) {
    // Up the chain to, not into, its root: an object without a prototype
    // of its own, which Object.prototype is.
    for (
      let at: object | null = options;
      at !== null && (at === options || Object.getPrototypeOf(at) !== null);
      at = Object.getPrototypeOf(at)
    ) {
      if (Object.hasOwn(at, name)) {
        values[name] = options[name];
        break;
      }
    }
  }
  return values;
}
