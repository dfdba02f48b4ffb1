"use client";
// The state of a settings table's row actions (revoke, disable, change a role): which row is
// busy, the last success as a status line, the last failure. The server page re-reads the
// list afterwards (router.refresh) either way.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ApiResult } from "@/lib/client/api";

export function useRowAction<K extends string | number>() {
  const router = useRouter();
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<K | null>(null);

  async function run(row: K, send: () => Promise<ApiResult<unknown>>, done: string, failed: (message: string) => string = (m) => m): Promise<boolean> {
    setPending(row);
    setError(null);
    setStatus("");
    const result = await send();
    setPending(null);
    if (result.ok) setStatus(done);
    else setError(failed(result.failure.message));
    router.refresh();
    return result.ok;
  }

  return { status, setStatus, error, pending, run, refresh: () => router.refresh() };
}
