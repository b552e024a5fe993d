import type { TConnectionStatus } from "@/lib/connections/schemas";

/**
 * Starts the provider sign-in. A plain GET link: the route checks the session and the
 * role, and stores the state server-side before redirecting to the provider.
 */
export function OAuthConnectLink({ connectionId, status }: { connectionId: string; status: TConnectionStatus }) {
  const isPrimary = status !== "CONNECTED";
  const label = status === "PENDING" ? "Connect" : "Reconnect";
  return (
    <a
      href={`/api/connections/${connectionId}/oauth/start`}
      className={`inline-block rounded-md px-4 py-2 font-medium ${
        isPrimary ? "bg-brand-600 text-white hover:bg-brand-700" : "border border-slate-300 bg-white hover:bg-slate-50"
      }`}
    >
      {label}
    </a>
  );
}
