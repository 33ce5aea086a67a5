// What the benchmarks share to time and report: the median they print, and
// the two ways of running calls that the concurrency figures compare.

/**
 * The median of `list` (of an even number, the upper of the middle two).
 *
 * @param {number[]} list
 */
export const median = (list) =>
  [...list].sort((a, b) => a - b)[list.length >> 1];

/**
 * Milliseconds to make `n` calls, each awaited before the next starts.
 *
 * @param {() => unknown} call
 * @param {number} [n]
 */
export async function oneAtATime(call, n = 1000) {
  const start = performance.now();
  for (let i = 0; i < n; i++) await call();
  return performance.now() - start;
}

/**
 * Milliseconds to make `n` calls at once, until every one has resolved.
 *
 * @param {() => unknown} call
 * @param {number} [n]
 */
export async function allAtOnce(call, n = 1000) {
  const start = performance.now();
  await Promise.all(Array.from({ length: n }, call));
  return performance.now() - start;
}
