// Who is on the other end of a request, for login throttling and logs. By default the TCP
// peer: scripts/serve.mjs (the production server) writes the socket's address into
// X-Linkscope-Peer, replacing whatever a client sent under that name, so nobody can choose
// their own address by writing X-Forwarded-For. Behind reverse proxies, LINKSCOPE_TRUST_PROXY
// says which hops to believe:
//
//   LINKSCOPE_TRUST_PROXY=1                       one proxy in front (nginx, a load balancer): the
//                                                 address it appended to X-Forwarded-For
//   LINKSCOPE_TRUST_PROXY=2                       two proxies (a CDN, then nginx)
//   LINKSCOPE_TRUST_PROXY=10.0.0.0/8,192.168.1.7  proxies by address (IPv4/IPv6 CIDR or address):
//                                                 the nearest hop outside the list
//
// Without the peer header (a server other than scripts/serve.mjs, e.g. `next dev`), the last
// X-Forwarded-For entry is used: Next.js fills it from the socket when no client sent it.
import { BlockList, isIP } from "node:net";

export const PEER_HEADER = "x-linkscope-peer";

export type ProxyTrust = { hops: number } | { networks: BlockList } | null;

/** LINKSCOPE_TRUST_PROXY parsed; throws a clear error on a malformed value (checked at start). */
export function parseProxyTrust(value: string | undefined): ProxyTrust {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0" || text.toLowerCase() === "false") return null;
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const networks = new BlockList();
  for (const entry of text.split(",").map((e) => e.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`LINKSCOPE_TRUST_PROXY: "${entry}" is neither a hop count, an address nor a CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) networks.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) throw new Error(`LINKSCOPE_TRUST_PROXY: "${entry}" has a bad prefix length`);
      networks.addSubnet(address, bits, type);
    }
  }
  return { networks };
}

/** `::ffff:10.0.0.1` is 10.0.0.1. */
function normalized(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, "");
  return a.toLowerCase().startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

function contains(networks: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && networks.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: `peer` (the socket) unless trusted proxies forwarded the request, then
 * the address they saw, walking X-Forwarded-For from the nearest hop outwards.
 */
export function clientAddressFrom(peer: string | null, forwardedFor: string | null, trust: ProxyTrust): string | null {
  const chain = [...(forwardedFor ?? "").split(","), ...(peer !== null ? [peer] : [])].map(normalized).filter((a) => a !== "");
  if (chain.length === 0) return null;
  if (peer === null) return chain[chain.length - 1];
  if (trust === null) return chain[chain.length - 1];
  if ("hops" in trust) return chain[Math.max(0, chain.length - 1 - trust.hops)];
  let i = chain.length - 1;
  while (i > 0 && contains(trust.networks, chain[i])) i--;
  return chain[i];
}

let cachedTrust: { value: string | undefined; trust: ProxyTrust } | null = null;

export function clientAddress(request: Request, env: Record<string, string | undefined> = process.env): string | null {
  if (cachedTrust === null || cachedTrust.value !== env.LINKSCOPE_TRUST_PROXY) {
    cachedTrust = { value: env.LINKSCOPE_TRUST_PROXY, trust: parseProxyTrust(env.LINKSCOPE_TRUST_PROXY) };
  }
  const address = clientAddressFrom(request.headers.get(PEER_HEADER), request.headers.get("x-forwarded-for"), cachedTrust.trust);
  return address?.slice(0, 64) ?? null;
}
