import Link from "next/link";

export function SiteHeader({ signedInAs }: { signedInAs?: string }) {
  return (
    <header className="border-b border-slate-200">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold">
          <span aria-hidden className="inline-block h-6 w-6 rounded-md bg-brand-600" />
          Vaultflow
        </Link>
        {signedInAs ? (
          <div className="flex min-w-0 items-center gap-4 text-sm">
            <Link href="/projects" className="font-medium text-slate-800 underline-offset-2 hover:underline">
              Projects
            </Link>
            <Link href="/account" className="truncate text-slate-700 underline-offset-2 hover:underline">
              {signedInAs}
            </Link>
          </div>
        ) : (
          <Link href="/sign-in" className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
            Sign in
          </Link>
        )}
      </nav>
    </header>
  );
}
