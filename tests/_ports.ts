// A loopback port for tests that need one with nothing listening on it.
import { createServer } from "node:net";

/** A port on 127.0.0.1 that was free a moment ago and has nothing listening now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
