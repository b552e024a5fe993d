// npm run user:reset-link -- <email>
// For installations without a mail server: prints a one-time password reset link
// (valid 1 hour) for the account with that email, on the operator's terminal only.
// It opens the database the way the server does (DATABASE_URL, or the embedded one
// in DATA_DIR, which only one process may open at a time: stop Vaultflow first).
import { ZEmail } from "../lib/auth/schemas";
import { fail, runCommand, withCommandDatabase } from "./support/operator-command";
import { appUrl, getEnv } from "../lib/env";
import { createPasswordResetLink } from "../lib/server/accounts/create-password-reset-link";

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  if (args.length !== 1) fail("Usage: npm run user:reset-link -- <email>", 2);
  const parsed = ZEmail.safeParse(args[0]);
  if (!parsed.success) fail(`"${args[0]}" is not an email address. Usage: npm run user:reset-link -- <email>`, 2);
  const email = parsed.data;

  const env = getEnv();
  return withCommandDatabase(async () => {
    const result = await createPasswordResetLink(email);
    if (!result) {
      console.error(`No account has the email ${email}.`);
      return 1;
    }
    console.log(`One-time password reset link for ${email}, valid until ${result.expiresAt.toISOString()} (1 hour):\n`);
    console.log(`  ${result.link}\n`);
    console.log("Give it to the account's owner over a channel you trust. It works once, and using it");
    console.log("signs them out on every device. Running this command again replaces the link.");
    if (!env.APP_URL) {
      console.log(`(APP_URL is not set, so the link starts with ${appUrl(env)}; set APP_URL to your public address.)`);
    }
    return 0;
  });
}

runCommand(main, "Could not create a reset link");
