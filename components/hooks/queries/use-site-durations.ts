"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DurationsResponse } from "@/lib/contract/read";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { rangeWindow, type RangeSpec } from "@/lib/client/time-range";

/** GET /api/v1/sites/{slug}/durations */
export function useSiteDurations(slug: string, measure: "idle" | "duration", range: RangeSpec) {
  return useQuery({
    queryKey: queryKeys.siteDurations(slug, measure, range),
    queryFn: ({ signal }) => apiGet<DurationsResponse>(`/api/v1/sites/${encodeURIComponent(slug)}/durations`, { measure, ...rangeWindow(range) }, signal),
    placeholderData: keepPreviousData,
  });
}
