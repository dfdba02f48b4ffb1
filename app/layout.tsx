import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Linkscope", template: "%s · Linkscope" },
  description: "Why do your devices' connections die? Connectivity diagnostics for IoT fleets.",
};

// The document only: the app's header and navigation come from components/shell/app-shell.tsx
// in each section's layout, so a shared report (/r/{token}) carries no dashboard chrome at all.
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
