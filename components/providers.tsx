"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { SessionProvider } from "next-auth/react";
import { useState } from "react";

export function Providers({ children }: { children: React.ReactNode; nonce?: string }) {
  // One client per browser session; created lazily so server renders never share one.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } }));
  // The session is re-read on page load and when the window regains focus: that
  // activity is what renews the idle timeout (the absolute lifetime still applies).
  return (
    <SessionProvider refetchOnWindowFocus refetchInterval={0}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SessionProvider>
  );
}
