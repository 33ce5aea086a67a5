/**
 * The per-attempt timeouts of one client, sharing timers and abort signals.
 *
 * A timer per attempt costs Deno about 2.4 µs of main-thread time per update
 * (its setTimeout and clearTimeout go through a Node-compatible timer list),
 * and an `AbortController` per attempt costs Node 20 about 3 µs (it makes the
 * signal transferable): time that concurrent updates cannot overlap. Every
 * attempt of a client has the same timeout, so attempts that start within
 * {@linkcode SLACK_MS} of each other form a group, which shares one timer,
 * set for the latest of their deadlines, and one signal, aborted when that
 * timer fires: 1,000 updates started in one loop need a handful of each, not
 * 1,000.
 *
 * An attempt's timeout therefore fires between `ms` and `ms + SLACK_MS`
 * after it started (as precisely as the runtime's timers go: Node's fire up
 * to a millisecond early). A group's timer is cleared as soon as its
 * last attempt ends, so finished work never keeps a process alive.
 *
 * The shared signal is aborted only when the group's timer fires, that is
 * when at least one of its attempts is still waiting. An attempt that
 * finished before then may see its own fetch's signal aborted afterwards; a
 * fetch that has already delivered its whole answer ignores that, as fetch
 * does. An attempt that can be stopped for another reason (its caller's
 * signal) must use a controller of its own, not the shared signal.
 *
 * An attempt is known by its `expire` function, which must be its own: the
 * group, its timer and its signal cost the attempt no allocation.
 *
 * @module
 */

/** How much later than its own deadline an attempt's timeout may fire. */
export const SLACK_MS = 1;

/** The attempts that share a timer and a signal. */
export interface Group {
  readonly opened: number;
  /** The `expire` of each attempt still waiting. */
  readonly waiting: Set<() => void>;
  timer?: ReturnType<typeof setTimeout>;
  controller?: AbortController;
}

/**
 * Starts an attempt's timeout: calls `expire` once it has passed, unless
 * {@linkcode endWait} is called first. Returns the group it joined.
 */
export type StartDeadline = (expire: () => void) => Group;

/**
 * What a timed-out attempt's fetch is aborted with: a `TimeoutError`
 * `DOMException`, as `AbortSignal.timeout()` gives.
 */
export function timeoutReason(): DOMException {
  return new DOMException("The attempt timed out", "TimeoutError");
}

/**
 * The timeouts of one client's attempts, all of `ms` milliseconds.
 *
 * @param ms Every attempt's timeout, in milliseconds.
 * @returns Starts one attempt's timeout.
 */
export function deadlines(ms: number): StartDeadline {
  // The group new attempts join while it is younger than SLACK_MS.
  let open: Group | undefined;
  return (expire) => {
    const now = performance.now();
    let group = open;
    // An emptied group's timer is cleared: it is not joined.
    if (
      group === undefined || now - group.opened > SLACK_MS ||
      group.waiting.size === 0
    ) {
      const fresh: Group = { opened: now, waiting: new Set() };
      fresh.timer = setTimeout(() => {
        // Closed first, so that an attempt started from inside an `expire`
        // (through the fetch's abort listeners) cannot join this group.
        if (open === fresh) open = undefined;
        // A Set's loop skips what has left it: an attempt ended by
        // another's `expire` is not expired.
        for (const each of fresh.waiting) each();
        fresh.controller?.abort(timeoutReason());
      }, ms + SLACK_MS);
      open = group = fresh;
    }
    group.waiting.add(expire);
    return group;
  };
}

/**
 * Ends an attempt's wait: it will not expire. Clears the group's timer when
 * it was the last one waiting. Does nothing when called again.
 *
 * @param group The group the attempt joined.
 * @param expire The attempt's `expire`, as given to start it.
 */
export function endWait(group: Group, expire: () => void): void {
  if (group.waiting.delete(expire) && group.waiting.size === 0) {
    clearTimeout(group.timer);
  }
}

/**
 * The group's signal, made on first use: aborted with
 * {@linkcode timeoutReason} when the group's timer fires.
 *
 * @param group A group of attempts.
 */
export function groupSignal(group: Group): AbortSignal {
  return (group.controller ??= new AbortController()).signal;
}
