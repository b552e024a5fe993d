// Stripe's error answers as messages a person can act on. Stripe answers with an HTTP
// status and { error: { type, code, message, param } } (https://docs.stripe.com/api/errors).
// Its 401 message quotes part of the key, so a refused key is described in our words only.
import { appStatusFailure, providerMessage } from "../app-errors";
import type { StepFailure } from "@/lib/flows/retry-policy";

export function stripeFailureOf(status: number, headers: Readonly<Record<string, string | undefined>>, body: unknown, notFound: string): StepFailure | null {
  if (status < 400) return null;
  const error = body && typeof body === "object" ? (body as { error?: { message?: unknown } }).error : undefined;
  const detail = status === 401 || status === 403 ? null : providerMessage(error?.message);
  return appStatusFailure(
    status,
    headers,
    { app: "Stripe", notFound, forbidden: "the key lacks read access to this (give the restricted key read permission for it)" },
    detail,
  );
}
