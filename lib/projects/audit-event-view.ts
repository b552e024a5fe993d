// The shape of an audit event as the audit page reads it: what the data layer resolves
// (who did it, the names of what the details point at) beside what was stored. Types
// only, shared by the data layer and the pure sentence formatter.

export type TAuditJson = string | number | boolean | null | TAuditJson[] | { [key: string]: TAuditJson };

/**
 * Who did it, in the words the log uses. A project API key is named by the key (its
 * service user has only a synthetic address); a user deleted since is "a deleted user";
 * an event with no user was Vaultflow's own doing (a webhook from the billing provider,
 * a token renewal, a limit).
 */
export type TAuditBy =
  | { kind: "person"; name: string | null; email: string }
  | { kind: "api_key"; name: string }
  | { kind: "deleted_user" }
  | { kind: "system" };

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
