import { errnoOf } from "./failure";
import { HttpConnection, RequestFailure } from "./http-connection";
import { holdMarginS } from "./idle-ladder";
import { openTransport, serverPath, type TransportOptions } from "./transport";

/** The Linkscope server's hold endpoint, reached the way the devices would reach it. */
export interface HoldEndpoint {
  server: URL;
  key: string;
  transport: TransportOptions;
}

export interface TryVerdict {
  idleS: number;
  /**
   * `survived`: answered after the idle period; `died`: reset or silence; `cancelled`: a
   * shorter period already died; `server_closed`: the server ended the keep-alive first (says
   * nothing about the path); `failed`: the try could not run (no connection, HTTP error).
   */
  verdict: "survived" | "died" | "cancelled" | "server_closed" | "failed";
  errno?: string;
}

const QUICK_HOLD_S = 1;

async function openHoldConnection(endpoint: HoldEndpoint): Promise<HttpConnection> {
  const opened = await openTransport(endpoint.server, endpoint.transport);
  return new HttpConnection(opened.socket, endpoint.server.host);
}

async function hold(connection: HttpConnection, endpoint: HoldEndpoint, afterS: number): Promise<number> {
  const reply = await connection.request({
    method: "GET",
    path: serverPath(endpoint.server, `/api/v1/probe/hold?after=${afterS}`),
    headers: { authorization: `Bearer ${endpoint.key}`, accept: "application/json" },
    deadlineMs: (afterS + holdMarginS(afterS)) * 1000,
  });
  return reply.status;
}

/**
 * Downstream: a fresh connection whose request the server answers only after `idleS` of
 * silence. The path must keep the idle connection's state for the answer to come back.
 */
export async function downstreamTry(endpoint: HoldEndpoint, idleS: number, signal: AbortSignal): Promise<TryVerdict> {
  let connection: HttpConnection;
  try {
    connection = await openHoldConnection(endpoint);
  } catch (error) {
    return { idleS, verdict: signal.aborted ? "cancelled" : "failed", errno: errnoOf(error) };
  }
  if (signal.aborted) {
    connection.close();
    return { idleS, verdict: "cancelled" };
  }
  const cancel = () => connection.close();
  signal.addEventListener("abort", cancel, { once: true });
  try {
    const status = await hold(connection, endpoint, idleS);
    return status === 200 ? { idleS, verdict: "survived" } : { idleS, verdict: "failed", errno: `HTTP_${status}` };
  } catch (error) {
    if (signal.aborted) return { idleS, verdict: "cancelled" };
    return { idleS, verdict: "died", errno: error instanceof RequestFailure ? error.code : errnoOf(error) };
  } finally {
    signal.removeEventListener("abort", cancel);
    connection.close();
  }
}

/**
 * Upstream: a keep-alive connection is used once, left idle for `idleS`, then used again — the
 * device speaking first after the gap, as a client sending a heartbeat would. A reset during
 * the gap ends the try early; a clean close by the server is not the path's doing.
 */
export async function upstreamTry(endpoint: HoldEndpoint, idleS: number, signal: AbortSignal): Promise<TryVerdict> {
  let connection: HttpConnection;
  try {
    connection = await openHoldConnection(endpoint);
  } catch (error) {
    return { idleS, verdict: signal.aborted ? "cancelled" : "failed", errno: errnoOf(error) };
  }
  try {
    const warm = await hold(connection, endpoint, QUICK_HOLD_S).catch((error: unknown) => errnoOf(error));
    if (warm !== 200) return { idleS, verdict: "failed", errno: typeof warm === "number" ? `HTTP_${warm}` : warm };
    await idleUntil(connection, connection.lastByteAtMs + idleS * 1000, signal);
    if (signal.aborted) return { idleS, verdict: "cancelled" };
    const ended = connection.ended;
    if (ended?.kind === "fin") return { idleS, verdict: "server_closed" };
    if (ended) return { idleS, verdict: "died", errno: ended.errno };
    try {
      const status = await hold(connection, endpoint, QUICK_HOLD_S);
      return status === 200 ? { idleS, verdict: "survived" } : { idleS, verdict: "failed", errno: `HTTP_${status}` };
    } catch (error) {
      if (connection.ended?.kind === "fin") return { idleS, verdict: "server_closed" };
      return { idleS, verdict: "died", errno: error instanceof RequestFailure ? error.code : errnoOf(error) };
    }
  } finally {
    connection.close();
  }
}

/** Waits until `untilMs`, or until the connection ends or the try is cancelled. */
function idleUntil(connection: HttpConnection, untilMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      connection.socket.removeListener("close", done);
      connection.socket.removeListener("end", done);
      connection.socket.removeListener("error", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, untilMs - Date.now()));
    connection.socket.once("close", done);
    connection.socket.once("end", done);
    connection.socket.once("error", done);
    signal.addEventListener("abort", done, { once: true });
    if (connection.ended || signal.aborted) done();
  });
}

export interface ControlReport {
  requests: number;
  reconnects: number;
  failure?: string;
}

/**
 * The control: one connection kept busy with short holds for as long as a round runs. If it
 * dies too, the round saw an outage (or a cap on connection age), not an idle timeout.
 */
export async function keepControlBusy(endpoint: HoldEndpoint, signal: AbortSignal): Promise<ControlReport> {
  const report: ControlReport = { requests: 0, reconnects: 0 };
  let connection: HttpConnection | undefined;
  const cancel = () => connection?.close();
  signal.addEventListener("abort", cancel, { once: true });
  try {
    while (!signal.aborted) {
      if (!connection || connection.ended) {
        if (connection) report.reconnects += 1;
        try {
          connection = await openHoldConnection(endpoint);
        } catch (error) {
          if (!signal.aborted) report.failure = errnoOf(error);
          break;
        }
        if (signal.aborted) break;
      }
      try {
        const status = await hold(connection, endpoint, QUICK_HOLD_S);
        if (status !== 200) {
          report.failure = `HTTP_${status}`;
          break;
        }
        report.requests += 1;
      } catch (error) {
        if (signal.aborted) break;
        if (connection.ended?.kind === "fin") continue;
        report.failure = error instanceof RequestFailure ? error.code : errnoOf(error);
        break;
      }
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    connection?.close();
  }
  return report;
}
