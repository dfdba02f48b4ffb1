-- The rollup triggers again, as straight-line statements with constant grains: in the first
-- version a decrement matched "bucket" against an expression of the row's own grain, which
-- SQLite cannot seek, so every moved count scanned the (grain, siteId) range of the table —
-- as the table grew, ingest that re-derives sessions slowed down (docs/benchmarks.md, "Ingest").
DROP TRIGGER "rollup_session_insert";
DROP TRIGGER "rollup_session_delete";
DROP TRIGGER "rollup_session_update";
DROP TRIGGER "rollup_event_insert";

CREATE TRIGGER "rollup_session_insert" AFTER INSERT ON "Session" WHEN NEW."end" IS NOT NULL
BEGIN
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count") VALUES
    (60, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 60000 AS INTEGER) * 60000, COALESCE(NEW."endReason", 'unknown'), 1),
    (60, 0, CAST(NEW."end" / 60000 AS INTEGER) * 60000, COALESCE(NEW."endReason", 'unknown'), 1),
    (900, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 900000 AS INTEGER) * 900000, COALESCE(NEW."endReason", 'unknown'), 1),
    (900, 0, CAST(NEW."end" / 900000 AS INTEGER) * 900000, COALESCE(NEW."endReason", 'unknown'), 1),
    (3600, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 3600000 AS INTEGER) * 3600000, COALESCE(NEW."endReason", 'unknown'), 1),
    (3600, 0, CAST(NEW."end" / 3600000 AS INTEGER) * 3600000, COALESCE(NEW."endReason", 'unknown'), 1),
    (86400, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 86400000 AS INTEGER) * 86400000, COALESCE(NEW."endReason", 'unknown'), 1),
    (86400, 0, CAST(NEW."end" / 86400000 AS INTEGER) * 86400000, COALESCE(NEW."endReason", 'unknown'), 1)
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "rollup_session_delete" AFTER DELETE ON "Session" WHEN OLD."end" IS NOT NULL
BEGIN
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 60 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 60000 AS INTEGER) * 60000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 900 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 900000 AS INTEGER) * 900000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 3600 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 3600000 AS INTEGER) * 3600000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 86400 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 86400000 AS INTEGER) * 86400000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
END;

-- A changed session: its old count goes (one trigger), its new one comes (the other), at
-- each grain where it changes bucket (an end that moves by seconds stays in its day's).
CREATE TRIGGER "rollup_session_update_old" AFTER UPDATE OF "siteId", "end", "endReason" ON "Session"
WHEN OLD."end" IS NOT NULL AND (OLD."end" IS NOT NEW."end" OR OLD."siteId" IS NOT NEW."siteId" OR OLD."endReason" IS NOT NEW."endReason")
BEGIN
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE NOT (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 60000 AS INTEGER) * 60000 = CAST(NEW."end" / 60000 AS INTEGER) * 60000) AND "grain" = 60 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 60000 AS INTEGER) * 60000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE NOT (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 900000 AS INTEGER) * 900000 = CAST(NEW."end" / 900000 AS INTEGER) * 900000) AND "grain" = 900 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 900000 AS INTEGER) * 900000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE NOT (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 3600000 AS INTEGER) * 3600000 = CAST(NEW."end" / 3600000 AS INTEGER) * 3600000) AND "grain" = 3600 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 3600000 AS INTEGER) * 3600000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE NOT (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 86400000 AS INTEGER) * 86400000 = CAST(NEW."end" / 86400000 AS INTEGER) * 86400000) AND "grain" = 86400 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 86400000 AS INTEGER) * 86400000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
END;

CREATE TRIGGER "rollup_session_update_new" AFTER UPDATE OF "siteId", "end", "endReason" ON "Session"
WHEN NEW."end" IS NOT NULL AND (OLD."end" IS NOT NEW."end" OR OLD."siteId" IS NOT NEW."siteId" OR OLD."endReason" IS NOT NEW."endReason")
BEGIN
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
  SELECT * FROM (VALUES (60, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 60000 AS INTEGER) * 60000, COALESCE(NEW."endReason", 'unknown'), 1), (60, 0, CAST(NEW."end" / 60000 AS INTEGER) * 60000, COALESCE(NEW."endReason", 'unknown'), 1)) WHERE NOT (OLD."end" IS NOT NULL AND (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 60000 AS INTEGER) * 60000 = CAST(NEW."end" / 60000 AS INTEGER) * 60000))
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
  SELECT * FROM (VALUES (900, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 900000 AS INTEGER) * 900000, COALESCE(NEW."endReason", 'unknown'), 1), (900, 0, CAST(NEW."end" / 900000 AS INTEGER) * 900000, COALESCE(NEW."endReason", 'unknown'), 1)) WHERE NOT (OLD."end" IS NOT NULL AND (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 900000 AS INTEGER) * 900000 = CAST(NEW."end" / 900000 AS INTEGER) * 900000))
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
  SELECT * FROM (VALUES (3600, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 3600000 AS INTEGER) * 3600000, COALESCE(NEW."endReason", 'unknown'), 1), (3600, 0, CAST(NEW."end" / 3600000 AS INTEGER) * 3600000, COALESCE(NEW."endReason", 'unknown'), 1)) WHERE NOT (OLD."end" IS NOT NULL AND (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 3600000 AS INTEGER) * 3600000 = CAST(NEW."end" / 3600000 AS INTEGER) * 3600000))
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
  SELECT * FROM (VALUES (86400, COALESCE(NEW."siteId", -1), CAST(NEW."end" / 86400000 AS INTEGER) * 86400000, COALESCE(NEW."endReason", 'unknown'), 1), (86400, 0, CAST(NEW."end" / 86400000 AS INTEGER) * 86400000, COALESCE(NEW."endReason", 'unknown'), 1)) WHERE NOT (OLD."end" IS NOT NULL AND (OLD."siteId" IS NEW."siteId" AND OLD."endReason" IS NEW."endReason" AND NEW."end" IS NOT NULL AND CAST(OLD."end" / 86400000 AS INTEGER) * 86400000 = CAST(NEW."end" / 86400000 AS INTEGER) * 86400000))
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "rollup_event_heartbeat" AFTER INSERT ON "Event" WHEN NEW."type" = 'heartbeat'
BEGIN
  INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt") VALUES
    (3600, COALESCE(NEW."siteId", -1), NEW."type", CAST(NEW."at" / 3600000 AS INTEGER) * 3600000, NEW."deviceId", '', 1, NEW."at", NEW."at"),
    (86400, COALESCE(NEW."siteId", -1), NEW."type", CAST(NEW."at" / 86400000 AS INTEGER) * 86400000, NEW."deviceId", '', 1, NEW."at", NEW."at")
  ON CONFLICT ("grain", "siteId", "type", "bucket", "deviceId", "key")
  DO UPDATE SET "count" = "count" + 1, "firstAt" = MIN("firstAt", excluded."firstAt"), "lastAt" = MAX("lastAt", excluded."lastAt");
END;

CREATE TRIGGER "rollup_event_connect_failed" AFTER INSERT ON "Event" WHEN NEW."type" = 'connect_failed'
BEGIN
  INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt")
  SELECT g."grain", COALESCE(NEW."siteId", -1), NEW."type", CAST(NEW."at" / (g."grain" * 1000) AS INTEGER) * (g."grain" * 1000), NEW."deviceId", k."key", 1, NEW."at", NEW."at"
  FROM (SELECT CASE
      WHEN json_type(NEW."data", '$.errno') = 'text' THEN json_extract(NEW."data", '$.errno')
      WHEN json_type(NEW."data", '$.stage') = 'text' THEN json_extract(NEW."data", '$.stage')
      ELSE 'failed'
    END AS "key") AS k, (SELECT 60 AS "grain" UNION ALL SELECT 900 UNION ALL SELECT 3600 UNION ALL SELECT 86400) AS g
  WHERE true
  ON CONFLICT ("grain", "siteId", "type", "bucket", "deviceId", "key")
  DO UPDATE SET "count" = "count" + 1, "firstAt" = MIN("firstAt", excluded."firstAt"), "lastAt" = MAX("lastAt", excluded."lastAt");
END;
