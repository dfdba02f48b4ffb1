import { StageFailure, messageOf } from "./failure";
import { RequestFailure, type HttpConnection, type HttpReply } from "./http-connection";
import { proxyErrorOf } from "./proxy";

export interface BayeuxOptions {
  path: string;
  user?: string;
  password?: string;
  deadlineMs: number;
}

export interface BayeuxSession {
  clientId: string;
  handshakeMs: number;
  connectMs: number;
  /** The server's advice on the handshake (Cumulocity: `timeout` up to 90 min). */
  advice?: Record<string, unknown>;
}

interface BayeuxMessage {
  channel?: string;
  successful?: boolean;
  clientId?: string;
  error?: string;
  advice?: Record<string, unknown>;
}

/**
 * Bayeux 1.0 over the long-polling transport (JSON POSTs): `/meta/handshake`, one
 * `/meta/connect`, then a polite `/meta/disconnect`. The connect asks the server not to hold
 * (`advice.timeout: 0`): the funnel wants to know that a connect is answered, not to wait
 * out a 90-minute long-poll. Cookies the server sets (sticky load balancers) are sent back.
 */
export async function bayeuxHandshakeAndConnect(connection: HttpConnection, options: BayeuxOptions): Promise<BayeuxSession> {
  const cookies = new Map<string, string>();
  const exchange = async (message: Record<string, unknown>): Promise<BayeuxMessage> => {
    const started = Date.now();
    let reply: HttpReply;
    try {
      reply = await connection.request({
        method: "POST",
        path: options.path,
        headers: bayeuxHeaders(options, cookies),
        body: JSON.stringify([message]),
        deadlineMs: options.deadlineMs,
      });
    } catch (error) {
      const errno = error instanceof RequestFailure ? error.code : "EUNKNOWN";
      throw new StageFailure("bayeux", errno, `${message.channel}: ${messageOf(error)}`, Date.now() - started);
    }
    rememberCookies(reply, cookies);
    if (reply.status !== 200) {
      // An answer a proxy made itself (an intercepting proxy that could not reach the server) says so.
      const proxyError = proxyErrorOf(reply.headers);
      const from = proxyError ? ` from a proxy (${proxyError})` : "";
      throw new StageFailure("bayeux", `HTTP_${reply.status}`, `${message.channel} answered HTTP ${reply.status}${from}`, Date.now() - started, proxyError ? { stage: "origin", error: proxyError } : undefined);
    }
    const answer = parseReply(reply.body).find((m) => m.channel === message.channel);
    if (!answer) throw new StageFailure("bayeux", "BAYEUX_BAD_RESPONSE", `${message.channel}: no answer on that channel`, Date.now() - started);
    if (answer.successful !== true) {
      const code = /^(\d{3}):/.exec(answer.error ?? "")?.[1];
      throw new StageFailure("bayeux", code ? `BAYEUX_${code}` : "BAYEUX_UNSUCCESSFUL", `${message.channel} unsuccessful: ${answer.error ?? "no error given"}`, Date.now() - started);
    }
    return answer;
  };

  const handshakeStarted = Date.now();
  const handshake = await exchange({
    channel: "/meta/handshake",
    version: "1.0",
    minimumVersion: "1.0",
    supportedConnectionTypes: ["long-polling"],
    id: "1",
  });
  const handshakeMs = Date.now() - handshakeStarted;
  if (!handshake.clientId) throw new StageFailure("bayeux", "BAYEUX_BAD_RESPONSE", "handshake gave no clientId", handshakeMs);

  const connectStarted = Date.now();
  await exchange({
    channel: "/meta/connect",
    clientId: handshake.clientId,
    connectionType: "long-polling",
    advice: { timeout: 0 },
    id: "2",
  });
  const connectMs = Date.now() - connectStarted;

  await exchange({ channel: "/meta/disconnect", clientId: handshake.clientId, id: "3" }).catch(() => undefined);
  return { clientId: handshake.clientId, handshakeMs, connectMs, advice: handshake.advice };
}

function bayeuxHeaders(options: BayeuxOptions, cookies: Map<string, string>): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (options.user !== undefined) {
    const credentials = `${options.user}:${options.password ?? ""}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  return headers;
}

function rememberCookies(reply: HttpReply, cookies: Map<string, string>): void {
  for (const line of reply.headers["set-cookie"] ?? []) {
    const pair = line.split(";")[0];
    const eq = pair.indexOf("=");
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function parseReply(body: string): BayeuxMessage[] {
  try {
    const parsed: unknown = JSON.parse(body);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter((item): item is BayeuxMessage => typeof item === "object" && item !== null);
  } catch {
    return [];
  }
}
