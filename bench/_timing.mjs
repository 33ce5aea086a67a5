// What the benchmarks share to time and report: the median they print, the
// two ways of running calls that the concurrency figures compare, and the
// paired blocks the ratio targets are judged on.

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

/**
 * Paired blocks: the cases take turns, `block` calls each, `turns` times; each
 * turn the order is rotated by one and every other turn reversed, so that no
 * case always follows the same one. (Not call by call: a call is quicker after
 * a call of the same case than after another.)
 *
 * @param {Record<string, () => unknown>} cases
 * @param {{ block?: number, turns?: number }} [options]
 * @returns {Promise<Record<string, number[]>>} ms per call, one entry per turn
 */
export async function pairedBlocks(cases, { block = 64, turns = 250 } = {}) {
  const ids = Object.keys(cases);
  const perCall = Object.fromEntries(ids.map((id) => [id, []]));
  for (let turn = 0; turn < turns; turn++) {
    const rotated = ids.map((_, i) => ids[(i + turn) % ids.length]);
    for (const id of turn % 2 ? rotated.reverse() : rotated) {
      const run = cases[id];
      const start = performance.now();
      for (let i = 0; i < block; i++) await run();
      perCall[id].push((performance.now() - start) / block);
    }
  }
  return perCall;
}

/**
 * Each turn's ratio of `id` to `base` (of {@linkcode pairedBlocks}' result),
 * sorted: its median is the figure, its quarters the spread.
 *
 * @param {Record<string, number[]>} perCall
 * @param {string} id
 * @param {string} base
 */
export const turnRatios = (perCall, id, base) =>
  perCall[id].map((ms, turn) => ms / perCall[base][turn])
    .sort((a, b) => a - b);
