"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { FleetOverview } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { rangeWindow, type RangeSpec } from "@/lib/client/time-range";

/** GET /api/v1/fleet/overview */
export function useFleetOverview(range: RangeSpec) {
  return useQuery({
    queryKey: queryKeys.fleetOverview(range),
    queryFn: ({ signal }) => apiGet<FleetOverview>("/api/v1/fleet/overview", rangeWindow(range), signal),
    placeholderData: keepPreviousData,
  });
}
