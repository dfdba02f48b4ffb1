"use client";
import { useQuery } from "@tanstack/react-query";
import type { Page, SiteItem } from "@/lib/contract/read";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/** GET /api/v1/sites — the first 500 by slug (filter menus). */
export function useSites() {
  return useQuery({
    queryKey: queryKeys.sites(),
    queryFn: ({ signal }) => apiGet<Page<SiteItem>>("/api/v1/sites", { limit: 500 }, signal),
    staleTime: 60_000,
    refetchInterval: false,
  });
}
