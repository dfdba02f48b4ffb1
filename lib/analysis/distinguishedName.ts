/**
 * Distinguished names arrive in several text forms: Node's one-attribute-per-line form
 * ("C=US\nO=Entrust\, Inc.\nCN=..."), RFC 4514 ("CN=..., O=..., C=US") and OpenSSL's
 * "/C=US/O=.../CN=...". Comparing them needs one canonical form: attributes as
 * lowercase key=value pairs with escapes removed, sorted, so order and spacing do not matter.
 */

export interface DnAttribute {
  key: string;
  value: string;
}

/** Fleets report the same few CA names over and over: parse each text once. */
const parsedCache = new Map<string, readonly DnAttribute[]>();
const canonicalCache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** Splits on separators that are followed by another `KEY=` (commas inside values survive). */
export function parseDistinguishedName(text: string): readonly DnAttribute[] {
  const cached = parsedCache.get(text);
  if (cached) return cached;
  const parsed = parseUncached(text);
  if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): DnAttribute[] {
  const trimmed = text.trim();
  let parts: string[];
  if (trimmed.includes("\n")) parts = trimmed.split("\n");
  else if (trimmed.startsWith("/")) parts = trimmed.slice(1).split(/\/(?=[A-Za-z][\w.-]*=)/);
  else parts = trimmed.split(/(?<!\\)[,+]\s*(?=[A-Za-z][\w.-]*\s*=)/);
  const attributes: DnAttribute[] = [];
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/\\(.)/g, "$1")
      .replace(/\s+/g, " ")
      .toLowerCase();
    attributes.push({ key: KEY_ALIASES[key] ?? key, value });
  }
  return attributes;
}

const KEY_ALIASES: Record<string, string> = {
  commonname: "cn",
  organizationname: "o",
  organizationalunitname: "ou",
  countryname: "c",
  localityname: "l",
  stateorprovincename: "st",
  s: "st",
  email: "emailaddress",
  "1.2.840.113549.1.9.1": "emailaddress",
};

/** Order- and format-independent key for comparing names. */
export function canonicalDn(text: string): string {
  const cached = canonicalCache.get(text);
  if (cached !== undefined) return cached;
  const canonical = parseDistinguishedName(text)
    .map((a) => `${a.key}=${a.value}`)
    .sort()
    .join("\u0001");
  if (canonicalCache.size >= CACHE_LIMIT) canonicalCache.clear();
  canonicalCache.set(text, canonical);
  return canonical;
}

/** The values of the given attribute keys (e.g. ["cn", "o"]), original order. */
export function dnValues(text: string, keys: readonly string[]): string[] {
  return parseDistinguishedName(text)
    .filter((a) => keys.includes(a.key))
    .map((a) => a.value);
}
