// What a finding means, written for a customer's network team: what was measured, what it
// means, and the exact change to ask for. Used by the shared site report.
import { affectedDevices } from "@/lib/contract/affected";
import type { KindEvidence } from "@/lib/contract/evidence";
import type { CustomerExplanation } from "@/lib/contract/report";

export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} seconds`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${(seconds / 3600).toFixed(seconds % 3600 === 0 ? 0 : 1)} hours`;
}

function target(endpoint: string | null): { host: string; port: string; text: string } {
  if (!endpoint) return { host: "the IoT platform", port: "443", text: "the IoT platform on port 443" };
  const i = endpoint.lastIndexOf(":");
  const host = endpoint.slice(0, i);
  const port = endpoint.slice(i + 1);
  return { host, port, text: `${host} on port ${port}` };
}

export function explainForCustomer(f: KindEvidence & { device: string | null }, endpoint: string | null): CustomerExplanation {
  const to = target(("endpoint" in f.evidence ? f.evidence.endpoint : null) ?? endpoint);
  const devices = affectedDevices(f).count;
  switch (f.kind) {
    case "idle_timeout": {
      const e = f.evidence;
      const t = e.timeoutS ?? 0;
      const known = e.knownAs;
      const measured =
        e.mode === "probe"
          ? `Our probe held idle connections open through your network to ${to.host}: connections idle for up to about ${duration(t)} survived, longer ones were cut.`
          : `${e.drops.toLocaleString("en-US")} dropped connections (${Math.round(e.share * 100)} % of this site's abnormal drops, on ${devices} device${devices === 1 ? "" : "s"}) ended after about ${duration(t)} without traffic.`;
      return {
        measured,
        meaning:
          `A firewall, NAT or proxy between the devices and ${to.host} forgets TCP connections that carry no data for about ${duration(t)}` +
          `${known ? ` (${known})` : " — an unusual value, set deliberately somewhere"}. The devices keep one connection open and mostly idle while they wait for messages, so each is cut at that point and has to reconnect.`,
        ask: `Please raise the TCP idle (session) timeout for traffic from this site to ${to.text} above 10 minutes — ideally to 90 minutes, the longest the platform keeps a request waiting.`,
      };
    }
    case "tls_interception": {
      const e = f.evidence;
      const vendor = e.vendor;
      return {
        measured: `Devices at this site received a certificate for ${to.host} signed by "${e.issuer}"${vendor ? `, a ${vendor} inspection certificate,` : ""} instead of the platform's own certificate.`,
        meaning: "A proxy on your network decrypts and re-encrypts the devices' HTTPS traffic (TLS/SSL inspection). The devices cannot trust the substituted certificate, so their connections fail — and accepting it would expose their credentials.",
        ask: `Please exempt ${to.host} (port ${to.port}) from TLS/SSL inspection${vendor ? ` in ${vendor}` : ""}: add it to the inspection bypass list.`,
      };
    }
    case "port_blocked": {
      const refused = f.evidence.mode === "refused";
      return {
        measured: `Devices could not open a connection to ${to.text}: every attempt was ${refused ? "actively refused (answered with a TCP reset)" : "silently dropped (never answered)"}, and no device at this site has connected.`,
        meaning: `A firewall blocks outbound traffic to port ${to.port}${refused ? " and rejects it" : " and discards it without answering"}.`,
        ask: `Please allow outbound TCP port ${to.port} from this site's devices to ${to.host}.`,
      };
    }
    case "outage": {
      const { start, end } = f.evidence;
      return {
        measured: `${devices} devices lost their connections together at ${start}${end ? ` and were back by ${end}` : " and have not all come back"}.`,
        meaning: "Drops on many devices at once point to the site's internet access or a shared network device (router, firewall, proxy) failing or restarting.",
        ask: `Please check the site's uplink, firewall and router logs around ${start} (UTC).`,
      };
    }
    case "flapping":
      return {
        measured: `Device ${f.device ?? ""} reconnected about ${Math.round(f.evidence.reconnectsPerHour)} times per hour, far more often than the rest of the fleet.`,
        meaning: "Its network link keeps failing: weak Wi-Fi or cellular signal, a loose cable, or an unstable power supply.",
        ask: "Please check the device's network link (signal, cabling) and power supply.",
      };
    case "offline":
      return {
        measured: `Device ${f.device ?? ""} has not been heard from since ${f.evidence.lastSeen}.`,
        meaning: "It is switched off, has no network, or cannot reach the platform at all.",
        ask: "Please check that the device is powered and connected to the network.",
      };
    case "session_lifetime":
      return {
        measured: `Connections end after about ${duration(f.evidence.periodS)} whether or not they carry traffic.`,
        meaning: "A proxy or load balancer limits how long one connection may last (or a credential expires on that schedule).",
        ask: `Please raise the maximum connection lifetime for traffic to ${to.text} above 90 minutes, or exempt it from that limit.`,
      };
    case "scheduled_drop":
      return {
        measured: `Connections drop every day at ${f.evidence.timeOfDay} UTC (${f.evidence.dayCount} days seen).`,
        meaning: "Something on the network runs on a schedule at that time: a policy push, a router or firewall restart, a lease renewal.",
        ask: `Please find the scheduled job that runs at ${f.evidence.timeOfDay} UTC on the site's firewall or router and keep it from resetting established connections.`,
      };
    case "proxy_failure": {
      const { proxy, mode } = f.evidence;
      const measured = {
        unreachable: `Devices could not reach the proxy ${proxy} they are configured to use.`,
        auth_required: `The proxy ${proxy} asked the devices for credentials (HTTP 407) and refused them.`,
        forbidden: `The proxy ${proxy} refused to open connections to ${to.text} (its policy).`,
        origin_unreachable: `The proxy ${proxy} accepted the devices' requests but could not reach ${to.text} itself.`,
      }[mode];
      const ask = {
        unreachable: `Please confirm the proxy address and port the devices should use (${proxy} today), or tell us if this site needs no proxy.`,
        auth_required: `Please let these devices through the proxy ${proxy} without authentication (an exception by source address), or give us credentials for them.`,
        forbidden: `Please allow CONNECT to ${to.text} on the proxy ${proxy}.`,
        origin_unreachable: `Please check the proxy ${proxy}'s own outbound path to ${to.text}.`,
      }[mode];
      return {
        measured,
        meaning: "The devices' traffic goes through an HTTP proxy, and the proxy is where it stops: this is not a blocked port on the site's firewall.",
        ask,
      };
    }
  }
}
