import "server-only";
// Applies an event's database effect exactly once: the event id is inserted in the same
// transaction as the effect. A redelivery (or two deliveries at once: the second insert
// waits for the first transaction, then finds the id) changes nothing; an effect that
// fails rolls the id back with it, so Stripe's retry applies it again.
import type Stripe from "stripe";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../../db";

export type TEventEffect = (tx: Prisma.TransactionClient) => Promise<void>;

/** True when applied now, false when the event id was already recorded. */
export async function recordStripeEvent(event: Stripe.Event, projectId: string | null, effect?: TEventEffect): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const inserted = await tx.stripeEvent.createMany({ data: [{ id: event.id, type: event.type, projectId }], skipDuplicates: true });
    if (inserted.count === 0) return false;
    if (effect) await effect(tx);
    return true;
  });
}

export async function isStripeEventRecorded(eventId: string): Promise<boolean> {
  return (await getDb().stripeEvent.findUnique({ where: { id: eventId }, select: { id: true } })) !== null;
}
