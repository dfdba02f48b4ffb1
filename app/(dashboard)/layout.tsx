import { QueryProvider } from "@/components/providers/query-provider";
import { AppShell } from "@/components/shell/app-shell";
import { shellUser } from "@/lib/auth/current-user";

// The dashboard pages share one query cache (live refresh, invalidation after actions).
// Each page still gates itself with requireUser (see lib/auth/current-user.ts).
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <AppShell user={await shellUser()}>
      <QueryProvider>{children}</QueryProvider>
    </AppShell>
  );
}
