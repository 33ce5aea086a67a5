// runtimes: deno — reason: tests an internal module (src/client/deadlines.ts) that the npm package does not export; the client's timeouts built on it are tested in every runtime (client_test.ts)
//
// The per-attempt timeouts that share timers: never early, a group's timer
// cleared once its last attempt ends, an ended attempt never expired, and
// re-entrant starts and ends from inside an expiry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deadlines, SLACK_MS } from "../src/client/deadlines.ts";
import { realSetTimeout, within, withTimers } from "./_timers.ts";

// The tests' own waits use the real timer, so they are not counted.
const sleep = (ms: number) => new Promise((r) => realSetTimeout(r, ms));

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* the clock must move */ }
}

test("an attempt's timeout fires once, no earlier than its timeout after it started", async () => {
  const start = deadlines(40);
  const started = performance.now();
  let firedAt = 0;
  let fired = 0;
  start(() => {
    firedAt = performance.now();
    fired++;
  });
  await sleep(300);
  assert.equal(fired, 1);
  assert.ok(firedAt - started >= 40, `fired after ${firedAt - started} ms`);
});

test("attempts started together share one timer, and every one of them expires", async () => {
  // A pause longer than the slack in the middle of the loop (a busy machine,
  // tests running in parallel) rightly opens a second group; then the
  // scenario is tried again. Every attempt must expire either way.
  for (let tries = 1;; tries++) {
    const together = await withTimers(async (timers) => {
      const start = deadlines(20);
      let fired = 0;
      const began = performance.now();
      for (let i = 0; i < 100; i++) start(() => fired++);
      const took = performance.now() - began;
      await sleep(200);
      assert.equal(fired, 100);
      assert.equal(timers.pending(), 0);
      if (took > SLACK_MS) return false;
      assert.equal(timers.set, 1);
      return true;
    });
    if (together) break;
    assert.ok(tries < 50, "100 starts never came within the slack in 50 tries");
  }
});

test(`an attempt started more than ${SLACK_MS} ms after a group opened gets a timer of its own, and its full timeout`, async () => {
  await withTimers(async (timers) => {
    const start = deadlines(40);
    const fired: number[] = [];
    start(() => fired.push(performance.now()));
    busyWait(SLACK_MS + 2);
    const laterStart = performance.now();
    start(() => fired.push(performance.now()));
    assert.equal(timers.set, 2);
    await sleep(300);
    assert.equal(fired.length, 2);
    assert.ok(fired[1] - laterStart >= 40, `${fired[1] - laterStart} ms`);
  });
});

test("ending every attempt of a group clears its timer, and none expires", async () => {
  await withTimers(async (timers) => {
    const start = deadlines(30);
    let fired = 0;
    const ends = [1, 2, 3].map(() => start(() => fired++));
    for (const end of ends) end();
    // One timer, unless a pause over the slack split the three starts.
    assert.equal(timers.cleared, timers.set);
    assert.equal(timers.pending(), 0);
    await sleep(100);
    assert.equal(fired, 0);
  });
});

test("an attempt started right after its group emptied gets a timer, and expires", async () => {
  await withTimers(async (timers) => {
    const start = deadlines(30);
    let fired = 0;
    start(() => fired--)();
    // Within SLACK_MS of the emptied group's opening: it must not be joined,
    // since its timer is gone.
    start(() => fired++);
    assert.equal(timers.set, 2);
    await sleep(150);
    assert.equal(fired, 1);
  });
});

test("an attempt that joins an open group still waits its full timeout", async () => {
  // Join as late as the group allows, so that a timer set for the first
  // attempt's deadline alone would fire early for the second. On a busy
  // machine the second start can come too late to join (a pause between the
  // two); then it rightly opens its own group, and the scenario is tried
  // again.
  for (let tries = 1;; tries++) {
    const joinedLate = await withTimers(async (timers) => {
      const start = deadlines(40);
      const fired: number[] = [];
      const endFirst = start(() => fired.push(performance.now()));
      // Read after the group opened inside start(), and `joined` below before
      // the second start(): their difference is at most how late the second
      // attempt joined, so the bound below never wrongs a correct timer. (Read
      // before start(), it could exceed that by the time start() took, and a
      // busy machine made it 1.07 ms for a join within the 1 ms slack.)
      const opened = performance.now();
      busyWait(SLACK_MS * 0.9 - (performance.now() - opened));
      const joined = performance.now();
      const endSecond = start(() => fired.push(performance.now()));
      if (timers.set !== 1) {
        endFirst();
        endSecond();
        return false;
      }
      // The timer is set from the first start, so its delay must cover the
      // second attempt's whole timeout (whatever the runtime's timers do).
      assert.ok(
        timers.delays[0] >= 40 + (joined - opened),
        `timer of ${timers.delays[0]} ms for an attempt that joined ${
          joined - opened
        } ms late`,
      );
      await sleep(300);
      assert.equal(fired.length, 2);
      assert.ok(fired[1] - joined >= 40, `${fired[1] - joined} ms`);
      return true;
    });
    if (joinedLate) break;
    assert.ok(tries < 50, "no second start came within the slack in 50 tries");
  }
});

test("an ended attempt is not expired while the rest of its group is", async () => {
  const start = deadlines(30);
  const fired: string[] = [];
  const endA = start(() => fired.push("a"));
  start(() => fired.push("b"));
  endA();
  await sleep(150);
  assert.deepEqual(fired, ["b"]);
});

test("ending an attempt twice, or after it expired, does nothing", async () => {
  await withTimers(async (timers) => {
    const start = deadlines(20);
    let fired = 0;
    const endA = start(() => fired++);
    const endB = start(() => fired++);
    endA();
    endA();
    // b's timer, shared with a unless a pause split the two starts.
    assert.equal(timers.pending(), 1, "b still waits");
    await sleep(150);
    assert.equal(fired, 1);
    endB();
    assert.equal(timers.pending(), 0);
  });
});

test("an expiry that ends another attempt of its group stops that one expiring", async () => {
  const start = deadlines(20);
  const fired: string[] = [];
  let endB = () => {};
  start(() => {
    fired.push("a");
    endB();
  });
  endB = start(() => fired.push("b"));
  await sleep(150);
  assert.deepEqual(fired, ["a"]);
});

test("an attempt started from inside an expiry waits its own full timeout", async () => {
  await withTimers(async (timers) => {
    const start = deadlines(40);
    const fired: string[] = [];
    let restartedAt = 0;
    let firedAt = 0;
    // Waited for, not slept for: the second timer is set when the first
    // fires, which a busy machine can make late enough that a fixed sleep
    // from the start ends before the second is due.
    let secondFired!: () => void;
    const second = new Promise<void>((resolve) => (secondFired = resolve));
    start(() => {
      fired.push("first");
      restartedAt = performance.now();
      start(() => {
        firedAt = performance.now();
        fired.push("second");
        secondFired();
      });
    });
    assert.notEqual(await within(second, 10_000), "hung", String(fired));
    assert.deepEqual(fired, ["first", "second"]);
    assert.equal(timers.set, 2);
    assert.ok(firedAt - restartedAt >= 40, `${firedAt - restartedAt} ms`);
    assert.equal(timers.pending(), 0);
  });
});

test("an attempt started from inside an expiry waits its full timeout even on a clock that does not move", async () => {
  // A coarse clock (a browser's clamped performance.now(), a frozen test
  // clock) cannot tell that the expired group is old: the group must be
  // closed when its timer fires, or the new attempt would join it and
  // expire at once.
  const realNow = performance.now;
  performance.now = () => 1_000;
  try {
    const start = deadlines(40);
    let restartedAt = 0;
    let waited = -1;
    await new Promise<void>((resolve) => {
      start(() => {
        restartedAt = Date.now();
        start(() => {
          waited = Date.now() - restartedAt;
          resolve();
        });
      });
    });
    assert.ok(waited >= 35, `${waited} ms`);
  } finally {
    performance.now = realNow;
  }
});
