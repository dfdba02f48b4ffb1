-- CreateTable
CREATE TABLE "DeviceSiteChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deviceId" INTEGER NOT NULL,
    "fromSiteId" INTEGER,
    "toSiteId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "keyPrefix" TEXT,
    "userId" INTEGER
);

-- CreateIndex
CREATE INDEX "DeviceSiteChange_deviceId_at_idx" ON "DeviceSiteChange"("deviceId", "at");
