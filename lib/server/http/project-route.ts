import "server-only";
// The route-handler twin of defineAction for project-scoped API routes
// (/api/projects/[projectId]/...): session, a named permission checked against the
// caller's membership of the project in the path, and strict zod parsing of the query
// string and JSON body. The project comes from the path only; a projectId in a body or
// query is an unknown field and answers 400.
import { getCurrentUser, type TSessionUser } from "@/lib/auth/current-user";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import type { TPermission } from "@/lib/auth/permissions";
import { ZProjectId } from "@/lib/projects/schemas";
import { AppError } from "@/lib/errors";
import type { z } from "@/lib/zod";
import { requireProjectPermission, type TProjectAccess } from "../projects/require-project-permission";
import { projectNotFound } from "../projects/project-not-found";
import { getRequestMeta, type TRequestMeta } from "../request-meta";
import { jsonRoute } from "./json-route";

type TRouteContext = { params: Promise<{ projectId: string }> };

type TSpec<Q extends z.ZodType | undefined, B extends z.ZodType | undefined> = {
  permission: TPermission;
  query?: Q;
  body?: B;
};

type TParsed<S> = S extends z.ZodType ? z.output<S> : undefined;

type THandlerContext<Q, B> = {
  user: TSessionUser;
  project: TProjectAccess;
  query: TParsed<Q>;
  body: TParsed<B>;
  meta: TRequestMeta;
  request: Request;
};

const MAX_BODY_BYTES = 64 * 1024;

function badInput(error: z.ZodError, what: string): AppError {
  const fieldErrors = fieldErrorsOf(error);
  const first = Object.values(fieldErrors)[0]?.[0] ?? `The ${what} is not valid.`;
  return new AppError("BAD_INPUT", first, fieldErrors);
}

async function readJsonBody(request: Request): Promise<unknown> {
  // Requiring application/json also means a cross-site form or simple request cannot
  // reach a mutating route: browsers preflight this content type.
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json(;|$)/i.test(type)) throw new AppError("BAD_INPUT", "Send the body as application/json.");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError("BAD_INPUT", "The body is too large.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_INPUT", "The body is not valid JSON.");
  }
}

export function projectRoute<Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: TSpec<Q, B>,
  handler: (context: THandlerContext<Q, B>) => Promise<Response>,
) {
  return jsonRoute(async (request: Request, routeContext: TRouteContext) => {
    const user = await getCurrentUser();
    if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    const { projectId } = await routeContext.params;
    if (!ZProjectId.safeParse(projectId).success) throw projectNotFound();
    const project = await requireProjectPermission(user.id, projectId, spec.permission);

    let query: unknown = undefined;
    const params = new URL(request.url).searchParams;
    if (spec.query) {
      const parsed = spec.query.safeParse(Object.fromEntries(params));
      if (!parsed.success) throw badInput(parsed.error, "query string");
      query = parsed.data;
    } else if ([...params.keys()].length > 0) {
      throw new AppError("BAD_INPUT", `Unknown query parameter "${[...params.keys()][0]}".`);
    }

    let body: unknown = undefined;
    if (spec.body) {
      const parsed = spec.body.safeParse(await readJsonBody(request));
      if (!parsed.success) throw badInput(parsed.error, "body");
      body = parsed.data;
    }

    return handler({
      user,
      project,
      query: query as TParsed<Q>,
      body: body as TParsed<B>,
      meta: await getRequestMeta(),
      request,
    });
  });
}
