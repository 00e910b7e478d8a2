-- CreateTable
CREATE TABLE "PostedMessage" (
    "conversationKey" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "live" BOOLEAN NOT NULL DEFAULT false,
    "retired" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostedMessage_pkey" PRIMARY KEY ("conversationKey","key")
);

-- CreateIndex
CREATE INDEX "PostedMessage_updatedAt_idx" ON "PostedMessage"("updatedAt");
