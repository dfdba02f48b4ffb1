// The analysis worker: `npm start` runs it next to the server (LINKSCOPE_BACKGROUND=worker),
// so detectors never hold up ingest. It finds the sites to analyse from the events' receive
// times, so the server does not need to tell it anything.
import { openDb } from "@/lib/db/client";
import { startWorker } from "./scheduler";

const db = openDb();
const scheduler = startWorker(db);
console.log("linkscope: analysis worker running");

const stop = async () => {
  scheduler.stop();
  await scheduler.idle();
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Keep the process alive: the scheduler's timers are unref'd so they never hold a server open.
setInterval(() => undefined, 1 << 30);
