-- AlterEnum
ALTER TYPE "ConnectionType" ADD VALUE 'SMTP';
