"use client";

import { CopyButton } from "../ui/copy-button";

/** The accept link, shown once right after it is issued (the only copy when mail is off). */
export function InvitationLinkNotice({ email, link, isEmailed }: { email: string; link: string; isEmailed: boolean }) {
  return (
    <div role="status" className="space-y-2 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-950" data-testid="invitation-link">
      <p>
        {isEmailed ? `Invitation emailed to ${email}.` : `Invitation created for ${email}. This installation has no mail server, so share the link yourself.`}{" "}
        The link works once, for that address only, for 7 days. It is shown only now.
      </p>
      <p className="font-mono text-xs break-all" data-testid="invitation-link-url">
        {link}
      </p>
      <CopyButton value={link} label="Copy link" className="rounded-md border border-green-300 bg-white px-3 py-1.5 font-medium" />
    </div>
  );
}
