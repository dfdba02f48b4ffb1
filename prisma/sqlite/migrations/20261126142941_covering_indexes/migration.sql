-- DropIndex
DROP INDEX "Session_end_idx";

-- DropIndex
DROP INDEX "SessionEndCount_grain_bucket_idx";

-- CreateIndex
CREATE INDEX "Session_end_siteId_deviceId_idx" ON "Session"("end", "siteId", "deviceId");

-- CreateIndex
CREATE INDEX "SessionEndCount_grain_siteId_bucket_endReason_count_idx" ON "SessionEndCount"("grain", "siteId", "bucket", "endReason", "count");

-- CreateIndex
CREATE INDEX "SessionEndCount_grain_bucket_siteId_endReason_count_idx" ON "SessionEndCount"("grain", "bucket", "siteId", "endReason", "count");
