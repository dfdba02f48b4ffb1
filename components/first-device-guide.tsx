// The empty state of the fleet: how to connect the first device, copy-paste ready.
export function FirstDeviceGuide({ origin }: { origin: string }) {
  const now = "$(date -u +%Y-%m-%dT%H:%M:%SZ)";
  const curl = `curl -sS -X POST ${origin}/api/v1/events \\
  -H "Authorization: Bearer $LINKSCOPE_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"events":[{"id":"hb-1","device":"my-first-device","site":"my-site","type":"heartbeat","at":"'"${now}"'","intervalS":60}]}'`;
  return (
    <section aria-labelledby="first-device" className="rounded-lg border border-dashed border-slate-300 bg-white p-6 dark:border-slate-700 dark:bg-slate-900">
      <h2 id="first-device" className="text-lg font-semibold">Connect your first device</h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        No device has reported yet. Devices and probes send heartbeats and connection events to{" "}
        <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">POST /api/v1/events</code>; Linkscope turns them into
        sessions and tells you why connections die.
      </p>
      <ol className="mt-4 list-decimal space-y-4 pl-5 text-sm">
        <li>
          Create an ingest key (it is shown once):
          <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            <code>{`export LINKSCOPE_KEY=$(npm run -s cli -- keys create --scope ingest --site my-site | tail -n 1)`}</code>
          </pre>
        </li>
        <li>
          Send a first heartbeat:
          <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            <code>{curl}</code>
          </pre>
        </li>
        <li>Reload this page: the site and the device appear.</li>
      </ol>
    </section>
  );
}
