// Inngest calls this endpoint to run functions (signed requests; INNGEST_SIGNING_KEY).
// Without Inngest configured, the embedded driver runs flows and this route is 404.
import { serve } from "inngest/next";
import { getInngest, isInngestConfigured } from "@/inngest/client";
import { createInngestFunctions } from "@/inngest/functions";

export const dynamic = "force-dynamic";

type THandler = (request: Request, context: unknown) => Promise<Response>;
let handlers: { GET: THandler; POST: THandler; PUT: THandler } | undefined;

function getHandlers() {
  handlers ??= serve({ client: getInngest(), functions: createInngestFunctions() }) as unknown as typeof handlers & object;
  return handlers!;
}

const notFound = () => Response.json({ error: { code: "NOT_FOUND", message: "Not found." } }, { status: 404 });

export async function GET(request: Request, context: unknown) {
  return isInngestConfigured() ? getHandlers().GET(request, context) : notFound();
}

export async function POST(request: Request, context: unknown) {
  return isInngestConfigured() ? getHandlers().POST(request, context) : notFound();
}

export async function PUT(request: Request, context: unknown) {
  return isInngestConfigured() ? getHandlers().PUT(request, context) : notFound();
}
