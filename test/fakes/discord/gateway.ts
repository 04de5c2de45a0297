import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import type { GatewaySessionInfo } from "./types.ts";

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  RequestSoundboardSounds: 31,
} as const;

const Close = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  InvalidApiVersion: 4012,
} as const;

const GUILDS_INTENT = 1;
const REPLAY_BUFFER = 1000;

interface Session {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  socket: WebSocket | null;
  invalidated: boolean;
  heartbeats: number;
  resumes: number;
  buffer: { s: number; frame: string }[];
}

export interface GatewayDeps {
  token: string;
  /** ws:// URL (no query) advertised as `resume_gateway_url`. */
  url: string;
  heartbeatIntervalMs: number;
  readyData(shard: [number, number]): { user: unknown; application: unknown; guildIds: string[] };
  guildCreates(shard: [number, number]): unknown[];
  onChange(): void;
}

export type Gateway = ReturnType<typeof createGateway>;

export function shardOf(guildId: string | null, shardCount: number): number {
  if (guildId === null) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * The gateway side of Discord as @discordjs/ws speaks it: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats,
 * RESUME with replay of missed dispatches, and dispatches routed to the shard that owns the guild.
 */
export function createGateway(deps: GatewayDeps) {
  const wss = new WebSocketServer({ noServer: true });
  const sessions = new Map<string, Session>();
  let unauthenticatedHeartbeats = 0;

  function send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const frame = JSON.stringify({ op: Op.Dispatch, t, s: session.seq, d });
    session.buffer.push({ s: session.seq, frame });
    if (session.buffer.length > REPLAY_BUFFER) session.buffer.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(frame);
  }

  function identify(socket: WebSocket, d: Record<string, unknown>): Session | null {
    if (d.token !== deps.token) {
      socket.close(Close.AuthenticationFailed, "Authentication failed.");
      return null;
    }
    const rawShard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shard: [number, number] = [Number(rawShard[0]), Number(rawShard[1])];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
      socket.close(Close.InvalidShard, "Invalid shard.");
      return null;
    }
    const session: Session = {
      id: randomBytes(16).toString("hex"),
      shard,
      intents: typeof d.intents === "number" ? d.intents : 0,
      seq: 0,
      socket,
      invalidated: false,
      heartbeats: 0,
      resumes: 0,
      buffer: [],
    };
    sessions.set(session.id, session);
    const ready = deps.readyData(shard);
    dispatchTo(session, "READY", {
      v: 10,
      user_settings: {},
      user: ready.user,
      guilds: ready.guildIds.map((id) => ({ id, unavailable: true })),
      session_type: "normal",
      session_id: session.id,
      resume_gateway_url: deps.url,
      shard,
      application: ready.application,
      private_channels: [],
      presences: [],
      relationships: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["fake-discord-gateway",{"micros":0}]'],
    });
    // Without the GUILDS intent Discord sends no GUILD_CREATE, and discord.js then doesn't wait for one.
    if (session.intents & GUILDS_INTENT) {
      for (const guild of deps.guildCreates(shard)) dispatchTo(session, "GUILD_CREATE", guild);
    }
    return session;
  }

  function resume(socket: WebSocket, d: Record<string, unknown>): Session | null {
    if (d.token !== deps.token) {
      socket.close(Close.AuthenticationFailed, "Authentication failed.");
      return null;
    }
    const session = typeof d.session_id === "string" ? sessions.get(d.session_id) : undefined;
    if (!session || session.invalidated) {
      send(socket, { op: Op.InvalidSession, d: false, s: null, t: null });
      return null;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    session.resumes += 1;
    const from = typeof d.seq === "number" ? d.seq : 0;
    for (const entry of session.buffer) if (entry.s > from) socket.send(entry.frame);
    dispatchTo(session, "RESUMED", null);
    return session;
  }

  wss.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    const query = new URL(request.url ?? "/", "ws://127.0.0.1").searchParams;
    if (query.get("v") !== "10") {
      socket.close(Close.InvalidApiVersion, "Invalid API version.");
      return;
    }
    if (query.get("encoding") !== "json" || query.has("compress")) {
      // The fake speaks plain JSON only; discord.js asks for zlib-stream only when zlib-sync is installed.
      socket.close(Close.DecodeError, "Error while decoding payload.");
      return;
    }
    let session: Session | null = null;
    send(socket, { op: Op.Hello, d: { heartbeat_interval: deps.heartbeatIntervalMs }, s: null, t: null });

    socket.on("message", (raw: RawData) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        socket.close(Close.DecodeError, "Error while decoding payload.");
        return;
      }
      const d =
        typeof payload.d === "object" && payload.d !== null ? (payload.d as Record<string, unknown>) : {};
      switch (payload.op) {
        case Op.Heartbeat:
          if (session) session.heartbeats += 1;
          else unauthenticatedHeartbeats += 1;
          send(socket, { op: Op.HeartbeatAck });
          break;
        case Op.Identify:
          if (session) socket.close(Close.AlreadyAuthenticated, "Already authenticated.");
          else session = identify(socket, d);
          break;
        case Op.Resume:
          if (session) socket.close(Close.AlreadyAuthenticated, "Already authenticated.");
          else session = resume(socket, d);
          break;
        case Op.PresenceUpdate:
        case Op.VoiceStateUpdate:
        case Op.RequestGuildMembers:
        case Op.RequestSoundboardSounds:
          if (!session) socket.close(Close.NotAuthenticated, "Not authenticated.");
          break;
        default:
          socket.close(Close.UnknownOpcode, "Unknown opcode.");
      }
      deps.onChange();
    });

    socket.on("close", (code: number) => {
      if (session && session.socket === socket) {
        session.socket = null;
        // A client closing with 1000/1001 ends its session; any other close leaves it resumable.
        if (code === 1000 || code === 1001) session.invalidated = true;
      }
      deps.onChange();
    });
  });

  return {
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = new URL(request.url ?? "/", "ws://127.0.0.1").pathname;
      if (path !== "/gateway" && path !== "/gateway/") {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },

    /**
     * Sends a dispatch to every live session of the shard owning `guildId` (all of them, as Discord does when
     * several processes share a shard). A session that dropped without ending gets it on RESUME.
     * Returns how many sessions it was sent or queued to.
     */
    dispatch(t: string, d: unknown, guildId: string | null): number {
      let count = 0;
      for (const session of sessions.values()) {
        if (session.invalidated || shardOf(guildId, session.shard[1]) !== session.shard[0]) continue;
        dispatchTo(session, t, d);
        count += 1;
      }
      return count;
    },

    sessions(): GatewaySessionInfo[] {
      return [...sessions.values()].map((s) => ({
        sessionId: s.id,
        shard: [...s.shard],
        intents: s.intents,
        connected: s.socket?.readyState === WebSocket.OPEN,
        invalidated: s.invalidated,
        heartbeats: s.heartbeats,
        resumes: s.resumes,
        seq: s.seq,
      }));
    },

    heartbeatsBeforeIdentify: () => unauthenticatedHeartbeats,

    /** Drops every connection as a network failure or a Discord restart would; sessions stay resumable. */
    disconnectAll(code: number = Close.UnknownError): void {
      for (const session of sessions.values()) session.socket?.close(code, "Fake gateway disconnect");
    },

    /** Sends op 7 RECONNECT, asking clients to reconnect and resume. */
    requestReconnect(): void {
      for (const session of sessions.values()) {
        if (session.socket) send(session.socket, { op: 7, d: null, s: null, t: null });
      }
    },

    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
