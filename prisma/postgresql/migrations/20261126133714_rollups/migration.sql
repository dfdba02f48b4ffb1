-- DropIndex
DROP INDEX "Session_siteId_start_idx";

-- CreateTable
CREATE TABLE "SessionEndCount" (
    "grain" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "endReason" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "SessionEndCount_pkey" PRIMARY KEY ("grain","siteId","bucket","endReason")
);

-- CreateTable
CREATE TABLE "EventCount" (
    "grain" INTEGER NOT NULL,
    "siteId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "deviceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EventCount_pkey" PRIMARY KEY ("grain","siteId","type","bucket","deviceId","key")
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
-- A bucket is the UTC-aligned multiple of its grain. Heartbeat and failure counts are per
-- device, and a device's events are written by one transaction at a time (its row lock).
CREATE FUNCTION "rollup_session_end"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."end" IS NOT DISTINCT FROM NEW."end" AND OLD."siteId" IS NOT DISTINCT FROM NEW."siteId"
     AND OLD."endReason" IS NOT DISTINCT FROM NEW."endReason" THEN
    RETURN NULL;
  END IF;
  -- Every transaction that moves counts would lock the fleet's rows (siteId 0), in the order
  -- its sessions happen to change: two such transactions could deadlock. One lock, held to
  -- commit, orders them instead (lib/ingest/postgres.ts retries what deadlocks anyway).
  PERFORM pg_advisory_xact_lock(hashtext('linkscope.rollups'));
  IF TG_OP <> 'INSERT' AND OLD."end" IS NOT NULL THEN
    UPDATE "SessionEndCount" AS c SET "count" = c."count" - 1
    FROM unnest(ARRAY[60, 900, 3600, 86400]) AS g("grain")
    WHERE c."grain" = g."grain" AND c."siteId" IN (COALESCE(OLD."siteId", -1), 0)
      AND c."bucket" = to_timestamp(floor(extract(epoch FROM OLD."end") / g."grain") * g."grain")
      AND c."endReason" = COALESCE(OLD."endReason", 'unknown');
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."end" IS NOT NULL THEN
    INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
    SELECT g."grain", s."siteId", to_timestamp(floor(extract(epoch FROM NEW."end") / g."grain") * g."grain"), COALESCE(NEW."endReason", 'unknown'), 1
    FROM unnest(ARRAY[60, 900, 3600, 86400]) AS g("grain"), unnest(ARRAY[COALESCE(NEW."siteId", -1), 0]) AS s("siteId")
    ORDER BY 1, 2
    ON CONFLICT ("grain", "siteId", "bucket", "endReason") DO UPDATE SET "count" = "SessionEndCount"."count" + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_session_end" AFTER INSERT OR DELETE OR UPDATE OF "siteId", "end", "endReason" ON "Session"
FOR EACH ROW EXECUTE FUNCTION "rollup_session_end"();

-- Events are append-only: heartbeats per device at hour and day grains, failed connection
-- attempts per device and errno (else stage) at all four.
CREATE FUNCTION "rollup_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text := '';
  d jsonb;
BEGIN
  IF NEW."type" = 'connect_failed' THEN
    d := NEW."data"::jsonb;
    k := CASE
      WHEN jsonb_typeof(d -> 'errno') = 'string' THEN d ->> 'errno'
      WHEN jsonb_typeof(d -> 'stage') = 'string' THEN d ->> 'stage'
      ELSE 'failed'
    END;
  END IF;
  INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt")
  SELECT g."grain", COALESCE(NEW."siteId", -1), NEW."type", to_timestamp(floor(extract(epoch FROM NEW."at") / g."grain") * g."grain"), NEW."deviceId", k, 1, NEW."at", NEW."at"
  FROM unnest(CASE WHEN NEW."type" = 'heartbeat' THEN ARRAY[3600, 86400] ELSE ARRAY[60, 900, 3600, 86400] END) AS g("grain")
  ON CONFLICT ("grain", "siteId", "type", "bucket", "deviceId", "key")
  DO UPDATE SET "count" = "EventCount"."count" + 1, "firstAt" = LEAST("EventCount"."firstAt", excluded."firstAt"), "lastAt" = GREATEST("EventCount"."lastAt", excluded."lastAt");
  RETURN NULL;
END $$;

CREATE TRIGGER "rollup_event" AFTER INSERT ON "Event"
FOR EACH ROW WHEN (NEW."type" IN ('heartbeat', 'connect_failed')) EXECUTE FUNCTION "rollup_event"();

-- What was stored before this migration.
INSERT INTO "SessionEndCount" ("grain", "siteId", "bucket", "endReason", "count")
SELECT g."grain", s."siteId", to_timestamp(floor(extract(epoch FROM x."end") / g."grain") * g."grain"), COALESCE(x."endReason", 'unknown'), COUNT(*)
FROM "Session" AS x
CROSS JOIN unnest(ARRAY[60, 900, 3600, 86400]) AS g("grain")
CROSS JOIN LATERAL unnest(ARRAY[COALESCE(x."siteId", -1), 0]) AS s("siteId")
WHERE x."end" IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt")
SELECT g."grain", COALESCE(x."siteId", -1), x."type", to_timestamp(floor(extract(epoch FROM x."at") / g."grain") * g."grain"), x."deviceId",
       CASE
         WHEN x."type" = 'heartbeat' THEN ''
         WHEN jsonb_typeof(x."data"::jsonb -> 'errno') = 'string' THEN x."data"::jsonb ->> 'errno'
         WHEN jsonb_typeof(x."data"::jsonb -> 'stage') = 'string' THEN x."data"::jsonb ->> 'stage'
         ELSE 'failed'
       END,
       COUNT(*), MIN(x."at"), MAX(x."at")
FROM "Event" AS x
CROSS JOIN LATERAL unnest(CASE WHEN x."type" = 'heartbeat' THEN ARRAY[3600, 86400] ELSE ARRAY[60, 900, 3600, 86400] END) AS g("grain")
WHERE x."type" IN ('heartbeat', 'connect_failed')
GROUP BY 1, 2, 3, 4, 5, 6;
