import { AppShell } from "@/components/shell/app-shell";
import { shellUser } from "@/lib/auth/current-user";

export default async function SectionLayout({ children }: { children: React.ReactNode }) {
  return <AppShell user={await shellUser()}>{children}</AppShell>;
}
