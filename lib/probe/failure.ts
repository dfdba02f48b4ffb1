import type { FunnelStage, ProxyStage } from "./events";

/** What a proxy on the way had to do with a failure (the `proxyStage` / `proxyError` wire fields). */
export interface ProxyPart {
  stage: ProxyStage;
  /** The proxy's own error header (X-Squid-Error, Proxy-Status), as sent. */
  error?: string;
  /** The realm of a 407's Proxy-Authenticate. */
  realm?: string;
}

/** A funnel stage that did not get through, with the errno the device would have seen. */
export class StageFailure extends Error {
  constructor(
    readonly stage: FunnelStage,
    readonly errno: string,
    message: string,
    readonly elapsedMs: number,
    readonly proxy?: ProxyPart,
  ) {
    super(message);
    this.name = "StageFailure";
  }
}

/** The errno-like code of a Node error (`ECONNRESET`, `ERR_SSL_...`), else a fallback. */
export function errnoOf(error: unknown, fallback = "EUNKNOWN"): string {
  if (error instanceof StageFailure) return error.errno;
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "string" && code.length > 0) return code;
  }
  if (error instanceof Error && error.message === "socket hang up") return "ECONNRESET";
  return fallback;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type TcpOutcome = "refused" | "timed_out" | "unreachable" | "reset" | "other";

/** What a failed TCP connect means on the path (DOMAIN.md, "What a client sees"). */
export function tcpOutcome(errno: string): TcpOutcome {
  switch (errno) {
    case "ECONNREFUSED":
      return "refused";
    case "ETIMEDOUT":
      return "timed_out";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
    case "ENETDOWN":
      return "unreachable";
    case "ECONNRESET":
      return "reset";
    default:
      return "other";
  }
}
