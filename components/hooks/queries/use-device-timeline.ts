"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { DeviceTimeline } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { rangeWindow, type RangeSpec } from "@/lib/client/time-range";

/** GET /api/v1/devices/{id}/timeline */
export function useDeviceTimeline(id: string, range: RangeSpec) {
  return useQuery({
    queryKey: queryKeys.deviceTimeline(id, range),
    queryFn: ({ signal }) => apiGet<DeviceTimeline>(`/api/v1/devices/${encodeURIComponent(id)}/timeline`, rangeWindow(range), signal),
    placeholderData: keepPreviousData,
  });
}
