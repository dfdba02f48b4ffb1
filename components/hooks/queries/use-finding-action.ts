"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FindingItem } from "@/lib/contract/read";
import { apiPost } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/** POST /api/v1/findings/{id}/acknowledge | resolve; every findings-related view refreshes after. */
export function useFindingAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "acknowledge" | "resolve" }) => apiPost<FindingItem>(`/api/v1/findings/${id}/${action}`),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.allFindings() }),
        client.invalidateQueries({ queryKey: ["fleet"] }),
        client.invalidateQueries({ queryKey: ["site"] }),
      ]);
    },
  });
}
