"use client";

// A step that cannot be undone asks twice: the first button opens the question, whose
// confirm button starts the action and whose dismiss button closes it again.
import { useState } from "react";

const SIZES = { sm: "px-3 py-1.5 text-sm", md: "px-4 py-2" } as const;
/** `danger` is the red outline for a step that destroys; `plain` asks without alarm. */
const ASK_LOOKS = {
  danger: "border border-red-300 text-red-800 hover:bg-red-50",
  plain: "border border-slate-300 bg-white hover:bg-slate-50",
} as const;
const CONFIRM_LOOKS = {
  danger: "bg-red-700 text-white hover:bg-red-800",
  primary: "bg-brand-600 text-white hover:bg-brand-700",
} as const;

export type TConfirmStepProps = {
  /** The first button's text, and its accessible name where the text alone is too short. */
  askLabel: React.ReactNode;
  askAriaLabel?: string;
  askLook: keyof typeof ASK_LOOKS;
  confirmLabel: React.ReactNode;
  pendingLabel: React.ReactNode;
  confirmLook: keyof typeof CONFIRM_LOOKS;
  dismissLabel: string;
  size: keyof typeof SIZES;
  /** Said above the buttons, inside a group named `questionLabel`. */
  question?: React.ReactNode;
  questionLabel?: string;
  pending: boolean;
  /** Starts the action; `close` puts the first button back (on a failure, say, or once any answer is in). */
  onConfirm: (close: () => void) => void;
};

/** The markup for either state, apart from the state itself (so it renders without a browser). */
export function ConfirmStepView({
  isOpen,
  setOpen,
  askLabel,
  askAriaLabel,
  askLook,
  confirmLabel,
  pendingLabel,
  confirmLook,
  dismissLabel,
  size,
  question,
  questionLabel,
  pending,
  onConfirm,
}: TConfirmStepProps & { isOpen: boolean; setOpen: (isOpen: boolean) => void }) {
  if (!isOpen) {
    return (
      <button type="button" aria-label={askAriaLabel} onClick={() => setOpen(true)} className={`rounded-md font-medium ${SIZES[size]} ${ASK_LOOKS[askLook]}`}>
        {askLabel}
      </button>
    );
  }
  const buttons = (
    <div className="flex flex-wrap gap-2">
      <button
        type="button"
        disabled={pending}
        aria-busy={pending || undefined}
        onClick={() => onConfirm(() => setOpen(false))}
        className={`rounded-md font-medium disabled:opacity-60 ${SIZES[size]} ${CONFIRM_LOOKS[confirmLook]}`}
      >
        {pending ? pendingLabel : confirmLabel}
      </button>
      <button type="button" disabled={pending} onClick={() => setOpen(false)} className={`rounded-md border border-slate-300 font-medium ${SIZES[size]}`}>
        {dismissLabel}
      </button>
    </div>
  );
  if (question === undefined) return buttons;
  return (
    <div role="group" aria-label={questionLabel} className="space-y-2 rounded-md border border-red-200 p-3">
      <p className="text-sm break-words">{question}</p>
      {buttons}
    </div>
  );
}

export function ConfirmStep(props: TConfirmStepProps) {
  const [isOpen, setOpen] = useState(false);
  return <ConfirmStepView {...props} isOpen={isOpen} setOpen={setOpen} />;
}
