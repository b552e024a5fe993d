import { createElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConfirmStepView, type TConfirmStepProps } from "@/components/ui/confirm-step";

type TButtonElement = ReactElement<{ onClick: () => void; children: ReactNode; disabled?: boolean }>;

const base: TConfirmStepProps = {
  askLabel: "Revoke",
  askAriaLabel: "Revoke CI key",
  askLook: "plain",
  confirmLabel: "Confirm: revoke “CI key” now",
  pendingLabel: "Revoking…",
  confirmLook: "danger",
  dismissLabel: "Cancel",
  size: "sm",
  pending: false,
  onConfirm: () => {},
};

/** The host buttons of a rendered view, in order (the view nests no components of its own). */
function buttonsOf(node: ReactNode): TButtonElement[] {
  if (!isValidElement(node)) return Array.isArray(node) ? node.flatMap(buttonsOf) : [];
  const element = node as ReactElement<{ children?: ReactNode }>;
  if (element.type === "button") return [element as TButtonElement];
  const children = element.props.children;
  return (Array.isArray(children) ? children : [children]).flatMap(buttonsOf);
}

function buttonAt(node: ReactNode, index: number): TButtonElement {
  const button = buttonsOf(node)[index];
  if (!button) throw new Error(`no button ${index}`);
  return button;
}

describe("confirm step", () => {
  it("asks first: one button, named by its aria label, that opens the question", () => {
    const opened: boolean[] = [];
    const view = ConfirmStepView({ ...base, isOpen: false, setOpen: (isOpen) => opened.push(isOpen) });
    const html = renderToStaticMarkup(view);
    expect(html).toBe(
      '<button type="button" aria-label="Revoke CI key" class="rounded-md font-medium px-3 py-1.5 text-sm border border-slate-300 bg-white hover:bg-slate-50">Revoke</button>',
    );
    buttonAt(view, 0).props.onClick();
    expect(opened).toEqual([true]);
  });

  it("open: confirm starts the action with a way to close, dismiss closes without it", () => {
    const opened: boolean[] = [];
    const confirmed: string[] = [];
    const view = ConfirmStepView({
      ...base,
      isOpen: true,
      setOpen: (isOpen) => opened.push(isOpen),
      onConfirm: (close) => {
        confirmed.push("sent");
        close();
      },
    });
    expect(buttonsOf(view)).toHaveLength(2);
    const [confirm, dismiss] = [buttonAt(view, 0), buttonAt(view, 1)];
    expect([confirm.props.children, dismiss.props.children]).toEqual(["Confirm: revoke “CI key” now", "Cancel"]);
    dismiss.props.onClick();
    expect(opened).toEqual([false]);
    expect(confirmed).toEqual([]);
    confirm.props.onClick();
    expect(confirmed).toEqual(["sent"]);
    expect(opened).toEqual([false, false]);
    expect(renderToStaticMarkup(view)).not.toContain('role="group"');
  });

  it("while pending both buttons are disabled and the confirm button says what runs", () => {
    const html = renderToStaticMarkup(createElement(ConfirmStepView, { ...base, pending: true, isOpen: true, setOpen: () => {} }));
    expect(html).toMatch(/<button type="button" disabled="" aria-busy="true"[^>]*>Revoking…<\/button>/);
    expect(html).toMatch(/<button type="button" disabled=""[^>]*>Cancel<\/button>/);
    expect(html).not.toContain("Confirm: revoke");
  });

  it("a question stands above the buttons in a group named for it", () => {
    const html = renderToStaticMarkup(
      createElement(ConfirmStepView, {
        ...base,
        question: "Delete it? This cannot be undone.",
        questionLabel: "Confirm deletion",
        isOpen: true,
        setOpen: () => {},
      }),
    );
    expect(html).toMatch(
      /^<div role="group" aria-label="Confirm deletion"[^>]*><p[^>]*>Delete it\? This cannot be undone.<\/p><div class="flex flex-wrap gap-2"><button/,
    );
  });
});
