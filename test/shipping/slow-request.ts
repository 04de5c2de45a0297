/**
 * An HTTP request held open on purpose, over a raw socket: the headers go first (with
 * `Expect: 100-continue`, so the server's `100 Continue` proves it has parsed them and is
 * handling the request), the body only when the test says so. That is how a test gets a
 * request reliably in flight at the moment it sends a signal, without guessing at timings.
 */
import { connect, type Socket } from "node:net";

export interface SlowResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SlowRequest {
  /** Resolves once the server answered `100 Continue`: the request is in its handler. */
  accepted: Promise<void>;
  /** Sends the body; the server can then answer. */
  finish(): void;
  response: Promise<SlowResponse>;
  socket: Socket;
}

export function slowRequest(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body: string },
): SlowRequest {
  const socket = connect({ host: "127.0.0.1", port });
  const body = Buffer.from(opts.body);
  const head = [
    `${opts.method ?? "POST"} ${opts.path} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    `content-length: ${body.length}`,
    "expect: 100-continue",
    ...Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ].join("\r\n");
  socket.write(head);

  let buffer = Buffer.alloc(0);
  let onData: (() => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    onData?.();
  });

  const accepted = new Promise<void>((resolve, reject) => {
    const check = () => {
      const text = buffer.toString("latin1");
      if (!text.includes("\r\n\r\n")) return;
      if (text.startsWith("HTTP/1.1 100")) {
        buffer = buffer.subarray(text.indexOf("\r\n\r\n") + 4);
        onData = undefined;
        resolve();
      } else reject(new Error(`expected 100 Continue, got: ${text.split("\r\n")[0]}`));
    };
    onData = check;
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("the connection closed before 100 Continue")));
  });

  const response = accepted.then(
    () =>
      new Promise<SlowResponse>((resolve, reject) => {
        const check = () => {
          const text = buffer.toString("utf8");
          const end = text.indexOf("\r\n\r\n");
          if (end === -1) return;
          const [statusLine = "", ...headerLines] = text.slice(0, end).split("\r\n");
          const headers = Object.fromEntries(
            headerLines.map((l) => [
              l.slice(0, l.indexOf(":")).toLowerCase(),
              l.slice(l.indexOf(":") + 1).trim(),
            ]),
          );
          const length = Number(headers["content-length"] ?? "0");
          const rest = buffer.subarray(Buffer.byteLength(text.slice(0, end + 4)));
          if (rest.length < length) return;
          onData = undefined;
          resolve({
            status: Number(statusLine.split(" ")[1]),
            headers,
            body: rest.subarray(0, length).toString("utf8"),
          });
        };
        onData = check;
        check();
        socket.once("error", reject);
        socket.once("close", () => reject(new Error("the connection closed before a full response")));
      }),
  );

  // Rejections surface where the test awaits them, even if that is after the socket died.
  accepted.catch(() => {});
  response.catch(() => {});
  return {
    accepted,
    finish: () => socket.write(body),
    response,
    socket,
  };
}
