-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "lastTestMessage" TEXT;
