// The shape of an audit event as the audit page reads it: what the data layer resolves
// (who did it, the names of what the details point at) beside what was stored. Types
// only, shared by the data layer, the pure sentence formatter and the audit page.

export type TAuditJson = string | number | boolean | null | TAuditJson[] | { [key: string]: TAuditJson };

/**
 * Who did it, in the words the log uses. A project API key is named by the key (its
 * service user has only a synthetic address); a user deleted since is "a deleted user";
 * an event with no user was Vaultflow's own doing (a webhook from the billing provider,
 * a token renewal, a limit).
 */
export type TAuditBy =
  { kind: "person"; name: string | null; email: string } | { kind: "api_key"; name: string } | { kind: "deleted_user" } | { kind: "system" };

/**
 * A flow, run, connection or person the details name by id. `exists` is whether it is
 * still there (then the page links to it); `name` is its current name, or for a thing
 * deleted since the name the event stored, or null when there is neither.
 */
export type TAuditRef = { id: string; name: string | null; exists: boolean };

/** For a person: the email beside the name (null once the user is deleted). */
export type TAuditPersonRef = TAuditRef & { email: string | null };

export type TAuditRefs = {
  flow?: TAuditRef;
  run?: TAuditRef;
  /** The run a rerun or retry started from. */
  previousRun?: TAuditRef;
  connection?: TAuditRef;
  /** The member acted on: whose role changed, who was removed, who became owner. */
  member?: TAuditPersonRef;
};

/** What the sentence formatter needs of one event. */
export type TAuditEventView = {
  action: string;
  outcome: string;
  projectId: string;
  at: Date;
  by: TAuditBy;
  subject: string | null;
  details: TAuditJson;
  refs: TAuditRefs;
};

/** One event of a project's audit log as the data layer returns it and the audit page lists it. */
export type TProjectAuditEvent = {
  /** The bigint id as a string: it is also the paging cursor. */
  id: string;
  at: Date;
  action: string;
  outcome: string;
  /** The user id as stored, kept when the user no longer exists (then `actor` is null). */
  userId: string | null;
  actor: TAuditActor | null;
  subject: string | null;
  ip: string | null;
  userAgent: string | null;
  details: TAuditJson;
  /** Who did it, in the words the log uses (see TAuditBy). */
  by: TAuditBy;
  /** The flow, run, connection and member the details name by id, resolved to names now. */
  refs: TAuditRefs;
};

/**
 * Who did it: a person by email and name. A project API key reads as `API key "<name>"`
 * in `email` (what the audit page shows first) with its id in `apiKeyId`: a key's
 * service user has only a synthetic address that means nothing to a reader.
 */
export type TAuditActor = { id: string; email: string; name: string | null; apiKeyId?: string };
