-- CreateTable
CREATE TABLE "HeartbeatHour" (
    "deviceId" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "hour" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,
    "firstAt" DATETIME NOT NULL,
    "lastAt" DATETIME NOT NULL,
    "maxGapS" REAL NOT NULL,
    "maxGapAt" DATETIME NOT NULL,
    "intervalS" REAL,
    "rttCount" INTEGER NOT NULL,
    "rttP50Ms" REAL,
    "rttP95Ms" REAL,
    "rttMaxMs" REAL,

    PRIMARY KEY ("deviceId", "hour", "siteId")
);

-- CreateTable
CREATE TABLE "Retention" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "rawBefore" DATETIME NOT NULL,
    "sessionsBefore" DATETIME NOT NULL
);

-- Nothing purged yet.
INSERT INTO "Retention" ("id", "rawBefore", "sessionsBefore") VALUES (1, 0, 0);

-- A session the purge removes (ended before Retention.sessionsBefore) keeps its count in
-- SessionEndCount: the rollup is the history beyond the session window. Every other delete
-- (re-derivation, tests, a manual fix) moves the count as before.
DROP TRIGGER "rollup_session_delete";
CREATE TRIGGER "rollup_session_delete" AFTER DELETE ON "Session"
WHEN OLD."end" IS NOT NULL AND OLD."end" >= (SELECT "sessionsBefore" FROM "Retention" WHERE "id" = 1)
BEGIN
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 60 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 60000 AS INTEGER) * 60000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 900 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 900000 AS INTEGER) * 900000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 3600 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 3600000 AS INTEGER) * 3600000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
  UPDATE "SessionEndCount" SET "count" = "count" - 1 WHERE "grain" = 86400 AND "siteId" IN (COALESCE(OLD."siteId", -1), 0) AND "bucket" = CAST(OLD."end" / 86400000 AS INTEGER) * 86400000 AND "endReason" = COALESCE(OLD."endReason", 'unknown');
END;
