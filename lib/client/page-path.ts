// The path (with query) a server page passes to requireUser, so sign-in returns the user to
// exactly the view they asked for.
export function pagePath(pathname: string, searchParams: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) {
    for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(k, value);
  }
  const qs = query.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}
