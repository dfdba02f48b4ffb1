import { QueryProvider } from "@/components/providers/query-provider";
import { AppShell } from "@/components/shell/app-shell";

// The dashboard pages share one query cache (live refresh, invalidation after actions).
// Each page still gates itself with requireUser (see lib/auth/current-user.ts).
export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <AppShell>
      <QueryProvider>{children}</QueryProvider>
    </AppShell>
  );
}
