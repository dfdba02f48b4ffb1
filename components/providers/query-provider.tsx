"use client";
// One QueryClient per browser tab (created in state, never at module level, so server
// renders never share a cache). Every query refreshes every 10 s while the tab is visible
// and pauses while it is hidden; refusals (4xx) are not retried.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { shouldRetry } from "@/lib/client/api";

export const LIVE_REFRESH_MS = 10_000;

export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            refetchInterval: LIVE_REFRESH_MS,
            refetchIntervalInBackground: false,
            refetchOnWindowFocus: true,
            staleTime: 5_000,
            retry: shouldRetry,
          },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
