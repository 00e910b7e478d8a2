-- AlterTable
ALTER TABLE "ComparisonRun" ADD COLUMN     "loraRank" INTEGER;

-- CreateTable
CREATE TABLE "LearningRateOptimum" (
    "teamId" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "learningRate" DOUBLE PRECISION NOT NULL,
    "validationLoss" DOUBLE PRECISION NOT NULL,
    "atGridEdge" BOOLEAN NOT NULL,
    "jobId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "measuredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LearningRateOptimum_pkey" PRIMARY KEY ("teamId","bucket","method")
);

-- AddForeignKey
ALTER TABLE "LearningRateOptimum" ADD CONSTRAINT "LearningRateOptimum_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
