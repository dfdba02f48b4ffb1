-- Nothing reads events by their receive time (the device event log shows it, by device and
-- time); the index only cost every insert (about 2 µs of the ~40 µs a heartbeat insert takes
-- with its rollup trigger, measured with better-sqlite3 on 100,000 inserts).
-- DropIndex
DROP INDEX "Event_receivedAt_idx";
