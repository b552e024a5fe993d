import { describe, expect, it } from "vitest";
import { actionFormHandlers, type TActionFormOptions, type TConfirmation, type TFieldErrors } from "@/components/ui/use-action-form";
import { z } from "@/lib/zod";
import type { TActionError, TActionResult } from "@/lib/web/action-result";

/** The handlers over plain state: what a form would show, and the work it started. */
function form(options: TActionFormOptions = {}) {
  const shown = {
    fieldErrors: {} as TFieldErrors,
    formError: null as string | null,
    confirmation: null as TConfirmation | null,
    isLeaving: false,
  };
  const started: Promise<void>[] = [];
  const handlers = actionFormHandlers(
    {
      setFieldErrors: (errors) => (shown.fieldErrors = errors),
      setFormError: (message) => (shown.formError = message),
      setConfirmation: (confirmation) => (shown.confirmation = confirmation),
      setLeaving: (isLeaving) => (shown.isLeaving = isLeaving),
      start: (work) => void started.push(work()),
    },
    options,
  );
  const settled = async () => {
    for (let i = 0; i < started.length; i++) await started[i];
  };
  return { shown, handlers, started, settled };
}

const ok = <T>(data: T): TActionResult<T> => ({ ok: true, data });
const failed = (error: TActionError): TActionResult<never> => ({ ok: false, error });
const ZName = z.strictObject({ name: z.string().min(1, "Enter a name.") });

describe("a form around a server action", () => {
  it("checks the input first: a wrong field is shown and nothing is sent", async () => {
    const { shown, handlers, started } = form();
    const sent: unknown[] = [];
    handlers.submit(
      ZName,
      { name: "" },
      async (data) => (sent.push(data), ok(null)),
      () => {},
    );
    expect(shown.fieldErrors).toEqual({ name: ["Enter a name."] });
    expect(started).toHaveLength(0);
    expect(sent).toEqual([]);
  });

  it("sends the parsed input and shows a failure's field errors, or its message in the alert", async () => {
    const { shown, handlers, settled } = form();
    const sent: unknown[] = [];
    handlers.submit(
      ZName,
      { name: "Ada" },
      async (data) => (sent.push(data), failed({ code: "BAD_INPUT", message: "No.", fieldErrors: { name: ["Taken."] } })),
      () => {},
    );
    await settled();
    expect(sent).toEqual([{ name: "Ada" }]);
    expect(shown).toMatchObject({ fieldErrors: { name: ["Taken."] }, formError: null });

    handlers.submit(
      ZName,
      { name: "Ada" },
      async () => failed({ code: "CONFLICT", message: "Try later." }),
      () => {},
    );
    await settled();
    expect(shown).toMatchObject({ fieldErrors: {}, formError: "Try later." });
  });

  it("with messageField, shows a failure that names no field under that field", async () => {
    const { shown, handlers, settled } = form({ messageField: "name" });
    handlers.submit(
      ZName,
      { name: "Ada" },
      async () => failed({ code: "FORBIDDEN", message: "Not yours." }),
      () => {},
    );
    await settled();
    expect(shown).toMatchObject({ fieldErrors: { name: ["Not yours."] }, formError: null });
  });

  it("send: no check of its own, clears what an earlier try showed, and shows failures as submit does", async () => {
    const { shown, handlers, settled } = form({ messageField: "password" });
    shown.fieldErrors = { password: ["Old."] };
    shown.formError = "Old alert.";
    let calls = 0;
    handlers.send(
      async () => (calls++, failed({ code: "INVALID_CREDENTIALS", message: "Wrong password." })),
      () => {},
    );
    expect(shown).toMatchObject({ fieldErrors: {}, formError: null });
    await settled();
    expect(calls).toBe(1);
    expect(shown.fieldErrors).toEqual({ password: ["Wrong password."] });

    const done: string[] = [];
    handlers.send(
      async () => ok("linked"),
      (data) => void done.push(data),
    );
    await settled();
    expect(done).toEqual(["linked"]);
    expect(shown).toMatchObject({ fieldErrors: {}, formError: null });
  });

  it("an onError that takes the failure over leaves the form as it was", async () => {
    const { shown, handlers, settled } = form();
    const taken: string[] = [];
    handlers.send(
      async () => failed({ code: "NOT_FOUND", message: "The link has expired." }),
      () => {},
      (error) => (taken.push(error.message), true),
    );
    await settled();
    expect(taken).toEqual(["The link has expired."]);
    expect(shown).toMatchObject({ fieldErrors: {}, formError: null });
  });

  describe("confirmOn: a failure with that code is a question", () => {
    it("is kept as the confirmation; confirm sends the same input again, confirmed", async () => {
      const { shown, handlers, settled } = form({ confirmOn: "CONFLICT" });
      const sent: unknown[][] = [];
      const succeeded: string[] = [];
      handlers.submit(
        ZName,
        { name: "Ada" },
        async (...args) => {
          const [, confirmed] = args;
          sent.push(args);
          return confirmed ? ok("changed") : failed({ code: "CONFLICT", message: "Change the role?" });
        },
        (data) => void succeeded.push(data),
      );
      await settled();
      expect(shown.confirmation?.question).toBe("Change the role?");
      expect(shown.formError).toBeNull();
      expect(succeeded).toEqual([]);

      shown.confirmation!.confirm();
      expect(shown.confirmation).toBeNull();
      await settled();
      // Unconfirmed, the action gets its input alone (a server action sends every argument).
      expect(sent).toEqual([[{ name: "Ada" }], [{ name: "Ada" }, true]]);
      expect(succeeded).toEqual(["changed"]);
    });

    it("dismiss drops the question and sends nothing; another code is an ordinary failure", async () => {
      const { shown, handlers, settled, started } = form({ confirmOn: "CONFLICT" });
      handlers.send(
        async () => failed({ code: "CONFLICT", message: "Sure?" }),
        () => {},
      );
      await settled();
      shown.confirmation!.dismiss();
      expect(shown.confirmation).toBeNull();
      expect(started).toHaveLength(1);

      handlers.send(
        async () => failed({ code: "LIMIT_REACHED", message: "Upgrade first." }),
        () => {},
      );
      await settled();
      expect(shown.confirmation).toBeNull();
      expect(shown.formError).toBe("Upgrade first.");
    });

    it("a confirmed send that meets the code again shows it as a failure, never a second question", async () => {
      const { shown, handlers, settled } = form({ confirmOn: "CONFLICT" });
      handlers.send(
        async () => failed({ code: "CONFLICT", message: "Still taken." }),
        () => {},
      );
      await settled();
      shown.confirmation!.confirm();
      await settled();
      expect(shown.confirmation).toBeNull();
      expect(shown.formError).toBe("Still taken.");
    });

    it("a new submit drops an unanswered question", async () => {
      const { shown, handlers, settled } = form({ confirmOn: "CONFLICT" });
      handlers.send(
        async () => failed({ code: "CONFLICT", message: "Sure?" }),
        () => {},
      );
      await settled();
      handlers.submit(
        ZName,
        { name: "" },
        async () => ok(null),
        () => {},
      );
      expect(shown.confirmation).toBeNull();
    });
  });

  describe("leavesPage: the form stays pending after a success", () => {
    it("only after a success, for submit and run alike", async () => {
      const { shown, handlers, settled } = form({ leavesPage: true });
      handlers.run(
        async () => failed({ code: "INTERNAL", message: "Stripe is down." }),
        () => {},
      );
      await settled();
      expect(shown).toMatchObject({ isLeaving: false, formError: "Stripe is down." });

      const went: string[] = [];
      handlers.run(
        async () => ok({ url: "https://checkout.example/x" }),
        ({ url }) => void went.push(url),
      );
      await settled();
      expect(went).toEqual(["https://checkout.example/x"]);
      expect(shown.isLeaving).toBe(true);
    });

    it("is off by default", async () => {
      const { shown, handlers, settled } = form();
      handlers.submit(
        ZName,
        { name: "Ada" },
        async () => ok(null),
        () => {},
      );
      await settled();
      expect(shown.isLeaving).toBe(false);
    });
  });

  it("run puts any failure's message in the alert, field errors or not", async () => {
    const { shown, handlers, settled } = form({ messageField: "name" });
    handlers.run(
      async () => failed({ code: "BAD_INPUT", message: "Check the token.", fieldErrors: { token: ["Bad."] } }),
      () => {},
    );
    await settled();
    expect(shown).toMatchObject({ fieldErrors: {}, formError: "Check the token." });
  });

  it("run: an onError that only looks (closing a confirmation) still leaves the message in the alert", async () => {
    const { shown, handlers, settled } = form();
    const seen: string[] = [];
    handlers.run(
      async () => failed({ code: "NOT_FOUND", message: "Already revoked." }),
      () => {},
      (error) => (seen.push(error.code), false),
    );
    await settled();
    expect(seen).toEqual(["NOT_FOUND"]);
    expect(shown.formError).toBe("Already revoked.");

    handlers.run(
      async () => failed({ code: "NOT_FOUND", message: "Gone." }),
      () => {},
      () => true,
    );
    await settled();
    expect(shown.formError).toBeNull();
  });
});
