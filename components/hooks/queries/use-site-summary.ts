"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { SiteSummary } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { rangeWindow, type RangeSpec } from "@/lib/client/time-range";

/** GET /api/v1/sites/{slug}/summary */
export function useSiteSummary(slug: string, range: RangeSpec) {
  return useQuery({
    queryKey: queryKeys.siteSummary(slug, range),
    queryFn: ({ signal }) => apiGet<SiteSummary>(`/api/v1/sites/${encodeURIComponent(slug)}/summary`, rangeWindow(range), signal),
    placeholderData: keepPreviousData,
  });
}
