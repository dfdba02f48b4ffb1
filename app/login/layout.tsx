import { AppShell } from "@/components/shell/app-shell";

export default function SectionLayout({ children }: { children: React.ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
