"use client";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { FindingItem, Page } from "@/lib/contract/read";
import { apiGet } from "@/lib/client/api";
import { queryKeys, type FindingFilters } from "@/lib/client/query-keys";
import { rangeWindow, type RangeSpec } from "@/lib/client/time-range";

/** GET /api/v1/findings — pages of 50, newest first; `range` keeps findings whose evidence reaches into it. */
export function useFindings(filters: FindingFilters, range: RangeSpec | null = null) {
  return useInfiniteQuery({
    queryKey: queryKeys.findings(filters, range),
    queryFn: ({ signal, pageParam }) =>
      apiGet<Page<FindingItem>>("/api/v1/findings", { ...filters, ...(range ? rangeWindow(range) : {}), limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/v1/findings?id= — one finding, whatever its status (the opened finding of a shared link). */
export function useFinding(id: number | null) {
  return useQuery({
    queryKey: queryKeys.finding(id ?? -1),
    queryFn: ({ signal }) => apiGet<Page<FindingItem>>("/api/v1/findings", { id: id ?? undefined, status: "all", limit: 1 }, signal).then((p) => p.items[0] ?? null),
    enabled: id !== null,
  });
}
