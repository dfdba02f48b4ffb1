"use client";
// The three states of data on a page, always handled the same way: a skeleton while it
// loads, the error with a retry, then the content (which decides its own empty state).
import type { UseQueryResult } from "@tanstack/react-query";
import { ApiError } from "@/lib/client/api";
import { ErrorPanel } from "./error-panel";

export function QueryView<T>({
  query,
  what,
  skeleton,
  notFound,
  children,
}: {
  query: Pick<UseQueryResult<T>, "data" | "error" | "isPending" | "refetch">;
  what: string;
  skeleton: React.ReactNode;
  /** shown instead of an error (and its retry) when the thing does not exist: 404 */
  notFound?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}) {
  if (query.data !== undefined) {
    return (
      <>
        {query.error ? <ErrorPanel error={query.error} what={`the latest ${what}`} onRetry={() => void query.refetch()} /> : null}
        {children(query.data)}
      </>
    );
  }
  if (notFound && query.error instanceof ApiError && query.error.status === 404) return <>{notFound}</>;
  if (query.error) return <ErrorPanel error={query.error} what={what} onRetry={() => void query.refetch()} />;
  return <>{skeleton}</>;
}
