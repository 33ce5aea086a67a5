// Timers and listeners counted while a test runs: what a call leaves behind
// (a timer keeps a process alive, a listener on a long-lived signal holds
// the call's state).

/** The global setTimeout as it was before any test wrapped it. */
export const realSetTimeout = globalThis.setTimeout;

/**
 * `promise`'s value, or `"hung"` once `ms` have passed without it: a test
 * whose call never settles fails on its assertion rather than at the
 * runner's limit. Its timer is a real one, not counted by
 * {@linkcode withTimers}.
 */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | "hung"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<"hung">((resolve) => {
        timer = realSetTimeout(() => resolve("hung"), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `promise` settles before a real timer of 0 ms fires: in the
 * microtasks that follow, waiting on no timer and no I/O. That is "at once"
 * however busy the machine, where a bound in milliseconds is not.
 */
export async function settlesAtOnce(
  promise: Promise<unknown>,
): Promise<boolean> {
  const settled = promise.then(() => true, () => true);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      settled,
      new Promise<false>((resolve) => {
        timer = realSetTimeout(() => resolve(false), 0);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until `condition()` holds, looking again every millisecond on a
 * real timer (not counted, not held): a test waits for the event itself, not
 * for a fixed time after which it hopes the event has come. Throws, naming
 * `what`, once `ms` have passed without it, so that a test whose event never
 * comes fails on that rather than at the runner's limit.
 */
export async function reached(
  condition: () => boolean,
  what: string,
  ms = 10_000,
): Promise<void> {
  const until = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > until) {
      throw new Error(`not reached in ${ms} ms: ${what}`);
    }
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
}

/**
 * Counts the timers set through the global setTimeout (with their delays)
 * and cleared, and which are still pending, while `body` runs; the real
 * timers do the work. A test's own waits use {@linkcode realSetTimeout}, so
 * they are not counted.
 */
export async function withTimers<T>(
  body: (
    timers: {
      set: number;
      cleared: number;
      delays: number[];
      pending: () => number;
    },
  ) => Promise<T>,
): Promise<T> {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const pending = new Set<unknown>();
  const timers = {
    set: 0,
    cleared: 0,
    delays: [] as number[],
    pending: () => pending.size,
  };
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    timers.set++;
    timers.delays.push(ms);
    const id = realSet(() => {
      pending.delete(id);
      fn();
    }, ms);
    pending.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout>) => {
    timers.cleared++;
    pending.delete(id);
    realClear(id);
  }) as typeof clearTimeout;
  try {
    return await body(timers);
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
}

/**
 * Holds back the timers set through the global setTimeout with a delay of
 * `ms` or more while `body` runs: such a timer fires when `fire()` is
 * called, not before, however busy the machine (one cleared by then does
 * not fire). Other timers are real. `fire()` tells how many it fired; `delays` lists
 * the delay of every timer held so far, in the order they were set, so that
 * a test can still check how long a timeout would have waited.
 */
export async function withHeldTimers<T>(
  ms: number,
  body: (fire: () => number, delays: number[]) => Promise<T>,
): Promise<T> {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const held = new Map<object, () => void>();
  const delays: number[] = [];
  globalThis.setTimeout = ((fn: () => void, delay: number) => {
    if (!(delay >= ms)) return realSet(fn, delay);
    const id = {};
    held.set(id, fn);
    delays.push(delay);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout>) => {
    if (!held.delete(id as object)) realClear(id);
  }) as typeof clearTimeout;
  const fire = () => {
    const due = [...held.values()];
    held.clear();
    for (const fn of due) fn();
    return due.length;
  };
  try {
    return await body(fire, delays);
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
}

/**
 * `signal`, with its `abort` listeners counted: `live()` is how many were
 * added and not removed. For a signal that does not fire while counted: one
 * that fires drops its `once` listeners without removing them.
 */
export function countedSignal(signal: AbortSignal): {
  signal: AbortSignal;
  live: () => number;
} {
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, ...rest: [EventListener]) => {
    if (type === "abort") live.add(rest[0]);
    add(type, ...rest);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, ...rest: [EventListener]) => {
    if (type === "abort") live.delete(rest[0]);
    remove(type, ...rest);
  }) as typeof signal.removeEventListener;
  return { signal, live: () => live.size };
}
