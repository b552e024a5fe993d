"use client";

// The parts every form shares: the submit button with its progress label, and the
// alert for an error that belongs to no single field.

const VARIANTS = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  secondary: "border border-slate-300 bg-white hover:bg-slate-50",
  danger: "bg-red-700 text-white hover:bg-red-800",
} as const;

export function SubmitButton({
  pending,
  pendingLabel,
  children,
  variant = "primary",
  wide = false,
  disabled = false,
}: {
  pending: boolean;
  pendingLabel: string;
  children: React.ReactNode;
  variant?: keyof typeof VARIANTS;
  wide?: boolean;
  disabled?: boolean;
}) {
  return (
    <button
      type="submit"
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      className={`rounded-md px-4 font-medium disabled:opacity-60 ${wide ? "w-full py-2.5" : "py-2"} ${VARIANTS[variant]}`}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}

/** `compact`: a line of red text, for an error beside a single button rather than under a form. */
export function FormAlert({ message, id, compact = false }: { message: string | null | undefined; id?: string; compact?: boolean }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className={compact ? "text-sm text-red-700" : "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"}>
      {message}
    </p>
  );
}
