-- CreateTable
CREATE TABLE "SessionJournal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deviceId" INTEGER NOT NULL,
    "oSiteId" INTEGER,
    "oPublicIp" TEXT,
    "oEnd" DATETIME,
    "oDurationS" REAL,
    "oEndReason" TEXT,
    "oIdleS" REAL,
    "oMaxIdleS" REAL,
    "nSiteId" INTEGER,
    "nPublicIp" TEXT,
    "nEnd" DATETIME,
    "nDurationS" REAL,
    "nEndReason" TEXT,
    "nIdleS" REAL,
    "nMaxIdleS" REAL
);

-- CreateTable
CREATE TABLE "DigestCount" (
    "siteId" INTEGER NOT NULL,
    "publicIp" TEXT NOT NULL,
    "cellDevice" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "t" INTEGER NOT NULL,
    "bin" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "flags" INTEGER NOT NULL,
    "aux" INTEGER NOT NULL,
    "deviceId" INTEGER NOT NULL,
    "day" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,

    PRIMARY KEY ("siteId", "publicIp", "cellDevice", "kind", "t", "bin", "reason", "flags", "aux", "deviceId")
);

-- CreateTable
CREATE TABLE "DigestDirty" (
    "siteId" INTEGER NOT NULL,
    "publicIp" TEXT NOT NULL,
    "cellDevice" INTEGER NOT NULL,
    "deviceId" INTEGER NOT NULL,

    PRIMARY KEY ("siteId", "publicIp", "cellDevice", "deviceId")
);

-- CreateIndex
CREATE INDEX "DigestCount_publicIp_siteId_idx" ON "DigestCount"("publicIp", "siteId");

-- CreateIndex
CREATE INDEX "DigestCount_day_idx" ON "DigestCount"("day");

-- The session journal: every change to what a session contributes to the analysis digest
-- (lib/analysis/digest.ts counts ended sessions by end, reason, idle times, site and egress
-- address) is written here by the database itself, so every writer (ingest, the stale-session
-- sweep, device moves, purges, tests) feeds the digest. Open sessions contribute nothing; a
-- purge of sessions older than the analysis window (ten days) is not journalled.
CREATE TRIGGER "journal_session_insert" AFTER INSERT ON "Session" WHEN NEW."end" IS NOT NULL
BEGIN
  INSERT INTO "SessionJournal" ("deviceId", "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
  VALUES (NEW."deviceId", NEW."siteId", NEW."publicIp", NEW."end", NEW."durationS", NEW."endReason", NEW."idleS", NEW."maxIdleS");
END;

CREATE TRIGGER "journal_session_update" AFTER UPDATE ON "Session"
WHEN (OLD."end" IS NOT NULL OR NEW."end" IS NOT NULL)
  AND (OLD."end" IS NOT NEW."end" OR OLD."endReason" IS NOT NEW."endReason" OR OLD."durationS" IS NOT NEW."durationS"
    OR OLD."idleS" IS NOT NEW."idleS" OR OLD."maxIdleS" IS NOT NEW."maxIdleS" OR OLD."siteId" IS NOT NEW."siteId"
    OR OLD."publicIp" IS NOT NEW."publicIp" OR OLD."deviceId" IS NOT NEW."deviceId")
BEGIN
  INSERT INTO "SessionJournal" ("deviceId", "oSiteId", "oPublicIp", "oEnd", "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS")
  SELECT OLD."deviceId", OLD."siteId", OLD."publicIp", OLD."end", OLD."durationS", OLD."endReason", OLD."idleS", OLD."maxIdleS"
  WHERE OLD."end" IS NOT NULL AND OLD."deviceId" IS NOT NEW."deviceId";
  INSERT INTO "SessionJournal" ("deviceId", "oSiteId", "oPublicIp", "oEnd", "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS",
                                "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
  SELECT NEW."deviceId",
         CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."siteId" END, CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."publicIp" END,
         CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."end" END, CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."durationS" END,
         CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."endReason" END, CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."idleS" END,
         CASE WHEN OLD."deviceId" IS NEW."deviceId" THEN OLD."maxIdleS" END,
         NEW."siteId", NEW."publicIp", NEW."end", NEW."durationS", NEW."endReason", NEW."idleS", NEW."maxIdleS";
END;

CREATE TRIGGER "journal_session_delete" AFTER DELETE ON "Session"
WHEN OLD."end" IS NOT NULL AND OLD."end" >= (CAST(strftime('%s', 'now') AS INTEGER) - 10 * 86400) * 1000
BEGIN
  INSERT INTO "SessionJournal" ("deviceId", "oSiteId", "oPublicIp", "oEnd", "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS")
  VALUES (OLD."deviceId", OLD."siteId", OLD."publicIp", OLD."end", OLD."durationS", OLD."endReason", OLD."idleS", OLD."maxIdleS");
END;

-- Sessions already stored go in through the journal too: the worker's first fold builds the digest.
INSERT INTO "SessionJournal" ("deviceId", "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
SELECT "deviceId", "siteId", "publicIp", "end", "durationS", "endReason", "idleS", "maxIdleS" FROM "Session"
WHERE "end" >= (CAST(strftime('%s', 'now') AS INTEGER) - 10 * 86400) * 1000;
