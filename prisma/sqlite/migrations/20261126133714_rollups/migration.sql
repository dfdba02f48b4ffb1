-- DropIndex
DROP INDEX "Session_siteId_start_idx";

-- CreateTable
CREATE TABLE "SessionEndCount" (
    "grain" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "bucket" DATETIME NOT NULL,
    "endReason" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("grain", "siteId", "bucket", "endReason")
);

-- CreateTable
CREATE TABLE "EventCount" (
    "grain" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "bucket" DATETIME NOT NULL,
    "deviceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstAt" DATETIME NOT NULL,
    "lastAt" DATETIME NOT NULL,

    PRIMARY KEY ("grain", "siteId", "type", "bucket", "deviceId", "key")
);

-- CreateIndex
CREATE INDEX "SessionEndCount_grain_bucket_idx" ON "SessionEndCount"("grain", "bucket");

-- CreateIndex
CREATE INDEX "Session_siteId_start_end_durationS_endReason_idx" ON "Session"("siteId", "start", "end", "durationS", "endReason");

-- CreateIndex
CREATE INDEX "Session_siteId_end_endReason_idleS_durationS_idx" ON "Session"("siteId", "end", "endReason", "idleS", "durationS");

-- Rollups kept by the database itself, so every writer (ingest, the stale-session sweep,
-- tests, imports) keeps them right. Session ends are counted per site and for the whole
-- fleet (siteId 0) at four grains; a changed or deleted session takes its old count back.
-- Times are integer milliseconds; a bucket is the UTC-aligned multiple of its grain.
CREATE TRIGGER "rollup_session_insert" AFTER INSERT ON "Session" WHEN NEW."end" IS NOT NULL
BEGIN
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
  SELECT g."grain", s."siteId", CAST(NEW."end" / (g."grain" * 1000) AS INTEGER) * (g."grain" * 1000), COALESCE(NEW."endReason", 'unknown'), 1
  FROM (SELECT 60 AS "grain" UNION ALL SELECT 900 UNION ALL SELECT 3600 UNION ALL SELECT 86400) AS g,
       (SELECT COALESCE(NEW."siteId", -1) AS "siteId" UNION ALL SELECT 0) AS s
  WHERE true
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "rollup_session_delete" AFTER DELETE ON "Session" WHEN OLD."end" IS NOT NULL
BEGIN
  UPDATE "SessionEndCount" SET "count" = "count" - 1
  WHERE "grain" IN (60, 900, 3600, 86400) AND "siteId" IN (COALESCE(OLD."siteId", -1), 0)
    AND "bucket" = CAST(OLD."end" / ("grain" * 1000) AS INTEGER) * ("grain" * 1000)
    AND "endReason" = COALESCE(OLD."endReason", 'unknown');
END;

CREATE TRIGGER "rollup_session_update" AFTER UPDATE OF "siteId", "end", "endReason" ON "Session"
WHEN OLD."end" IS NOT NEW."end" OR OLD."siteId" IS NOT NEW."siteId" OR OLD."endReason" IS NOT NEW."endReason"
BEGIN
  UPDATE "SessionEndCount" SET "count" = "count" - 1
  WHERE OLD."end" IS NOT NULL AND "grain" IN (60, 900, 3600, 86400) AND "siteId" IN (COALESCE(OLD."siteId", -1), 0)
    AND "bucket" = CAST(OLD."end" / ("grain" * 1000) AS INTEGER) * ("grain" * 1000)
    AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
  SELECT g."grain", s."siteId", CAST(NEW."end" / (g."grain" * 1000) AS INTEGER) * (g."grain" * 1000), COALESCE(NEW."endReason", 'unknown'), 1
  FROM (SELECT 60 AS "grain" UNION ALL SELECT 900 UNION ALL SELECT 3600 UNION ALL SELECT 86400) AS g,
       (SELECT COALESCE(NEW."siteId", -1) AS "siteId" UNION ALL SELECT 0) AS s
  WHERE NEW."end" IS NOT NULL
  ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "count" + 1;
END;

-- Events are append-only: heartbeats per device at hour and day grains, failed connection
-- attempts per device and errno (else stage) at all four.
CREATE TRIGGER "rollup_event_insert" AFTER INSERT ON "Event" WHEN NEW."type" IN ('heartbeat', 'connect_failed')
BEGIN
  INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt")
  SELECT g."grain", COALESCE(NEW."siteId", -1), NEW."type", CAST(NEW."at" / (g."grain" * 1000) AS INTEGER) * (g."grain" * 1000), NEW."deviceId",
         CASE
           WHEN NEW."type" = 'heartbeat' THEN ''
           WHEN json_type(NEW."data", '$.errno') = 'text' THEN json_extract(NEW."data", '$.errno')
           WHEN json_type(NEW."data", '$.stage') = 'text' THEN json_extract(NEW."data", '$.stage')
           ELSE 'failed'
         END,
         1, NEW."at", NEW."at"
  FROM (SELECT 60 AS "grain", 'connect_failed' AS "only" UNION ALL SELECT 900, 'connect_failed' UNION ALL SELECT 3600, NULL UNION ALL SELECT 86400, NULL) AS g
  WHERE g."only" IS NULL OR g."only" = NEW."type"
  ON CONFLICT ("grain", "siteId", "type", "bucket", "deviceId", "key")
  DO UPDATE SET "count" = "count" + 1, "firstAt" = MIN("firstAt", excluded."firstAt"), "lastAt" = MAX("lastAt", excluded."lastAt");
END;

-- What was stored before this migration.
INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
SELECT g."grain", CASE WHEN f."fleet" = 1 THEN 0 ELSE COALESCE(x."siteId", -1) END,
       CAST(x."end" / (g."grain" * 1000) AS INTEGER) * (g."grain" * 1000), COALESCE(x."endReason", 'unknown'), COUNT(*)
FROM "Session" AS x,
     (SELECT 60 AS "grain" UNION ALL SELECT 900 UNION ALL SELECT 3600 UNION ALL SELECT 86400) AS g,
     (SELECT 0 AS "fleet" UNION ALL SELECT 1) AS f
WHERE x."end" IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt")
SELECT g."grain", COALESCE(x."siteId", -1), x."type", CAST(x."at" / (g."grain" * 1000) AS INTEGER) * (g."grain" * 1000), x."deviceId",
       CASE
         WHEN x."type" = 'heartbeat' THEN ''
         WHEN json_type(x."data", '$.errno') = 'text' THEN json_extract(x."data", '$.errno')
         WHEN json_type(x."data", '$.stage') = 'text' THEN json_extract(x."data", '$.stage')
         ELSE 'failed'
       END,
       COUNT(*), MIN(x."at"), MAX(x."at")
FROM "Event" AS x,
     (SELECT 60 AS "grain", 'connect_failed' AS "only" UNION ALL SELECT 900, 'connect_failed' UNION ALL SELECT 3600, NULL UNION ALL SELECT 86400, NULL) AS g
WHERE x."type" IN ('heartbeat', 'connect_failed') AND (g."only" IS NULL OR g."only" = x."type")
GROUP BY 1, 2, 3, 4, 5, 6;
