-- DropIndex
DROP INDEX "oauth_accounts_userId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "oauth_accounts_userId_provider_key" ON "oauth_accounts"("userId", "provider");
