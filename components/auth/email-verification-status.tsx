import { ResendVerificationButton } from "./resend-verification-button";

const DATE = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

/** The account page's line about the address: verified, not yet, or mail is off. */
export function EmailVerificationStatus({ email, emailVerified, isMailConfigured }: { email: string; emailVerified: Date | null; isMailConfigured: boolean }) {
  if (emailVerified) {
    return (
      <p className="text-sm" data-testid="email-verification">
        <span className="font-medium text-green-800">Verified</span> on <time dateTime={emailVerified.toISOString()}>{DATE.format(emailVerified)}</time>.
      </p>
    );
  }
  if (!isMailConfigured) {
    return (
      <p className="text-sm text-slate-600" data-testid="email-verification">
        Email verification is off because this installation has no mail server.
      </p>
    );
  }
  return (
    <div className="space-y-3" data-testid="email-verification">
      <p className="text-sm">
        <span className="font-medium text-amber-800">Email not verified.</span> We sent a link to {email} when you signed up. Open it to confirm the address is
        yours.
      </p>
      <ResendVerificationButton email={email} />
    </div>
  );
}
