// A node:http server on 127.0.0.1, port 0, around a fetch handler, for tests
// that need real HTTP. It builds a Request from the URL, so the request target
// is normalized the way URL parsing does: fine for the client's requests,
// which are already normalized. The CLI's adapter (src/cli/http_adapter.ts)
// passes the raw target through and is tested by tests/cli_test.ts.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serveFetch(
  handler: (request: Request) => Promise<Response>,
): Promise<Served> {
  const server = createServer(async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce(
      (offset, chunk) => (body.set(chunk, offset), offset + chunk.length),
      0,
    );
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    const method = req.method ?? "GET";
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? null : body,
      }),
    );
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    res.writeHead(response.status, out);
    res.end(new Uint8Array(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
