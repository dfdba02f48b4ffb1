"use client";
import { useQuery } from "@tanstack/react-query";
import type { SearchResult } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/** GET /api/v1/search — only while there is text to search for; not refreshed live. */
export function useSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: queryKeys.search(text),
    queryFn: ({ signal }) => apiGet<SearchResult>("/api/v1/search", { q: text, limit: 8 }, signal),
    enabled: text.length > 0,
    refetchInterval: false,
    staleTime: 30_000,
  });
}
