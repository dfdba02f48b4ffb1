// API keys: `lsk_<prefix>_<secret>` (PROTOCOL.md). The prefix (8 chars) identifies the key
// and is shown in the UI; only a SHA-256 hash of the secret is stored. A fast hash is
// right here: the secret is 256 random bits, so there is nothing to brute-force.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export type KeyScope = "ingest" | "read";
export const KEY_SCOPES: readonly KeyScope[] = ["ingest", "read"];

const PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const KEY_PATTERN = /^lsk_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateKey(): NewKey {
  const bytes = randomBytes(8);
  const prefix = Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("");
  const secret = randomBytes(32).toString("base64url");
  return { key: `lsk_${prefix}_${secret}`, prefix, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function parseKey(key: string): { prefix: string; secret: string } | null {
  const m = KEY_PATTERN.exec(key);
  return m ? { prefix: m[1], secret: m[2] } : null;
}

/** The key from an `Authorization: Bearer ...` header, if it has the key format. */
export function keyFromAuthorization(header: string | null): { prefix: string; secret: string } | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? parseKey(m[1]) : null;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
