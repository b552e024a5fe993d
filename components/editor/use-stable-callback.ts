"use client";

import { useCallback, useLayoutEffect, useRef } from "react";

/**
 * A function whose identity never changes but that always runs the latest `callback`.
 * The editor's handlers read the current document; handing memoised panels and the
 * canvas a new handler after every edit would re-render them all for nothing.
 * Only for event handlers (never called during render).
 */
export function useStableCallback<TArgs extends unknown[], TResult>(callback: (...args: TArgs) => TResult): (...args: TArgs) => TResult {
  const latest = useRef(callback);
  useLayoutEffect(() => {
    latest.current = callback;
  });
  return useCallback((...args: TArgs) => latest.current(...args), []);
}
