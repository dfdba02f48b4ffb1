-- CreateTable
CREATE TABLE "SessionJournal" (
    "id" SERIAL NOT NULL,
    "deviceId" INTEGER NOT NULL,
    "oSiteId" INTEGER,
    "oPublicIp" TEXT,
    "oEnd" TIMESTAMPTZ(3),
    "oDurationS" DOUBLE PRECISION,
    "oEndReason" TEXT,
    "oIdleS" DOUBLE PRECISION,
    "oMaxIdleS" DOUBLE PRECISION,
    "nSiteId" INTEGER,
    "nPublicIp" TEXT,
    "nEnd" TIMESTAMPTZ(3),
    "nDurationS" DOUBLE PRECISION,
    "nEndReason" TEXT,
    "nIdleS" DOUBLE PRECISION,
    "nMaxIdleS" DOUBLE PRECISION,

    CONSTRAINT "SessionJournal_pkey" PRIMARY KEY ("id")
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

    CONSTRAINT "DigestCount_pkey" PRIMARY KEY ("siteId","publicIp","cellDevice","kind","t","bin","reason","flags","aux","deviceId")
);

-- CreateTable
CREATE TABLE "DigestDirty" (
    "siteId" INTEGER NOT NULL,
    "publicIp" TEXT NOT NULL,
    "cellDevice" INTEGER NOT NULL,
    "deviceId" INTEGER NOT NULL,

    CONSTRAINT "DigestDirty_pkey" PRIMARY KEY ("siteId","publicIp","cellDevice","deviceId")
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
CREATE FUNCTION "journal_session"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."end" IS NULL THEN RETURN NULL; END IF;
    INSERT INTO "SessionJournal" ("deviceId", "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
    VALUES (NEW."deviceId", NEW."siteId", NEW."publicIp", NEW."end", NEW."durationS", NEW."endReason", NEW."idleS", NEW."maxIdleS");
  ELSIF TG_OP = 'UPDATE' THEN
    IF (OLD."end" IS NULL AND NEW."end" IS NULL)
       OR (OLD."end" IS NOT DISTINCT FROM NEW."end" AND OLD."endReason" IS NOT DISTINCT FROM NEW."endReason"
           AND OLD."durationS" IS NOT DISTINCT FROM NEW."durationS" AND OLD."idleS" IS NOT DISTINCT FROM NEW."idleS"
           AND OLD."maxIdleS" IS NOT DISTINCT FROM NEW."maxIdleS" AND OLD."siteId" IS NOT DISTINCT FROM NEW."siteId"
           AND OLD."publicIp" IS NOT DISTINCT FROM NEW."publicIp" AND OLD."deviceId" = NEW."deviceId") THEN
      RETURN NULL;
    END IF;
    IF OLD."deviceId" <> NEW."deviceId" THEN
      IF OLD."end" IS NOT NULL THEN
        INSERT INTO "SessionJournal" ("deviceId", "oSiteId", "oPublicIp", "oEnd", "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS")
        VALUES (OLD."deviceId", OLD."siteId", OLD."publicIp", OLD."end", OLD."durationS", OLD."endReason", OLD."idleS", OLD."maxIdleS");
      END IF;
      INSERT INTO "SessionJournal" ("deviceId", "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
      VALUES (NEW."deviceId", NEW."siteId", NEW."publicIp", NEW."end", NEW."durationS", NEW."endReason", NEW."idleS", NEW."maxIdleS");
    ELSE
      INSERT INTO "SessionJournal" ("deviceId", "oSiteId", "oPublicIp", "oEnd", "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS",
                                    "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
      VALUES (NEW."deviceId", OLD."siteId", OLD."publicIp", OLD."end", OLD."durationS", OLD."endReason", OLD."idleS", OLD."maxIdleS",
              NEW."siteId", NEW."publicIp", NEW."end", NEW."durationS", NEW."endReason", NEW."idleS", NEW."maxIdleS");
    END IF;
  ELSE
    IF OLD."end" IS NULL OR OLD."end" < now() - interval '10 days' THEN RETURN NULL; END IF;
    INSERT INTO "SessionJournal" ("deviceId", "oSiteId", "oPublicIp", "oEnd", "oDurationS", "oEndReason", "oIdleS", "oMaxIdleS")
    VALUES (OLD."deviceId", OLD."siteId", OLD."publicIp", OLD."end", OLD."durationS", OLD."endReason", OLD."idleS", OLD."maxIdleS");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "journal_session" AFTER INSERT OR UPDATE OR DELETE ON "Session" FOR EACH ROW EXECUTE FUNCTION "journal_session"();

-- Sessions already stored go in through the journal too: the worker's first fold builds the digest.
INSERT INTO "SessionJournal" ("deviceId", "nSiteId", "nPublicIp", "nEnd", "nDurationS", "nEndReason", "nIdleS", "nMaxIdleS")
SELECT "deviceId", "siteId", "publicIp", "end", "durationS", "endReason", "idleS", "maxIdleS" FROM "Session"
WHERE "end" >= now() - interval '10 days';
