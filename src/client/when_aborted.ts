/**
 * Waiting for the caller's signal, with one listener per signal.
 *
 * @module
 */

interface Waits {
  /** What to call when the signal aborts. */
  calls: Set<() => void>;
  /** The one listener on the signal, which calls them. */
  fire: () => void;
}

const waiting = new WeakMap<AbortSignal, Waits>();
const nothing = () => {};

/**
 * Calls `call` when `signal` aborts; returns a function that stops waiting.
 * Every wait on one signal (an attempt, a backoff, a `maxConcurrency`
 * queue, of every call) shares one listener, removed with the last wait: a
 * signal passed to many calls at once (a server's shutdown signal) would
 * otherwise carry one listener per call in flight, and Node warns of a
 * leak above ten. A signal that has already aborted fires no more, so the
 * caller checks `signal.aborted` first, as each wait does; `call` must not
 * throw (each rejects a promise, or stops an attempt), or later waits would
 * not be called. Internal, not exported by the package.
 *
 * @param signal The caller's signal, if any.
 * @param call What to do when it aborts.
 */
export function whenAborted(
  signal: AbortSignal | undefined,
  call: () => void,
): () => void {
  if (!signal) return nothing;
  let waits = waiting.get(signal);
  if (!waits) {
    const calls = new Set<() => void>();
    const fire = () => {
      waiting.delete(signal);
      signal.removeEventListener("abort", fire);
      for (const each of calls) each();
    };
    waiting.set(signal, waits = { calls, fire });
    signal.addEventListener("abort", fire);
  }
  const mine = waits;
  // A function of its own, so that two waits with the same `call` count
  // as two.
  const entry = () => call();
  mine.calls.add(entry);
  return () => {
    if (
      mine.calls.delete(entry) && mine.calls.size === 0 &&
      waiting.get(signal) === mine
    ) {
      waiting.delete(signal);
      signal.removeEventListener("abort", mine.fire);
    }
  };
}
