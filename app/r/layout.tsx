// Shared reports stand alone: no dashboard header, navigation or links out.
export default function ReportLayout({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="mx-auto max-w-7xl px-4 py-6">
      {children}
    </main>
  );
}
