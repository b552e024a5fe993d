-- AlterTable
ALTER TABLE "users" ADD COLUMN     "totpLastStep" INTEGER;
