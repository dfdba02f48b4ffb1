-- CreateTable
CREATE TABLE "HeartbeatHour" (
    "deviceId" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "firstAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "maxGapS" DOUBLE PRECISION NOT NULL,
    "maxGapAt" TIMESTAMPTZ(3) NOT NULL,
    "intervalS" DOUBLE PRECISION,
    "rttCount" INTEGER NOT NULL,
    "rttP50Ms" DOUBLE PRECISION,
    "rttP95Ms" DOUBLE PRECISION,
    "rttMaxMs" DOUBLE PRECISION,

    CONSTRAINT "HeartbeatHour_pkey" PRIMARY KEY ("deviceId","hour","siteId")
);

-- CreateTable
CREATE TABLE "Retention" (
    "id" INTEGER NOT NULL,
    "rawBefore" TIMESTAMPTZ(3) NOT NULL,
    "sessionsBefore" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Retention_pkey" PRIMARY KEY ("id")
);

-- Nothing purged yet.
INSERT INTO "Retention" ("id", "rawBefore", "sessionsBefore") VALUES (1, 'epoch', 'epoch');

CREATE OR REPLACE FUNCTION "rollup_session_end"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g integer;
BEGIN
  -- A session the purge removes (ended before Retention.sessionsBefore) keeps its count: the
  -- rollup is the history beyond the session window.
  IF TG_OP = 'DELETE' AND OLD."end" < (SELECT "sessionsBefore" FROM "Retention" WHERE "id" = 1) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD."end" IS NOT DISTINCT FROM NEW."end" AND OLD."siteId" IS NOT DISTINCT FROM NEW."siteId"
     AND OLD."endReason" IS NOT DISTINCT FROM NEW."endReason" THEN
    RETURN NULL;
  END IF;
  -- Every transaction that moves counts would lock the fleet's rows (siteId 0), in the order
  -- its sessions happen to change: two such transactions could deadlock. One lock, held to
  -- commit, orders them instead (lib/ingest/postgres.ts retries what deadlocks anyway).
  PERFORM pg_advisory_xact_lock(hashtext('linkscope.rollups'));
  FOREACH g IN ARRAY ARRAY[60, 900, 3600, 86400] LOOP
    -- The count stays in its bucket at this grain (an end that moves by seconds stays in its day's).
    IF TG_OP = 'UPDATE' AND OLD."end" IS NOT NULL AND NEW."end" IS NOT NULL AND OLD."siteId" IS NOT DISTINCT FROM NEW."siteId"
       AND OLD."endReason" IS NOT DISTINCT FROM NEW."endReason"
       AND floor(extract(epoch FROM OLD."end") / g) = floor(extract(epoch FROM NEW."end") / g) THEN
      CONTINUE;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD."end" IS NOT NULL THEN
      UPDATE "SessionEndCount" SET "count" = "count" - 1
      WHERE "grain" = g AND "siteId" IN (COALESCE(OLD."siteId", -1), 0)
        AND "bucket" = to_timestamp(floor(extract(epoch FROM OLD."end") / g) * g)
        AND "endReason" = COALESCE(OLD."endReason", 'unknown');
    END IF;
    IF TG_OP <> 'DELETE' AND NEW."end" IS NOT NULL THEN
      INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count") VALUES
        (g, COALESCE(NEW."siteId", -1), to_timestamp(floor(extract(epoch FROM NEW."end") / g) * g), COALESCE(NEW."endReason", 'unknown'), 1),
        (g, 0, to_timestamp(floor(extract(epoch FROM NEW."end") / g) * g), COALESCE(NEW."endReason", 'unknown'), 1)
      ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "SessionEndCount"."count" + 1;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
