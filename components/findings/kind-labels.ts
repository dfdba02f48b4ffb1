// What each kind of finding is called on screen.
import type { FindingItem } from "@/lib/contract/read";

export const KIND_LABELS: Record<FindingItem["kind"], string> = {
  idle_timeout: "Idle timeout",
  tls_interception: "TLS interception",
  port_blocked: "Port blocked",
  outage: "Outage",
  flapping: "Flapping device",
  offline: "Offline device",
  session_lifetime: "Connection lifetime cap",
  scheduled_drop: "Scheduled drop",
  proxy_failure: "Proxy failure",
};
