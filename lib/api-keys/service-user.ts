// An API key's service user has a synthetic address under a reserved domain: `.invalid`
// is reserved by RFC 2606, so no mail is ever delivered to it, and sign-up, Google
// sign-in and invitations refuse every address under it, so no person can hold one.
export const SERVICE_USER_EMAIL_DOMAIN = "keys.vaultflow.invalid";

export function serviceUserEmail(keyId: string): string {
  return `api-key-${keyId}@${SERVICE_USER_EMAIL_DOMAIN}`;
}

/** True for any address in the reserved domain (or a subdomain), compared case-insensitively. */
export function isServiceUserEmail(email: string): boolean {
  const domain = email.trim().toLowerCase().split("@").pop() ?? "";
  return domain === SERVICE_USER_EMAIL_DOMAIN || domain.endsWith(`.${SERVICE_USER_EMAIL_DOMAIN}`);
}

export const RESERVED_EMAIL_MESSAGE = "This address is reserved and cannot be used for an account.";
