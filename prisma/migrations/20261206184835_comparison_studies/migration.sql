-- AlterTable
ALTER TABLE "ComparisonJob" ADD COLUMN     "studyId" TEXT;

-- CreateTable
CREATE TABLE "ComparisonStudy" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComparisonStudy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ComparisonStudy_teamId_createdAt_idx" ON "ComparisonStudy"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "ComparisonJob_studyId_idx" ON "ComparisonJob"("studyId");

-- AddForeignKey
ALTER TABLE "ComparisonJob" ADD CONSTRAINT "ComparisonJob_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "ComparisonStudy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComparisonStudy" ADD CONSTRAINT "ComparisonStudy_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
