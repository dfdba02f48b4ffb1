"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { DeviceEventsPage } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { rangeWindow, type RangeSpec } from "@/lib/client/time-range";

/**
 * GET /api/v1/devices/{id}/events — pages of 200 as the log scrolls. A refresh re-reads every
 * loaded page, so the log refreshes every 30 s rather than 10.
 */
export function useDeviceEvents(id: string, types: readonly string[], range: RangeSpec) {
  return useInfiniteQuery({
    queryKey: queryKeys.deviceEvents(id, types, range),
    queryFn: ({ signal, pageParam }) =>
      apiGet<DeviceEventsPage>(
        `/api/v1/devices/${encodeURIComponent(id)}/events`,
        { type: types.length ? types.join(",") : undefined, ...rangeWindow(range), limit: 200, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}
