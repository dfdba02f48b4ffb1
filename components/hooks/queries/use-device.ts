"use client";
import { useQuery } from "@tanstack/react-query";
import type { DeviceDetail } from "@/lib/contract/dashboard";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/** GET /api/v1/devices/{id} */
export function useDevice(id: string) {
  return useQuery({
    queryKey: queryKeys.device(id),
    queryFn: ({ signal }) => apiGet<DeviceDetail>(`/api/v1/devices/${encodeURIComponent(id)}`, {}, signal),
  });
}
