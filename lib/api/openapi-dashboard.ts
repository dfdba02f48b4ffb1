// The OpenAPI entries of the dashboard's read models (fleet overview, search, site summary,
// device detail/timeline/events, finding evidence), from the schemas the handlers parse with.
import type { z } from "zod";
import {
  deviceDetail,
  deviceEventsPage,
  deviceEventsQuery,
  deviceQuery,
  deviceTimeline,
  deviceTimelineQuery,
  evidenceChartData,
  findingEvidenceQuery,
  fleetOverview,
  fleetOverviewQuery,
  moveDeviceAnswer,
  moveDeviceBody,
  searchQuery,
  searchResult,
  siteSummary,
  siteSummaryQuery,
} from "@/lib/contract/dashboard";
import { error, queryParameters, readErrors, schema, type Json } from "./openapi-parts";
import { page } from "@/lib/contract/read";

const RANGE_NOTE = " `from`/`to` (RFC 3339) pick the window (at most 92 days); without them it ends now.";

function read(summary: string, description: string, query: z.ZodObject, response: z.ZodType, path: { name: string; type: "string" | "integer"; missing: string } | null): Json {
  return {
    get: {
      summary,
      description,
      security: [{ bearer: [] }],
      parameters: [...(path ? [{ name: path.name, in: "path", required: true, schema: { type: path.type } }] : []), ...queryParameters(query)],
      responses: {
        "200": { description: "OK", content: { "application/json": { schema: schema(response) } } },
        ...(path ? { "404": error(path.missing) } : {}),
        ...readErrors,
      },
    },
  };
}

const device = { name: "id", type: "string" as const, missing: "No such device (or not in the site a site key may read)" };

export function dashboardPaths(): Json {
  return {
    "/api/v1/fleet/overview": read(
      "Fleet at a glance: devices online, open findings by severity and kind, sites ranked by urgency, abnormal drops over time",
      "Sites come most urgent first (critical findings, warnings, share offline, drops per device). Default window: the last 24 h." + RANGE_NOTE,
      fleetOverviewQuery,
      fleetOverview,
      null,
    ),
    "/api/v1/search": read("Sites and devices whose name contains `q` (the fleet page's search box)", "Exact matches first.", searchQuery, searchResult, null),
    "/api/v1/sites/{slug}/summary": read(
      "One site's connectivity story: disconnect reasons and failed attempts over time, session survival (Kaplan-Meier), heartbeat health, TLS chains seen",
      "Server-chosen buckets, empty ones filled with zeros. Survival counts open and client-closed sessions as censored. Default window: the last 7 days." + RANGE_NOTE,
      siteSummaryQuery,
      siteSummary,
      { name: "slug", type: "string", missing: "No such site" },
    ),
    "/api/v1/devices/{id}": {
      ...read("A device: site, online state, heartbeat interval, open findings, the last TLS chain it saw and its moves between sites", "", deviceQuery, deviceDetail, device),
      patch: {
        summary: "Move a device to another site (operators and admins); the move is recorded in the device's `moves`",
        description: "Dashboard session cookie; same origin. Keys cannot: a fleet-wide ingest key moves a device by sending its events with the new site, a site key never.",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        requestBody: { required: true, content: { "application/json": { schema: schema(moveDeviceBody, "input") } } },
        responses: {
          "200": { description: "Where the device is now, and whether it moved", content: { "application/json": { schema: schema(moveDeviceAnswer) } } },
          "400": error("invalid body"),
          "401": error("not signed in"),
          "403": error("not an operator, a key, or a cross-site request"),
          "404": error("no such device, or no such site"),
        },
      },
    },
    "/api/v1/devices/{id}/timeline": read(
      "A device's sessions over a window (with end reasons), failed connection attempts and heartbeat silences",
      "Default window: the last 24 h." + RANGE_NOTE,
      deviceTimelineQuery,
      deviceTimeline,
      device,
    ),
    "/api/v1/devices/{id}/events": read(
      "A device's raw events, newest first; `type` filters (comma-separated); keyset-paginated",
      "Pass nextCursor as cursor for the next page. Raw events are kept LINKSCOPE_RAW_RETENTION_DAYS (default 14); when the range reaches past that window, compactedBefore says where the raw history ends.",
      deviceEventsQuery,
      deviceEventsPage,
      device,
    ),
    "/api/v1/findings/{id}/evidence": read(
      "The chart that proves a finding, chosen by its kind (histogram, time series, time of day, or certificate chain)",
      "",
      findingEvidenceQuery,
      evidenceChartData,
      { name: "id", type: "integer", missing: "No such finding (or not in the site a site key may read)" },
    ),
  };
}
