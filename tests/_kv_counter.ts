// A shared counter in Deno KV: a check-and-set loop, since an atomic `sum`
// does not return the new value. Used by tests/counter_kv_test.ts and the
// child processes it starts (tests/_counter_child.ts).

/** Adds one to the counter at `key` and returns the new value. */
export async function kvIncrement(
  kv: Deno.Kv,
  key: Deno.KvKey,
): Promise<bigint> {
  for (let attempt = 0;; attempt++) {
    try {
      const entry = await kv.get<Deno.KvU64>(key);
      const next = (entry.value?.value ?? 0n) + 1n;
      const result = await kv.atomic().check(entry).set(
        key,
        new Deno.KvU64(next),
      ).commit();
      if (result.ok) return next;
    } catch (error) {
      // A local KV is one SQLite file: another process writing at that
      // moment makes this one fail with "database is locked". Try again.
      if (!/database is locked/i.test(String(error))) throw error;
    }
    const ceiling = Math.min(20, 2 ** Math.min(attempt, 5));
    await new Promise((resolve) =>
      setTimeout(resolve, Math.random() * ceiling)
    );
  }
}
