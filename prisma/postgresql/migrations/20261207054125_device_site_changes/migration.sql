-- CreateTable
CREATE TABLE "DeviceSiteChange" (
    "id" SERIAL NOT NULL,
    "deviceId" INTEGER NOT NULL,
    "fromSiteId" INTEGER,
    "toSiteId" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "keyPrefix" TEXT,
    "userId" INTEGER,

    CONSTRAINT "DeviceSiteChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeviceSiteChange_deviceId_at_idx" ON "DeviceSiteChange"("deviceId", "at");
