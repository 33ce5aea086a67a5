/**
 * The per-attempt timeouts of one client, sharing timers.
 *
 * A timer per attempt costs Deno about 2.4 µs of main-thread time per update
 * (its setTimeout and clearTimeout go through a Node-compatible timer list),
 * time that concurrent updates cannot overlap. Every attempt of a client has
 * the same timeout, so attempts that start within {@linkcode SLACK_MS} of
 * each other share one timer, set for the latest of their deadlines: 1,000
 * updates started in one loop need a handful of timers, not 1,000.
 *
 * An attempt's timeout therefore fires between `ms` and `ms + SLACK_MS`
 * after it started (as precisely as the runtime's timers go: Node's fire up
 * to a millisecond early). A group's timer is cleared as soon as its
 * last attempt ends, so finished work never keeps a process alive.
 *
 * @module
 */

/** How much later than its own deadline an attempt's timeout may fire. */
export const SLACK_MS = 1;

/**
 * Starts an attempt's timeout: calls `expire` once it has passed, unless the
 * returned function is called first. Each `expire` must be a new function,
 * the attempt's identity in its group.
 */
export type StartDeadline = (expire: () => void) => () => void;

interface Group {
  readonly opened: number;
  readonly waiting: Set<() => void>;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The timeouts of one client's attempts, all of `ms` milliseconds.
 *
 * @param ms Every attempt's timeout, in milliseconds.
 * @returns Starts one attempt's timeout; what it returns ends the wait (and
 * does nothing when called again).
 */
export function deadlines(ms: number): StartDeadline {
  // The group new attempts join while it is younger than SLACK_MS.
  let open: Group | undefined;
  return (expire) => {
    const now = performance.now();
    let group = open;
    if (group === undefined || now - group.opened > SLACK_MS) {
      const fresh: Group = { opened: now, waiting: new Set() };
      fresh.timer = setTimeout(() => {
        // Closed first, so that an attempt started from inside an `expire`
        // (through the fetch's abort listeners) cannot join this group.
        if (open === fresh) open = undefined;
        // A Set's loop skips what has left it: an attempt ended by
        // another's `expire` is not expired.
        for (const each of fresh.waiting) each();
      }, ms + SLACK_MS);
      open = group = fresh;
    }
    const joined = group;
    joined.waiting.add(expire);
    return () => {
      if (joined.waiting.delete(expire) && joined.waiting.size === 0) {
        clearTimeout(joined.timer);
        if (open === joined) open = undefined;
      }
    };
  };
}
