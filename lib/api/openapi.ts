// The OpenAPI document served at /api/v1/openapi.json, generated from the same zod
// schemas the handlers validate with, so the reference cannot drift from the code.
import { z } from "zod";
import { ingestRequest, ingestResponse } from "@/lib/contract/events";
import {
  deviceItem,
  devicesQuery,
  durationsQuery,
  durationsResponse,
  findingItem,
  findingsQuery,
  page,
  sessionItem,
  sessionsQuery,
  siteItem,
  sitesQuery,
} from "@/lib/contract/read";
import { changePasswordBody, createUserBody, loginBody, meItem, passwordChanged, setupBody, updateUserBody, userItem } from "@/lib/contract/auth";
import { createdKey, createdShareLink, createKeyBody, createShareLinkBody, keyItem, shareLinkItem, shareLinksQuery } from "@/lib/contract/admin";

import { dashboardPaths } from "./openapi-dashboard";
import { error, errorBody, queryParameters, readErrors, schema, type Json } from "./openapi-parts";

function listEndpoint(summary: string, query: z.ZodObject, item: z.ZodType): Json {
  return {
    get: {
      summary,
      security: [{ bearer: [] }],
      parameters: queryParameters(query),
      responses: {
        "200": { description: "One page; pass nextCursor as cursor for the next", content: { "application/json": { schema: schema(page(item)) } } },
        ...readErrors,
      },
    },
  };
}

function findingAction(summary: string): Json {
  return {
    post: {
      summary,
      description: "Needs a signed-in operator or admin (dashboard cookie, same-origin). Read keys get 403.",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
      responses: {
        "200": { description: "The finding after the change", content: { "application/json": { schema: schema(findingItem) } } },
        "401": error("Not signed in"),
        "403": error("Not allowed (viewer, a key, or a cross-site request)"),
        "404": error("No such finding"),
        "409": error("The finding's status does not allow it (e.g. acknowledging a resolved finding)"),
      },
    },
  };
}

function bodyEndpoint(summary: string, description: string, body: z.ZodType | null, answer: z.ZodType, errors: Record<string, string>, status = "200"): Json {
  return {
    summary,
    description,
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: schema(body, "input") } } } } : {}),
    responses: {
      [status]: { description: "Done", content: { "application/json": { schema: schema(answer) } } },
      ...Object.fromEntries(Object.entries(errors).map(([code, text]) => [code, error(text)])),
    },
  };
}

const signedOut = z.object({ signedOut: z.literal(true), sessions: z.number().int().optional() });

function accountPaths(): Json {
  const cookieNote = "Dashboard session cookie (linkscope_session); state-changing calls must come from the same origin.";
  return {
    "/api/v1/auth/setup": {
      post: bodyEndpoint("Create the first admin and sign in", "Open only while no user exists.", setupBody, meItem, { "400": "invalid body", "403": "setup is closed" }, "201"),
    },
    "/api/v1/auth/login": {
      post: bodyEndpoint("Sign in; sets the session cookie", "Throttled per account and per address.", loginBody, meItem, {
        "401": "wrong email or password",
        "429": "too many failures (rate_limited), with Retry-After",
      }),
    },
    "/api/v1/auth/logout": { post: bodyEndpoint("Sign out this browser", cookieNote, null, signedOut, { "403": "cross-site request" }) },
    "/api/v1/auth/logout-all": {
      post: bodyEndpoint("Sign out every session of the signed-in user", cookieNote, null, signedOut, { "401": "not signed in", "403": "cross-site request or a key" }),
    },
    "/api/v1/auth/me": { get: bodyEndpoint("The signed-in user", cookieNote, null, meItem, { "401": "not signed in" }) },
    "/api/v1/auth/password": {
      post: bodyEndpoint(
        "Change your own password; every other session of yours ends",
        `${cookieNote} The current password is required; wrong guesses count against the login throttle.`,
        changePasswordBody,
        passwordChanged,
        { "400": "invalid body, or currentPassword is wrong (details.issues names it)", "401": "not signed in", "403": "a key, or a cross-site request", "429": "too many wrong passwords (rate_limited), with Retry-After" },
      ),
    },
    "/api/v1/users": {
      get: bodyEndpoint("List users (admins)", cookieNote, null, page(userItem), { "401": "not signed in", "403": "not an admin" }),
      post: bodyEndpoint("Create a user (admins)", cookieNote, createUserBody, userItem, { "403": "not an admin", "409": "email taken" }, "201"),
    },
    "/api/v1/users/{id}": {
      patch: {
        ...bodyEndpoint("Change a user's role, name, password or disable them (admins)", cookieNote, updateUserBody, userItem, {
          "403": "not an admin",
          "404": "no such user",
          "409": "would remove the last active admin",
        }),
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
      },
      delete: {
        ...bodyEndpoint("Remove a user (admins); their sessions end at once, share links they made stay", cookieNote, null, z.object({ removed: z.literal(true) }), {
          "403": "not an admin",
          "404": "no such user",
          "409": "yourself, or the last active admin",
        }),
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
      },
    },
  };
}

function adminPaths(): Json {
  const cookieNote = "Dashboard session cookie; state-changing calls must come from the same origin.";
  const idParam = (name: string, type: "integer" | "string") => [{ name, in: "path", required: true, schema: { type } }];
  return {
    "/api/v1/keys": {
      get: bodyEndpoint("List API keys (admins): prefix, scope, site, last use — never the secret", cookieNote, null, page(keyItem), { "403": "not an admin" }),
      post: bodyEndpoint("Create an ingest or read key (admins); the key is in this answer only", cookieNote, createKeyBody, createdKey, { "403": "not an admin" }, "201"),
    },
    "/api/v1/keys/{prefix}/revoke": {
      post: { ...bodyEndpoint("Revoke a key (admins)", cookieNote, null, keyItem, { "403": "not an admin", "404": "no such key" }), parameters: idParam("prefix", "string") },
    },
    "/api/v1/sites/{slug}/share-links": {
      post: {
        ...bodyEndpoint(
          "Create a read-only report link for one site (operators); the token is in this answer only",
          `${cookieNote} The link opens /r/{token}: that one site's report, no login, nothing else.`,
          createShareLinkBody,
          createdShareLink,
          { "403": "not an operator", "404": "no such site" },
          "201",
        ),
        parameters: idParam("slug", "string"),
      },
    },
    "/api/v1/share-links": {
      get: { ...bodyEndpoint("Active share links (operators); all=true adds expired and revoked", cookieNote, null, page(shareLinkItem), { "403": "not an operator" }), parameters: queryParameters(shareLinksQuery) },
    },
    "/api/v1/share-links/{id}/revoke": {
      post: { ...bodyEndpoint("Revoke a share link (operators)", cookieNote, null, shareLinkItem, { "403": "not an operator", "404": "no such link" }), parameters: idParam("id", "integer") },
    },
  };
}

export function openApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "Linkscope API",
      version: "1",
      description:
        "Connectivity events in (POST /api/v1/events), diagnosis out. Times are RFC 3339 with a zone; durations are seconds. " +
        'Every error is {"error": {"code", "message", "details"}}. Authenticate with Authorization: Bearer lsk_<prefix>_<secret>; ' +
        "create keys with `npm run cli -- keys create --scope ingest|read [--site SLUG]`.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An ingest or read key (lsk_...)" },
        session: { type: "apiKey", in: "cookie", name: "linkscope_session", description: "A signed-in dashboard user" },
      },
      schemas: { Error: schema(errorBody) },
    },
    paths: {
      "/api/v1/events": {
        post: {
          summary: "Ingest a batch of 1-1000 events (body at most 1 MiB)",
          description:
            "Valid items are stored, invalid ones listed in `rejected` with index, id and error; an event whose (device, id) was stored before counts as a duplicate and changes nothing; an event older than the raw-event window (LINKSCOPE_RAW_RETENTION_DAYS, default 14 days) is rejected with code too_old, since its id can no longer be checked. Needs an ingest key; a site-scoped key forces the site of every event.",
          security: [{ bearer: [] }],
          requestBody: { required: true, content: { "application/json": { schema: schema(ingestRequest, "input") } } },
          responses: {
            "200": { description: "Stored what was valid", content: { "application/json": { schema: schema(ingestResponse) } } },
            "400": error("invalid_json or invalid_body (not {events: [...]}, or 0 or more than 1000 events)"),
            "401": error("Missing, unknown or revoked key"),
            "403": error("Not an ingest key"),
            "413": error("Body over 1 MiB (too_large)"),
            "415": error("Content-Type is not application/json"),
            "429": error("rate_limited, with Retry-After"),
            "503": error("Storage unavailable; nothing was accepted; Retry-After"),
          },
        },
      },
      "/api/v1/probe/hold": {
        get: {
          summary: "Hold the request idle for `after` seconds, then answer (idle-timeout probing)",
          description: "Sends nothing at all - no headers, no bytes - until `after` seconds have passed. Needs an ingest key.",
          security: [{ bearer: [] }],
          parameters: [{ name: "after", in: "query", required: true, schema: { type: "number", minimum: 1, maximum: 7200 } }],
          responses: {
            "200": {
              description: "Held",
              content: { "application/json": { schema: { type: "object", properties: { heldS: { type: "number" } }, required: ["heldS"] } } },
            },
            "400": error("after is missing or out of range"),
            "401": error("Missing or unknown key"),
            "403": error("Not an ingest key"),
          },
        },
      },
      "/api/v1/sites": listEndpoint("Sites with device counts and open findings", sitesQuery, siteItem),
      "/api/v1/devices": listEndpoint("Devices, online state and open findings", devicesQuery, deviceItem),
      "/api/v1/sessions": listEndpoint("Sessions (one per device connection), newest first", sessionsQuery, sessionItem),
      "/api/v1/findings": listEndpoint(
        "Findings (what broke a site's connections, with evidence and the change to make), newest first; status defaults to open",
        findingsQuery,
        findingItem,
      ),
      "/api/v1/findings/{id}/acknowledge": findingAction("Acknowledge an open finding (operators)"),
      "/api/v1/findings/{id}/resolve": findingAction("Resolve a finding (operators); it reopens as a new finding on newer evidence"),
      ...accountPaths(),
      ...adminPaths(),
      "/api/v1/health": {
        get: { summary: "Liveness (no database, no auth)", responses: { "200": { description: "Up", content: { "application/json": { schema: { type: "object" } } } } } },
      },
      "/api/v1/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } } },
      "/api/v1/sites/{slug}/durations": {
        get: {
          summary: "Histogram of idle time before abnormal drops (or of session durations) with the detected clusters",
          security: [{ bearer: [] }],
          parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }, ...queryParameters(durationsQuery)],
          responses: {
            "200": { description: "Log-spaced bins, empty ones included", content: { "application/json": { schema: schema(durationsResponse) } } },
            "404": error("No such site"),
            ...readErrors,
          },
        },
      },
      ...dashboardPaths(),
    },
  };
}
