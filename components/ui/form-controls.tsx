"use client";

// The parts every form shares: the submit button with its progress label, and the
// alert for an error that belongs to no single field.

const VARIANTS = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  secondary: "border border-slate-300 bg-white hover:bg-slate-50",
  danger: "bg-red-700 text-white hover:bg-red-800",
  /** A red outline: a step that cannot be undone, beside the page's main action. */
  dangerOutline: "border border-red-300 text-red-700",
} as const;

type TButtonProps = {
  pending: boolean;
  pendingLabel: React.ReactNode;
  children: React.ReactNode;
  variant?: keyof typeof VARIANTS;
  wide?: boolean;
  disabled?: boolean;
};

function PendingButton({
  type,
  onClick,
  pending,
  pendingLabel,
  children,
  variant = "primary",
  wide = false,
  disabled = false,
}: TButtonProps & { type: "submit" | "button"; onClick?: () => void }) {
  return (
    <button
      type={type}
      onClick={onClick}
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      className={`rounded-md px-4 font-medium disabled:opacity-60 ${wide ? "w-full py-2.5" : "py-2"} ${VARIANTS[variant]}`}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}

export function SubmitButton(props: TButtonProps) {
  return <PendingButton type="submit" {...props} />;
}

/** SubmitButton for an action started by a click rather than by submitting a form. */
export function ActionButton(props: TButtonProps & { onClick: () => void }) {
  return <PendingButton type="button" {...props} />;
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
