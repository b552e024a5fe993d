// GET /api/v1/openapi.json: the REST API's OpenAPI 3.1 document, generated from the
// routes' zod schemas. Public (it describes the API, holds nothing of any project).
import { getOpenApiDocument } from "@/lib/api/v1/openapi";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(getOpenApiDocument(), { headers: { "Cache-Control": "no-store" } });
}
