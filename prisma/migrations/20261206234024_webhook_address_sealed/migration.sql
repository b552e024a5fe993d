-- AlterTable
ALTER TABLE "flow_webhooks" ADD COLUMN     "listeningById" UUID,
ADD COLUMN     "listeningUntil" TIMESTAMP(3),
ADD COLUMN     "tokenSealed" TEXT;
