-- CreateTable
CREATE TABLE "OutboxNotice" (
    "key" TEXT NOT NULL,
    "jobId" TEXT,
    "conversationKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "version" INTEGER NOT NULL DEFAULT 0,
    "partsSent" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutboxNotice_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "OutboxNotice_state_nextAttemptAt_idx" ON "OutboxNotice"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxNotice_jobId_idx" ON "OutboxNotice"("jobId");

-- CreateIndex
CREATE INDEX "OutboxNotice_conversationKey_state_idx" ON "OutboxNotice"("conversationKey", "state");
