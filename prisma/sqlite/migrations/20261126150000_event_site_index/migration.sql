-- DropIndex
DROP INDEX "Event_siteId_type_at_idx";

-- CreateIndex
CREATE INDEX "Event_siteId_type_at_deviceId_idx" ON "Event"("siteId", "type", "at", "deviceId");
