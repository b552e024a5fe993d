"use client";

import { useEffect, useState } from "react";
import type { PasswordCheck, PasswordContext } from "@/lib/auth/password-policy";

const COLORS = ["bg-red-600", "bg-orange-500", "bg-amber-400", "bg-green-600", "bg-green-700"];

/**
 * Live strength meter. The policy (zxcvbn and its dictionaries, about a megabyte) is
 * loaded only once someone starts typing a password.
 */
export function PasswordStrength({ password, context }: { password: string; context: PasswordContext }) {
  const [checked, setChecked] = useState<(PasswordCheck & { label: string; password: string }) | null>(null);
  const { email, name } = context;

  useEffect(() => {
    if (!password) return;
    let cancelled = false;
    void import("@/lib/auth/password-policy").then(({ checkPassword, strengthLabel }) => {
      if (cancelled) return;
      const check = checkPassword(password, { email, name });
      setChecked({ ...check, label: strengthLabel(check.score), password });
    });
    return () => {
      cancelled = true;
    };
  }, [password, email, name]);

  // A result for an older value is not shown (the check for the new one is on its way).
  const result = password && checked?.password === password ? checked : null;
  if (!result) return <p className="text-sm text-slate-600">At least 12 characters. Passphrases work well.</p>;
  return (
    <div data-testid="password-strength">
      <div className="flex gap-1" aria-hidden>
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={`h-1.5 flex-1 rounded ${i <= result.score ? COLORS[result.score] : "bg-slate-200"}`} />
        ))}
      </div>
      <p className="mt-1 text-sm" aria-live="polite">
        Strength: <strong>{result.label}</strong>
        {result.ok ? " — good to go." : ""}
      </p>
      {!result.ok ? (
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
          {[...result.problems, ...result.suggestions].slice(0, 4).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
