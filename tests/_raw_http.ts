// A loopback HTTP/1.1 server on raw node:net sockets, for tests that need a
// server to misbehave below HTTP: close mid-answer, send less body than its
// Content-Length, stall, or say nothing. It reads each request itself (one
// per connection: every answer closes it), records it, and lets the test
// pick what the socket does next. And `exchange`, for tests that need a
// client to send bytes no HTTP client would.
import { connect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Buffer } from "node:buffer";

/** Sends `request` as it is to 127.0.0.1:`port` and reads the socket until the server closes it. */
export function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

/** One request as it arrived on the wire. */
export interface RawExchange {
  /** 1 for the first request the server received. */
  index: number;
  method: string;
  target: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** What the server does with a request's socket once the request is read. */
export type Behaviour = (socket: Socket) => void;

export interface RawServer {
  url: string;
  /** Every request read so far, in arrival order. */
  readonly requests: RawExchange[];
  /** Stops listening and destroys every open socket. */
  close(): Promise<void>;
}

const HEAD_END = "\r\n\r\n";

function head(status: string, headers: Record<string, string | number>) {
  const lines = Object.entries(headers).map(([name, value]) =>
    `${name}: ${value}`
  );
  return `HTTP/1.1 ${status}\r\n${lines.join("\r\n")}${HEAD_END}`;
}

/** A complete answer, then the connection closes. */
export function answer(
  status: string,
  body: string,
  contentType = "application/json",
): Behaviour {
  return (socket) => {
    const bytes = Buffer.from(body, "utf8");
    socket.end(
      head(status, {
        "content-type": contentType,
        "content-length": bytes.length,
        "x-trace-id": "raw-trace",
        connection: "close",
      }) + body,
    );
  };
}

/** Reads the request, then hangs up without a byte of answer. */
export const hangUp: Behaviour = (socket) => socket.destroy();

/** Half a status line and header, then the connection closes. */
export const closeMidHeaders: Behaviour = (socket) => {
  socket.write("HTTP/1.1 200 OK\r\ncontent-type: applic");
  setTimeout(() => socket.destroy(), 5);
};

/** Full headers announcing 200 bytes, 15 bytes of JSON, then FIN. */
export const truncatedJson: Behaviour = (socket) => {
  socket.write(
    head("200 OK", {
      "content-type": "application/json",
      "content-length": 200,
      connection: "close",
    }),
  );
  socket.end('{"result":"succ');
};

/** Chunked encoding, one chunk of JSON, then FIN without the last chunk. */
export const truncatedChunked: Behaviour = (socket) => {
  socket.write(
    head("200 OK", {
      "content-type": "application/json",
      "transfer-encoding": "chunked",
      connection: "close",
    }),
  );
  socket.end('f\r\n{"result":"succ\r\n');
};

/** Full headers and part of the body, then nothing more: the socket stays open. */
export const stallBody: Behaviour = (socket) => {
  socket.write(
    head("200 OK", {
      "content-type": "application/json",
      "content-length": 100,
    }),
  );
  socket.write('{"result":');
};

/** Reads the request and never answers. */
export const stallSilent: Behaviour = () => {};

/** A proxy's HTML error page. */
export const html502: Behaviour = answer(
  "502 Bad Gateway",
  "<html><body><h1>502 Bad Gateway</h1></body></html>",
  "text/html",
);

/** `{"result":"success"}`. */
export const ok: Behaviour = answer("200 OK", '{"result":"success"}');

/**
 * Starts a server on 127.0.0.1, port 0. `choose` picks the behaviour for each
 * request from the request itself (`index` counts from 1); every request is
 * also kept in `requests`.
 */
export async function rawServer(
  choose: (request: RawExchange) => Behaviour,
): Promise<RawServer> {
  const requests: RawExchange[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = Buffer.alloc(0);
    let done = false;
    socket.on("data", (chunk: Buffer) => {
      if (done) return;
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf(HEAD_END);
      if (end === -1) return;
      const [line, ...fields] = buffer.subarray(0, end).toString("latin1")
        .split("\r\n");
      const headers: Record<string, string> = {};
      for (const field of fields) {
        const colon = field.indexOf(":");
        headers[field.slice(0, colon).trim().toLowerCase()] = field
          .slice(colon + 1).trim();
      }
      const length = Number(headers["content-length"] ?? 0);
      const bodyStart = end + HEAD_END.length;
      if (buffer.length < bodyStart + length) return;
      done = true;
      const [method, target] = line.split(" ");
      const request: RawExchange = {
        index: requests.length + 1,
        method,
        target,
        headers,
        body: buffer.subarray(bodyStart, bodyStart + length).toString("utf8"),
      };
      requests.push(request);
      choose(request)(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
