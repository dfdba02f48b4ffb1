"use client";
import { useQuery } from "@tanstack/react-query";
import type { DeviceItem, Page } from "@/lib/contract/read";
import { apiGet } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/** GET /api/v1/devices — the first 500 of a site (or the fleet), by id. */
export function useDevices(site: string | undefined) {
  return useQuery({
    queryKey: queryKeys.devices(site),
    queryFn: ({ signal }) => apiGet<Page<DeviceItem>>("/api/v1/devices", { site, limit: 500 }, signal),
  });
}
