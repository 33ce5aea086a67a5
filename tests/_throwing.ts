// Options whose reading throws: a getter of their own, or a Proxy's trap.

/**
 * A copy of `base` whose `key` is an enumerable getter that throws what
 * `thrown` makes.
 */
export function throwingGetter<T extends object>(
  base: T,
  key: string,
  thrown: () => unknown,
): T {
  return Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      throw thrown();
    },
  });
}

/** A Proxy of `target` whose `trap` throws what `thrown` makes. */
export function throwingProxy<T extends object>(
  target: T,
  trap: "ownKeys" | "getPrototypeOf",
  thrown: () => unknown,
): T {
  return new Proxy(target, {
    [trap]() {
      throw thrown();
    },
  });
}
