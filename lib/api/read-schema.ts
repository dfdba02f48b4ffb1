// The read API's wire contract (PROTOCOL.md "Read API") as zod schemas: query parsing in
// the handlers, item shapes for the OpenAPI document and the dashboard's hooks.
import { z } from "zod";
import { rfc3339, siteSlug } from "@/lib/ingest/schema";

export const cursorParam = z.string().max(512).optional();
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const sitesQuery = z.object({ site: siteSlug.optional(), cursor: cursorParam, limit: limit(500, 100) });
export const devicesQuery = z.object({
  site: siteSlug.optional(),
  q: z.string().max(128).optional(),
  cursor: cursorParam,
  limit: limit(500, 100),
});
export const sessionsQuery = z.object({
  site: siteSlug.optional(),
  device: z.string().min(1).max(128).optional(),
  from: rfc3339.optional(),
  to: rfc3339.optional(),
  cursor: cursorParam,
  limit: limit(1000, 100),
});

export const siteItem = z.object({
  slug: z.string(),
  name: z.string(),
  devices: z.number().int(),
  online: z.number().int(),
  openFindings: z.number().int(),
});
export const deviceItem = z.object({
  id: z.string(),
  site: z.string().nullable(),
  lastSeen: z.string(),
  online: z.boolean(),
  sessionOpen: z.boolean(),
  openFindings: z.number().int(),
  publicIp: z.string().nullable(),
  heartbeatIntervalS: z.number().nullable(),
  skewed: z.boolean(),
});
export const END_REASONS = ["client_closed", "server_closed", "reset", "timeout", "error", "unknown", "superseded", "inferred"] as const;
export const sessionItem = z.object({
  device: z.string(),
  site: z.string().nullable(),
  session: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  durationS: z.number().nullable(),
  endReason: z.enum(END_REASONS).nullable(),
  idleS: z.number().nullable(),
  maxIdleS: z.number().nullable(),
  errno: z.string().nullable(),
  endpoint: z.string().nullable(),
  transport: z.string().nullable(),
  publicIp: z.string().nullable(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type SiteItem = z.infer<typeof siteItem>;
export type DeviceItem = z.infer<typeof deviceItem>;
export type SessionItem = z.infer<typeof sessionItem>;
export type Page<T> = { items: T[]; nextCursor: string | null };
