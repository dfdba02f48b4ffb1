"use client";
import { useQuery } from "@tanstack/react-query";
import type { EvidenceChartData } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/** GET /api/v1/findings/{id}/evidence */
export function useFindingEvidence(id: number) {
  return useQuery({
    queryKey: queryKeys.findingEvidence(id),
    queryFn: ({ signal }) => apiGet<EvidenceChartData>(`/api/v1/findings/${id}/evidence`, {}, signal),
  });
}
