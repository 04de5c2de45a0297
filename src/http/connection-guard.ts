/**
 * A cap on open connections that cannot be held by slow clients. At the cap, a new connection
 * closes the oldest one that is not being answered: a connection still trickling its headers
 * or body, or an idle keep-alive. A flood of slow connections then only ever evicts itself,
 * while a real request (AssetPay's callback sends its few hundred bytes at once and is answered
 * in milliseconds) is never the oldest for long. Only when every connection is being answered
 * is the newcomer refused. Node's own `maxConnections` would refuse the newcomer instead, which
 * is exactly what lets a slow flood starve callbacks.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "pino";

export interface ConnectionGuard {
  /** Marks the socket's current request as being answered (not evictable) until `idle`. */
  busy(socket: Socket): void;
  idle(socket: Socket): void;
  open(): number;
  evicted(): number;
}

export function guardConnections(server: Server, opts: { max: number; logger: Logger }): ConnectionGuard {
  // Map iteration follows insertion order: the first non-busy entry is the oldest evictable one.
  const sockets = new Map<Socket, { busy: boolean }>();
  let evictions = 0;

  server.on("connection", (socket: Socket) => {
    if (sockets.size >= opts.max) {
      let victim: Socket | undefined;
      for (const [s, state] of sockets) {
        if (!state.busy) {
          victim = s;
          break;
        }
      }
      if (!victim) {
        opts.logger.debug({ open: sockets.size }, "connection refused: every connection is being answered");
        socket.destroy();
        return;
      }
      sockets.delete(victim);
      victim.destroy();
      evictions++;
      opts.logger.debug({ open: sockets.size }, "oldest unanswered connection closed to admit a new one");
    }
    sockets.set(socket, { busy: false });
    socket.once("close", () => sockets.delete(socket));
  });

  return {
    busy(socket) {
      const state = sockets.get(socket);
      if (state) state.busy = true;
    },
    idle(socket) {
      const state = sockets.get(socket);
      if (state) state.busy = false;
    },
    open: () => sockets.size,
    evicted: () => evictions,
  };
}
