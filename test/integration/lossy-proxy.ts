/**
 * A TCP proxy on 127.0.0.1 in front of a real HTTP server that can lose one exchange on purpose:
 * either the request never reaches the server, or the server handles it and its answer is cut
 * off before the first byte reaches the client. The second is the case the client's externalId
 * recovery exists for: the trade was created, yet the caller saw only a dead socket.
 *
 * Requests are recognised by their request line (`POST /client/trading/deposit`), which undici
 * writes at the start of a chunk; with pipelining 1 a connection carries one exchange at a time.
 */
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

export type Loss = "request" | "response";

export interface LossyProxy {
  /** Base URL to give the client instead of the target's. */
  url: string;
  /** Loses the next exchange whose request line starts with `requestLine`; resolves once it did. */
  lose(kind: Loss, requestLine: string): Promise<void>;
  close(): Promise<void>;
}

interface Rule {
  kind: Loss;
  requestLine: string;
  fired: () => void;
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const { hostname, port } = new URL(target);
  const rules: Rule[] = [];
  const sockets = new Set<Socket>();

  const take = (chunk: Buffer): Rule | undefined => {
    const head = chunk.subarray(0, 256).toString("latin1");
    const i = rules.findIndex((r) => head.startsWith(r.requestLine));
    return i === -1 ? undefined : rules.splice(i, 1)[0];
  };

  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      // A reset is the point of this proxy; it must not become an unhandled error.
      s.on("error", () => undefined);
    }
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    let doomed: Rule | undefined;
    client.on("data", (chunk: Buffer) => {
      const rule = take(chunk);
      if (rule?.kind === "request") {
        cut();
        rule.fired();
        return;
      }
      if (rule?.kind === "response") doomed = rule;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (doomed !== undefined) {
        cut();
        doomed.fired();
        return;
      }
      client.write(chunk);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    lose(kind, requestLine) {
      return new Promise((resolve) => rules.push({ kind, requestLine, fired: resolve }));
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}
