// The client side of tests/load_test.ts, in a process of its own so that its
// heap can be measured after garbage collection (`--v8-flags=--expose-gc`;
// `deno test` cannot set V8 flags per file) without the emulator's heap in
// the figure. One EmbedClient sends `updates` PATCHes to the server at
// `baseUrl`: two update chains per user, each chain one update at a time
// (so "the last acknowledged write" of a chain is well defined), all chains
// at once. The two chains of a user write disjoint fields: chain A phone and
// tos_version_accepted, chain B residence. Prints one JSON report.
import process from "node:process";
import { EmbedClient, EmbedError, type UserPatch } from "@kraken-embed/client";

/** What the test passes as the one argument, in JSON. */
export interface LoadConfig {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  users: string[];
  /** Updates in the measured run, spread evenly over the 2 chains per user. */
  updates: number;
  /** Updates per chain before the heap baseline is taken. */
  warmupPerChain: number;
  maxConcurrency?: number | undefined;
}

/** What the child prints. */
export interface LoadReport {
  /** Updates sent in all, warm-up included. */
  updates: number;
  measuredUpdates: number;
  acknowledged: number;
  /** Failed updates by error, e.g. `ERR_EMBED_API 401 EAPI:Invalid nonce`. */
  failures: Record<string, number>;
  maxInFlight: number;
  seconds: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  gcExposed: boolean;
  /** Per user, the last acknowledged patch of chain A and of chain B. */
  last: Record<string, { a?: UserPatch; b?: UserPatch }>;
}

function patchA(user: number, n: number): UserPatch {
  return {
    phone: `+4477${String(user).padStart(3, "0")}${String(n).padStart(6, "0")}`,
    tos_version_accepted: n,
  };
}

function patchB(user: number, n: number): UserPatch {
  return {
    residence: {
      line1: `${n} Load Street`,
      city: "London",
      postal_code: `N${user} ${n % 10}AA`,
      country: "GB",
    },
  };
}

async function collectGarbage(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

/** Runs the load against `config.baseUrl`. */
async function runLoad(config: LoadConfig): Promise<LoadReport> {
  const client = new EmbedClient({
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    baseUrl: config.baseUrl,
    maxConcurrency: config.maxConcurrency,
    backoff: { baseMs: 5, capMs: 20 },
  });
  const chains = config.users.length * 2;
  const perChain = Math.ceil(config.updates / chains);
  const last: LoadReport["last"] = {};
  const failures: Record<string, number> = {};
  let inFlight = 0;
  let maxInFlight = 0;
  let sent = 0;
  let acknowledged = 0;

  const chain = async (
    user: number,
    kind: "a" | "b",
    from: number,
    to: number,
  ) => {
    const iiban = config.users[user];
    const entry = last[iiban] ??= {};
    for (let n = from; n < to; n++) {
      const patch = kind === "a" ? patchA(user, n) : patchB(user, n);
      sent++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await client.users.update(iiban, patch);
        acknowledged++;
        entry[kind] = patch;
      } catch (error) {
        const key = error instanceof EmbedError
          ? `${error.code} ${"status" in error ? `${error.status} ` : ""}${
            "errors" in error ? String(error.errors) : ""
          }`
          : String(error);
        failures[key] = (failures[key] ?? 0) + 1;
      } finally {
        inFlight--;
      }
    }
  };
  const run = (from: number, to: number) =>
    Promise.all(
      config.users.flatMap((_, user) => [
        chain(user, "a", from, to),
        chain(user, "b", from, to),
      ]),
    );

  await run(0, config.warmupPerChain);
  const warmup = sent;
  maxInFlight = 0;
  const heapBeforeBytes = await collectGarbage();
  const started = performance.now();
  await run(config.warmupPerChain, config.warmupPerChain + perChain);
  const seconds = (performance.now() - started) / 1000;
  const heapAfterBytes = await collectGarbage();
  return {
    updates: sent,
    measuredUpdates: sent - warmup,
    acknowledged,
    failures,
    maxInFlight,
    seconds,
    heapBeforeBytes,
    heapAfterBytes,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === "function",
    last,
  };
}

if (import.meta.main) {
  const report = await runLoad(JSON.parse(process.argv[2]));
  process.stdout.write(JSON.stringify(report));
}
