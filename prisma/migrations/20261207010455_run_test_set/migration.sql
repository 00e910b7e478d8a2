-- AlterTable
ALTER TABLE "ComparisonRun" ADD COLUMN     "testSet" BOOLEAN NOT NULL DEFAULT true;
