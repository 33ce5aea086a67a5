/**
 * Serves a raw-request handler (the emulator's `handle`) with node:http,
 * which Node, Deno and Bun all provide. It passes the request target exactly
 * as on the request line (of an absolute-form target, its path and query)
 * and the body's exact bytes, buffers the whole body (at most
 * `maxBodyBytes` + 1 bytes: past that the rest is read and discarded, and the
 * handler answers 413 once it has ended, on a connection kept open) and
 * writes the whole answer with a Content-Length (none for a 204 or 304, which
 * has no body).
 *
 * @module
 */

import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { concat, type RawRequest, targetOf } from "../emulator/raw_request.ts";

/**
 * How many bytes of an oversized body are read and discarded before the
 * answer, so that a client still sending it reads the 413 rather than a reset
 * connection (closing a socket with unread bytes resets it). Past this, the
 * 413 goes at once and the connection is closed.
 */
export const DRAIN_BYTES = 16 * 1024 * 1024;

/** A handler of raw requests, such as `emulator.handle`. */
export type RawHandler = (request: RawRequest) => Promise<Response>;

/** A server started by {@linkcode serveRaw}. */
export interface RunningServer {
  /** The port it listens on (the one chosen when asked for port 0). */
  port: number;
  /** `http://<hostname>:<port>`. */
  url: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

function reply(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Uint8Array,
): void {
  // A 204 carries no Content-Length (RFC 9110, 8.6); a 304's would be the
  // length of a representation this adapter does not know. Neither has a body.
  const bodiless = status === 204 || status === 304;
  res.writeHead(
    status,
    bodiless ? headers : { ...headers, "content-length": String(body.length) },
  );
  res.end(bodiless ? undefined : body);
}

function replyError(res: ServerResponse, status: number, error: string): void {
  const body = new TextEncoder().encode(JSON.stringify({ error: [error] }));
  const headers = {
    "content-type": "application/json",
    "x-trace-id": crypto.randomUUID(),
  };
  reply(res, status, headers, body);
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.append(raw[i], raw[i + 1]);
  }
  return headers;
}

// node:http gives the request target as on the request line, which may be
// in absolute form (`GET http://host/b2b/users/... HTTP/1.1`, RFC 9112,
// 3.2.2: a server must accept it). The signature covers the origin form, the
// path and query, as it does for Deno.serve's request.url.
function originForm(target: string): string {
  return target.startsWith("/") ? target : targetOf(target);
}

async function answer(
  handler: RawHandler,
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array,
  signal: AbortSignal,
  overLimit: boolean,
): Promise<void> {
  let headers: Headers;
  try {
    headers = headersOf(req);
  } catch {
    // A header value the Headers class refuses.
    return replyError(res, 400, "EGeneral:Bad request");
  }
  const response = await handler({
    method: req.method ?? "GET",
    target: originForm(req.url ?? "/"),
    headers,
    body,
    signal,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  // The rest of a body past DRAIN_BYTES is still on the wire: do not reuse
  // the connection.
  if (overLimit) out.connection = "close";
  reply(res, response.status, out, bytes);
}

/**
 * Starts a node:http server on `hostname`:`port` that answers with `handler`.
 *
 * @throws {Error} When the port cannot be bound (`code` EADDRINUSE, EACCES, ...).
 */
export function serveRaw(
  handler: RawHandler,
  options: { hostname: string; port: number; maxBodyBytes: number },
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let answered = false;
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const respond = (overLimit: boolean) => {
      if (answered) return;
      answered = true;
      const body = concat(chunks, total);
      answer(handler, req, res, body, controller.signal, overLimit).catch(
        () => {
          // A bug in the handler: say so rather than hang up.
          if (res.headersSent) res.destroy();
          else replyError(res, 500, "EGeneral:Internal error");
        },
      );
    };
    let discarded = 0;
    const onData = (chunk: Uint8Array) => {
      if (total <= options.maxBodyBytes) {
        chunks.push(chunk);
        total += chunk.length;
        return;
      }
      // Over the limit: the handler has enough to answer 413; the rest is
      // read to its end and discarded, up to DRAIN_BYTES.
      discarded += chunk.length;
      if (discarded > DRAIN_BYTES) {
        // Keep flowing without a listener: the rest is not counted either.
        req.off("data", onData);
        respond(true);
      }
    };
    req.on("data", onData);
    req.on("end", () => respond(false));
    req.on("error", () => res.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://${options.hostname}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
