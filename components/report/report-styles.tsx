// The report's own stylesheet (app/r/layout.tsx renders no dashboard chrome at all).
// Print: A4 or Letter (the browser's paper size, with margins that fit both), light
// colours, no links or buttons, one finding per page, charts never split.
const CSS = `
@page { margin: 14mm 12mm; }
@media print {
  html, body { background: #fff !important; color: #0f172a !important; }
  body > main { max-width: none !important; padding: 0 !important; margin: 0 !important; }
  #linkscope-report { font-size: 10.5pt; }
  #linkscope-report .report-findings, #linkscope-report .report-finding + .report-finding, #linkscope-report .report-devices { break-before: page; }
  #linkscope-report .report-chart, #linkscope-report .report-ask, #linkscope-report tr, #linkscope-report li { break-inside: avoid; }
  #linkscope-report h2, #linkscope-report h3 { break-after: avoid; }
  #linkscope-report .no-print { display: none !important; }
  #linkscope-report * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

export function ReportStyles() {
  return <style dangerouslySetInnerHTML={{ __html: CSS }} />;
}
