// Wire contract of the key and share-link administration endpoints.
import { z } from "zod";
import { rfc3339, siteSlug } from "./events";

/** The longest a share link may stay valid. */
export const MAX_SHARE_DAYS = 90;

export const createKeyBody = z
  .object({ scope: z.enum(["ingest", "read"]), site: siteSlug.optional(), name: z.string().trim().max(100).optional() })
  .strict();
export const keyItem = z.object({
  prefix: z.string(),
  scope: z.string(),
  site: z.string().nullable(),
  name: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const createdKey = keyItem.extend({ key: z.string().describe("The full key: shown only in this answer") });
export const keysQuery = z.object({});

export const createShareLinkBody = z
  .object({
    expiresInDays: z.number().int().min(1).max(MAX_SHARE_DAYS).default(14),
    from: rfc3339.optional(),
    to: rfc3339.optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict()
  .refine((b) => !b.from || !b.to || Date.parse(b.from) < Date.parse(b.to), { message: "from must be before to", path: ["from"] });
export const shareLinkItem = z.object({
  id: z.number().int(),
  site: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  rangeFrom: z.string().nullable(),
  rangeTo: z.string().nullable(),
  note: z.string().nullable(),
  active: z.boolean(),
});
export const createdShareLink = shareLinkItem.extend({
  token: z.string(),
  url: z.string().describe("Path of the report: shown only in this answer"),
});
export const shareLinksQuery = z.object({ site: siteSlug.optional(), all: z.enum(["true", "false"]).optional() });
