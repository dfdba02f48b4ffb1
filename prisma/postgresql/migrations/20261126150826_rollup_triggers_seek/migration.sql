-- The rollup functions again with one statement per grain, each a plain index seek (the first
-- version joined the rollup with an unnested list of grains, a join the planner may run over
-- the whole table).
CREATE OR REPLACE FUNCTION "rollup_session_end"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g integer;
BEGIN
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

CREATE OR REPLACE FUNCTION "rollup_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text := '';
  d jsonb;
  g integer;
BEGIN
  IF NEW."type" = 'connect_failed' THEN
    d := NEW."data"::jsonb;
    k := CASE
      WHEN jsonb_typeof(d -> 'errno') = 'string' THEN d ->> 'errno'
      WHEN jsonb_typeof(d -> 'stage') = 'string' THEN d ->> 'stage'
      ELSE 'failed'
    END;
  END IF;
  FOREACH g IN ARRAY CASE WHEN NEW."type" = 'heartbeat' THEN ARRAY[3600, 86400] ELSE ARRAY[60, 900, 3600, 86400] END LOOP
    INSERT INTO "EventCount" ("grain", "siteId", "type", "bucket", "deviceId", "key", "count", "firstAt", "lastAt")
    VALUES (g, COALESCE(NEW."siteId", -1), NEW."type", to_timestamp(floor(extract(epoch FROM NEW."at") / g) * g), NEW."deviceId", k, 1, NEW."at", NEW."at")
    ON CONFLICT ("grain", "siteId", "type", "bucket", "deviceId", "key")
    DO UPDATE SET "count" = "EventCount"."count" + 1, "firstAt" = LEAST("EventCount"."firstAt", excluded."firstAt"), "lastAt" = GREATEST("EventCount"."lastAt", excluded."lastAt");
  END LOOP;
  RETURN NULL;
END $$;
