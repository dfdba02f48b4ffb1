import { QueryProvider } from "@/components/providers/query-provider";

// The dashboard pages share one query cache (live refresh, invalidation after actions).
// Each page still gates itself with requireUser (see lib/auth/current-user.ts).
export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
