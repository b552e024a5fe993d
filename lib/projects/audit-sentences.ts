// Audit events as sentences people read: "Olive Owner invited sam@example.com as Editor",
// "Payment failed; paid limits stay until 14 Dec". One formatter per action, typed over
// AUDIT_ACTIONS so a new action does not compile without its sentence; an action this
// module has never seen (an old row, a newer writer) still reads as a sentence.
//
// Pure: no I/O, no React. The data layer resolves ids to names (TAuditRefs); this module
// only words them. It never prints a details key or a raw JSON value: every value it
// shows is read by a formatter that knows what it means, and booleans become words.
import type { TAuditAction } from "@/lib/server/audit/record-audit-event";
import type { TAuditBy, TAuditEventView, TAuditJson, TAuditPersonRef, TAuditRef } from "./audit-event-view";

export type TAuditSegment =
  | { kind: "text"; text: string }
  /** A person (or Vaultflow itself): shown in bold. */
  | { kind: "person"; text: string }
  /** A named thing (flow, connection, API key, project): quoted, a link while it exists. */
  | { kind: "name"; text: string; href: string | null }
  /** Words that link to something without a name, such as a run ("a run"): not quoted. */
  | { kind: "link"; text: string; href: string }
  /** An email address, origin or header name: a long token that may wrap anywhere. */
  | { kind: "token"; text: string };

/** A secondary fact for the details disclosure: a label and a value in words. */
export type TAuditFact = { label: string; value: string };

export type TAuditSentence = { segments: TAuditSegment[]; facts: TAuditFact[] };

type TPart = string | TAuditSegment | TPart[] | null | undefined | false;
type TDetails = { [key: string]: TAuditJson };
type TContext = {
  event: TAuditEventView;
  details: TDetails;
  isFailure: boolean;
  who: TAuditSegment[];
  facts: TAuditFact[];
};
type TFormatter = (context: TContext) => TPart[];

/** The sentence for one event, with the facts that belong in its details. */
export function describeAuditEvent(event: TAuditEventView): TAuditSentence {
  const details = isRecord(event.details) ? event.details : {};
  const context: TContext = { event, details, isFailure: event.outcome !== "success", who: whoSegments(event.by), facts: [] };
  const formatter = hasAuditSentence(event.action) ? SENTENCES[event.action] : fallbackSentence;
  return { segments: join(formatter(context)), facts: context.facts };
}

/** The sentence as plain text (names in curly quotes): for titles, tests and exports. */
export function auditSentenceText(segments: readonly TAuditSegment[]): string {
  return segments.map((segment) => (segment.kind === "name" ? `“${segment.text}”` : segment.text)).join("");
}

export function hasAuditSentence(action: string): action is TAuditAction {
  return Object.hasOwn(SENTENCES, action);
}

/** "project.invitation_sent" → "Invitation sent": the action filter's option labels. */
export function auditActionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action) ? AUDIT_ACTION_LABELS[action as TAuditAction] : humanizeAction(action);
}

export const AUDIT_ACTION_LABELS: Record<TAuditAction, string> = {
  "auth.sign_up": "Signed up",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.lockout": "Sign-in locked",
  "auth.sign_out_everywhere": "Signed out everywhere",
  "auth.password_changed": "Password changed",
  "auth.password_reset": "Password reset",
  "auth.password_reset_requested": "Password reset requested",
  "auth.email_verified": "Email verified",
  "auth.two_factor_enabled": "Two-factor authentication turned on",
  "auth.two_factor_disabled": "Two-factor authentication turned off",
  "auth.account_deleted": "Account deleted",
  "auth.google_linked": "Google account linked",
  "auth.google_takeover": "Account claimed through Google",
  "project.created": "Project created",
  "project.renamed": "Project renamed",
  "project.deleted": "Project deleted",
  "project.invitation_sent": "Invitation sent",
  "project.invitation_resent": "Invitation sent again",
  "project.invitation_revoked": "Invitation revoked",
  "project.invitation_accepted": "Invitation accepted",
  "project.role_changed": "Member role changed",
  "project.member_removed": "Member removed",
  "project.member_left": "Member left",
  "project.ownership_transferred": "Ownership transferred",
  "connection.created": "Connection created",
  "connection.updated": "Connection updated",
  "connection.deleted": "Connection deleted",
  "connection.tested": "Connection tested",
  "connection.authorized": "Connection authorized",
  "connection.refreshed": "Connection token renewed",
  "connection.refresh_failed": "Connection token renewal failed",
  "connection.reconnected": "Connection reconnected",
  "connection.origins_changed": "Connection allowed origins changed",
  "connection.oauth_started": "Connection authorization started",
  "outbound.blocked": "Outbound request blocked",
  "flow.created": "Flow created",
  "flow.renamed": "Flow renamed",
  "flow.deleted": "Flow deleted",
  "flow.published": "Flow published",
  "flow.version_restored": "Flow version restored",
  "flow.activated": "Flow turned on",
  "flow.deactivated": "Flow turned off",
  "flow.imported": "Flow imported",
  "flow.webhook_created": "Webhook address created",
  "flow.webhook_signing_changed": "Webhook signature check changed",
  "flow.webhook_address_viewed": "Webhook address shown",
  "flow.step_tested": "Step tested",
  "run.started": "Run started",
  "run.cancelled": "Run cancelled",
  "run.approval_approved": "Approval given",
  "run.approval_rejected": "Approval refused",
  "run.held": "Run held by plan limit",
  "runs.released": "Held runs released",
  "keys.rotated": "Encryption keys rotated",
  "billing.checkout_started": "Checkout started",
  "billing.portal_opened": "Billing portal opened",
  "billing.plan_changed": "Plan changed",
  "billing.payment_failed": "Payment failed",
  "billing.payment_succeeded": "Payment succeeded",
  "billing.grace_ended": "Grace period ended",
  "billing.limit_reached": "Plan limit reached",
  "api_key.created": "API key created",
  "api_key.revoked": "API key revoked",
};

const SENTENCES: Record<TAuditAction, TFormatter> = {
  // Account events belong to a person, not a project: the project log never lists
  // them, but an account's own log (or an operator's export) words them the same way.
  "auth.sign_up": ({ who, details }) => [who, " signed up", details.method === "google" ? " with Google" : null],
  "auth.sign_in": ({ who, details }) => [
    who,
    " signed in",
    details.method === "google" ? " with Google" : null,
    details.method === "password" ? (str(details, "secondFactor") ? " with a password and a second factor" : " with a password") : null,
  ],
  "auth.sign_in_failed": ({ event, details }) => [
    "Sign-in failed for ",
    subjectToken(event, "an unknown address"),
    details.reason === "second_factor" ? " at the second-factor step" : null,
  ],
  "auth.lockout": ({ event }) => ["Sign-in for ", subjectToken(event, "an account"), " was paused after too many attempts"],
  "auth.sign_out_everywhere": ({ who }) => [who, " signed out of every device"],
  "auth.password_changed": ({ who }) => [who, " changed their password"],
  "auth.password_reset": ({ who }) => [who, " reset their password"],
  "auth.password_reset_requested": ({ who, event, details, isFailure }) =>
    isFailure
      ? ["A password reset was asked for ", subjectToken(event, "an address"), "; no link was sent"]
      : details.via === "operator"
        ? ["An operator created a password reset link for ", who]
        : [who, " asked for a password reset link"],
  "auth.email_verified": ({ who }) => [who, " verified their email address"],
  "auth.two_factor_enabled": ({ who }) => [who, " turned on two-factor authentication"],
  "auth.two_factor_disabled": ({ who }) => [who, " turned off two-factor authentication"],
  // The account is gone by the time anyone reads this: the address it had is the subject.
  "auth.account_deleted": ({ who, event }) => [event.by.kind !== "person" && event.subject ? token(event.subject) : who, " deleted their account"],
  "auth.google_linked": ({ who, details }) => [
    who,
    " linked the Google account ",
    str(details, "googleEmail") ? token(str(details, "googleEmail")!) : "of the same address",
  ],
  "auth.google_takeover": ({ who }) => [who, " claimed the account by signing in with Google; its password and second factor were removed"],

  "project.created": ({ who, details }) => [who, " created the project", str(details, "name") ? [" ", name(str(details, "name")!)] : null],
  "project.renamed": ({ who, details }) => [who, " renamed the project", renamePhrase(details)],
  "project.deleted": ({ who, details }) => [who, " deleted the project", str(details, "name") ? [" ", name(str(details, "name")!)] : null],
  "project.invitation_sent": ({ who, event, details }) => [who, " invited ", subjectToken(event, "someone"), roleSuffix(details, "role", " as ")],
  "project.invitation_resent": ({ who, event }) => [who, " sent the invitation to ", subjectToken(event, "someone"), " again"],
  "project.invitation_revoked": ({ who, event }) => [who, " revoked the invitation to ", subjectToken(event, "someone")],
  "project.invitation_accepted": ({ who, details }) =>
    details.isAlreadyMember === true
      ? [who, " accepted an invitation but was already a member"]
      : [who, " accepted the invitation and joined", roleSuffix(details, "role", " as ")],
  "project.role_changed": ({ who, event, details }) => [
    who,
    " changed the role of ",
    member(event.refs.member),
    str(details, "from") && str(details, "to") ? [" from ", roleName(str(details, "from")!), " to ", roleName(str(details, "to")!)] : null,
  ],
  "project.member_removed": ({ who, event, details }) => [
    who,
    " removed ",
    member(event.refs.member),
    str(details, "role") ? [" (", roleName(str(details, "role")!), ")"] : null,
    " from the project",
  ],
  "project.member_left": ({ who, details }) => [who, " left the project", str(details, "role") ? [" (was ", roleName(str(details, "role")!), ")"] : null],
  "project.ownership_transferred": ({ who, event, details }) => [
    who,
    " made ",
    member(event.refs.member),
    " an owner",
    str(details, "previousOwnerRole") ? [" and became ", article(roleName(str(details, "previousOwnerRole")!))] : null,
  ],

  "connection.created": ({ who, event, details, facts }) => {
    addFact(facts, "Type", connectionTypeName(str(details, "type")));
    return [who, " created ", connection(event)];
  },
  "connection.updated": ({ who, event, details, facts }) => {
    addFact(facts, "Changed", listOf(strings(details, "changed").map(settingName)));
    return [who, " updated ", connection(event)];
  },
  "connection.deleted": ({ who, event, details, facts }) => {
    addFact(facts, "Type", connectionTypeName(str(details, "type")));
    return [who, " deleted ", connection(event)];
  },
  "connection.tested": ({ who, event, details, isFailure, facts }) => {
    const status = num(details, "status");
    addFact(facts, "Answer", status === null ? null : `HTTP ${status}`);
    return [who, " tested ", connection(event), isFailure ? ": the test failed" : ": it works"];
  },
  "connection.authorized": ({ who, event, details, facts }) => {
    if (details.hasRefreshToken === false) facts.push({ label: "Renewal", value: "No refresh token: reconnect when access expires" });
    return [who, " authorized ", connection(event), providerSuffix(details)];
  },
  "connection.refreshed": ({ event }) => ["The access token of ", connection(event), " was renewed"],
  "connection.refresh_failed": ({ event, details, facts }) => {
    addFact(facts, "Reason", str(details, "error") ? tokenErrorName(str(details, "error")!) : null);
    return ["The access token of ", connection(event), " could not be renewed; the connection needs reconnecting"];
  },
  "connection.reconnected": ({ who, event, details }) => [who, " reconnected ", connection(event), providerSuffix(details)],
  "connection.origins_changed": ({ who, event, details, facts }) => {
    addFact(facts, "Allowed origins before", listOf(strings(details, "oldOrigins")) ?? "none");
    addFact(facts, "Allowed origins now", listOf(strings(details, "newOrigins")) ?? "none");
    addFact(facts, "Addresses changed", listOf(strings(details, "changed").map(settingName)));
    if (details.secretReentered === true) facts.push({ label: "Credential", value: "Entered again" });
    return [who, " changed where ", connection(event), " may send its credential"];
  },
  "connection.oauth_started": ({ who, event, details, facts }) => {
    addFact(facts, "Authorization server", str(details, "authorizationOrigin"));
    return [who, " started authorizing ", connection(event), providerSuffix(details)];
  },

  "outbound.blocked": ({ event, details, facts }) => {
    const target = str(details, "origin") ?? str(details, "host");
    const range = str(details, "range");
    if (range) facts.push({ label: "Address range", value: range.replaceAll("_", " ") });
    return ["A request", target ? [" to ", token(target)] : null, " was blocked", blockedWhere(event, details), ": ", blockReason(str(details, "reason"))];
  },

  "flow.created": ({ who, event }) => [who, " created ", flow(event)],
  "flow.renamed": ({ who, event, details }) => [
    who,
    " renamed ",
    flow(event, { name: str(details, "from") ?? undefined }),
    str(details, "to") ? [" to ", name(str(details, "to")!)] : null,
  ],
  "flow.deleted": ({ who, event }) => [who, " deleted ", flow(event)],
  "flow.published": ({ who, event, details }) => {
    const version = num(details, "version");
    return [who, " published ", version === null ? "a new version" : `version ${version}`, " of ", flow(event, { bare: true })];
  },
  "flow.version_restored": ({ who, event, details }) => {
    const version = num(details, "version");
    return [who, " restored ", version === null ? "an earlier version" : `version ${version}`, " of ", flow(event, { bare: true }), " as the draft"];
  },
  "flow.activated": ({ who, event }) => [who, " turned on ", flow(event)],
  "flow.deactivated": ({ who, event, details }) =>
    details.reason === "connection_needs_reconnect"
      ? ["Vaultflow turned off ", flow(event), " because ", connection(event), " needs reconnecting"]
      : [who, " turned off ", flow(event)],
  "flow.imported": ({ who, event, details, facts }) => {
    const steps = num(details, "steps");
    const unresolved = num(details, "unresolved");
    addFact(facts, "Steps", steps === null ? null : String(steps));
    if (unresolved) facts.push({ label: "Connections to choose", value: String(unresolved) });
    return [who, " imported ", flow(event), unresolved ? [`; ${count(unresolved, "step needs", "steps need")} a connection chosen`] : null];
  },
  "flow.webhook_address_viewed": ({ who, event, details }) => [
    who,
    details.withSecret === true ? " showed the GitHub webhook address and secret of " : " showed the webhook address of ",
    flow(event, { bare: true }),
  ],
  "flow.webhook_created": ({ who, event, details }) =>
    details.replaced === true
      ? [who, " replaced the webhook address of ", flow(event, { bare: true }), "; the old address no longer starts runs"]
      : [who, " created a webhook address for ", flow(event, { bare: true })],
  "flow.webhook_signing_changed": ({ who, event, details, facts }) => {
    if (details.enabled === false) return [who, " turned off signature checks for the webhook of ", flow(event, { bare: true })];
    const algorithm = str(details, "algorithm");
    addFact(facts, "Algorithm", algorithm ? `HMAC-${algorithm.toUpperCase()}` : null);
    addFact(facts, "Signature header", str(details, "header"));
    if (typeof details.timestamped === "boolean") facts.push({ label: "Timestamp", value: details.timestamped ? "Checked" : "Not checked" });
    return [who, " turned on signature checks for the webhook of ", flow(event, { bare: true })];
  },
  "flow.step_tested": ({ who, event, details, isFailure }) => [
    who,
    " tested ",
    stepTypeName(str(details, "type")),
    " in ",
    flow(event, { bare: true }),
    isFailure ? "; the test failed" : null,
  ],

  "run.started": ({ who, event, details }) => {
    if (details.trigger === "rerun") return [who, " ran ", flow(event, { bare: true }), " again with the input of ", previousRun(event)];
    if (details.trigger === "retry") return [who, " retried ", previousRun(event), " from its failed step"];
    return [who, " started ", run(event, "a run"), " of ", flow(event, { bare: true })];
  },
  "run.cancelled": ({ who, event }) => [who, " cancelled ", run(event, "a run"), " of ", flow(event, { bare: true })],
  "run.approval_approved": ({ who, event }) => [who, " gave approval to ", run(event, "a run"), " of ", flow(event, { bare: true })],
  "run.approval_rejected": ({ who, event }) => [who, " refused approval to ", run(event, "a run"), " of ", flow(event, { bare: true })],
  "run.held": ({ event }) => [run(event, "A run"), " of ", flow(event, { bare: true }), " is waiting: the plan's monthly step limit is reached"],
  "runs.released": ({ details }) => {
    const released = num(details, "count") ?? 0;
    return [`${count(released, "held run", "held runs")} ${released === 1 ? "was" : "were"} released`, planSuffix(details, "plan", " on the ", " plan")];
  },
  "keys.rotated": ({ who, event, details, isFailure, facts }) => {
    const failures = Array.isArray(details.failures) ? details.failures.length : 0;
    if (failures) facts.push({ label: "Values that could not be opened", value: String(failures) });
    addFact(facts, "Current key", str(details, "toKeyId"));
    const unfinished = isFailure || details.isComplete === false ? "; some values are not done yet" : null;
    return event.by.kind === "system"
      ? ["Stored secrets were re-encrypted with the current key", unfinished]
      : [who, " re-encrypted stored secrets with the current key", unfinished];
  },

  "billing.checkout_started": ({ who, details }) => [who, " started checkout", planSuffix(details, "plan", " for the ", " plan"), intervalSuffix(details)],
  "billing.portal_opened": ({ who }) => [who, " opened the billing portal"],
  "billing.plan_changed": ({ details }) => [
    "The plan changed",
    str(details, "from") ? [" from ", planName(str(details, "from")!)] : null,
    str(details, "to") ? [" to ", planName(str(details, "to")!)] : null,
    intervalSuffix(details),
  ],
  "billing.payment_failed": ({ event, details, facts }) => {
    const attempt = num(details, "attempt");
    addFact(facts, "Attempt", attempt === null ? null : String(attempt));
    const graceEnds = str(details, "graceEndsAt");
    return ["Payment failed", graceEnds ? `; paid limits stay until ${day(graceEnds, event.at)}` : null];
  },
  "billing.payment_succeeded": ({ details }) => ["Payment succeeded", details.endedGracePeriod === true ? "; the grace period is over" : null],
  "billing.grace_ended": ({ details }) => [
    "The grace period ended without payment",
    planSuffix(details, "plan", "; the ", " plan's limits no longer apply"),
    "; the project has the Free plan's limits",
  ],
  "billing.limit_reached": ({ who, event, details }) => {
    const limit = num(details, "value");
    if (details.limit === "stepExecutionsPerMonth") {
      const periodEnd = str(details, "periodEnd");
      return [
        "The project used all",
        limit === null ? null : ` ${limit.toLocaleString("en")}`,
        " step executions of this period; new runs wait",
        periodEnd ? ` until ${day(periodEnd, event.at)}` : null,
      ];
    }
    const what = details.limit === "activeFlows" ? "active flow" : details.limit === "members" ? "member" : null;
    return [
      event.by.kind === "system" ? "A plan limit was reached" : [who, " hit a plan limit"],
      what && limit !== null ? [": the ", planName(str(details, "plan") ?? ""), " plan allows ", count(limit, what, `${what}s`)] : null,
    ];
  },

  "api_key.created": ({ who, details, facts }) => {
    addFact(facts, "Scopes", listOf(strings(details, "scopes")));
    addFact(facts, "Starts with", str(details, "prefix"));
    const expiresAt = str(details, "expiresAt");
    facts.push({ label: "Expires", value: expiresAt ? day(expiresAt, new Date(0)) : "Never" });
    return [who, " created the API key", str(details, "name") ? [" ", name(str(details, "name")!)] : null];
  },
  "api_key.revoked": ({ who, details, facts }) => {
    addFact(facts, "Starts with", str(details, "prefix"));
    return [who, " revoked the API key", str(details, "name") ? [" ", name(str(details, "name")!)] : null];
  },
};

/** An action this module does not know: its label, and who did it. Never its details. */
const fallbackSentence: TFormatter = ({ event, who }) =>
  event.by.kind === "system" ? [humanizeAction(event.action)] : [humanizeAction(event.action), " by ", who];

// ---- phrases --------------------------------------------------------------------

function whoSegments(by: TAuditBy): TAuditSegment[] {
  switch (by.kind) {
    case "person":
      return [{ kind: "person", text: by.name?.trim() || by.email }];
    case "api_key":
      return [
        { kind: "text", text: "API key " },
        { kind: "name", text: by.name, href: null },
      ];
    case "deleted_user":
      return [{ kind: "text", text: "A deleted user" }];
    case "system":
      return [{ kind: "person", text: "Vaultflow" }];
  }
}

function member(ref: TAuditPersonRef | undefined): TPart {
  if (!ref) return "a member";
  if (ref.name) return { kind: "person", text: ref.name };
  if (ref.email) return token(ref.email);
  return "a deleted user";
}

type TThingOptions = { bare?: boolean; name?: string };

/** "the flow “Order sync”", or with `bare` just "“Order sync”"; "a deleted flow" when it has no name. */
function flow(event: TAuditEventView, options: TThingOptions = {}): TPart {
  return thing("flow", event.refs.flow, event.refs.flow ? `/projects/${event.projectId}/flows/${event.refs.flow.id}` : null, options);
}

function connection(event: TAuditEventView): TPart {
  const ref = event.refs.connection;
  return thing("connection", ref, ref ? `/projects/${event.projectId}/connections/${ref.id}` : null, {});
}

function thing(noun: string, ref: TAuditRef | undefined, href: string | null, { bare, name: storedName }: TThingOptions): TPart {
  // A rename names the flow by its name before the rename (the sentence gives the new one).
  const text = storedName ?? ref?.name;
  if (!text) return ref ? `a deleted ${noun}` : `a ${noun}`;
  const segment: TAuditSegment = { kind: "name", text, href: ref?.exists ? href : null };
  return bare ? segment : [`the ${noun} `, segment];
}

/** Runs have no names: the words themselves ("a run") link to the run while it exists. */
function run(event: TAuditEventView, text: string): TPart {
  const ref = event.refs.run;
  if (!ref?.exists) return text;
  return { kind: "link", text, href: `/projects/${event.projectId}/runs/${ref.id}` } satisfies TAuditSegment;
}

function previousRun(event: TAuditEventView): TPart {
  const ref = event.refs.previousRun;
  if (!ref?.exists) return "an earlier run";
  return { kind: "link", text: "an earlier run", href: `/projects/${event.projectId}/runs/${ref.id}` } satisfies TAuditSegment;
}

function renamePhrase(details: TDetails): TPart {
  const from = str(details, "from");
  const to = str(details, "to");
  return [from ? [" from ", name(from)] : null, to ? [" to ", name(to)] : null];
}

function blockedWhere(event: TAuditEventView, details: TDetails): TPart {
  if (details.purpose === "oauth-token") return [" while getting an access token for ", connection(event)];
  if (details.source === "step-test") return [" while a step of ", flow(event, { bare: true }), " was tested"];
  if (details.source === "app-picker") return [" while listing a step's choices from an app"];
  if (details.runId !== undefined) return [" in ", run(event, "a run"), event.refs.flow ? [" of ", flow(event, { bare: true })] : null];
  if (details.connectionId !== undefined) return [" while testing ", connection(event)];
  return null;
}

const BLOCK_REASONS: Record<string, string> = {
  invalid_url: "the address is not a valid URL",
  scheme: "only http and https addresses are allowed",
  userinfo: "the address carries a user name or password",
  method: "that HTTP method is not allowed",
  blocked_address: "the address is in a range this installation does not reach",
  too_many_redirects: "it was redirected too many times",
  header_injection: "a header contained a line break",
  invalid_header: "a header is not allowed",
  insecure_credential: "a credential would have travelled over plain http",
  connection_origin: "the connection's credential may not be sent there",
};

function blockReason(reason: string | null): string {
  return (reason && BLOCK_REASONS[reason]) || "the outbound policy refused it";
}

const ROLE_NAMES: Record<string, string> = { OWNER: "Owner", EDITOR: "Editor", VIEWER: "Viewer" };
const PLAN_NAMES: Record<string, string> = { FREE: "Free", PRO: "Pro", TEAM: "Team" };
const CONNECTION_TYPES: Record<string, string> = {
  API_KEY: "API key",
  BEARER: "Bearer token",
  BASIC: "User name and password",
  OAUTH2_CODE: "OAuth 2 (sign in with the service)",
  OAUTH2_CLIENT_CREDENTIALS: "OAuth 2 (client credentials)",
  SMTP: "SMTP server (email)",
};
const PROVIDERS: Record<string, string> = { github: "GitHub", google: "Google", slack: "Slack" };
const STEP_TYPES: Record<string, string> = {
  "step.http": "an HTTP request step",
  "step.transform": "a transform step",
  "step.condition": "a condition step",
  "step.delay": "a delay step",
  "step.respond": "a webhook response step",
  "trigger.manual": "the manual trigger",
  "trigger.webhook": "the webhook trigger",
  "trigger.schedule": "the schedule trigger",
};
const TOKEN_ERRORS: Record<string, string> = {
  invalid_grant: "The service no longer accepts the refresh token",
  invalid_client: "The service does not accept the client credentials",
  unauthorized_client: "The service does not allow this client to renew tokens",
};

function roleName(role: string): string {
  return ROLE_NAMES[role] ?? capitalize(role.toLowerCase().replaceAll("_", " "));
}

function roleSuffix(details: TDetails, key: string, before: string): TPart {
  const role = str(details, key);
  return role ? [before, roleName(role)] : null;
}

function planName(plan: string): string {
  return PLAN_NAMES[plan] ?? capitalize(plan.toLowerCase().replaceAll("_", " "));
}

function planSuffix(details: TDetails, key: string, before: string, after: string): TPart {
  const plan = str(details, key);
  return plan ? [before, planName(plan), after] : null;
}

function intervalSuffix(details: TDetails): TPart {
  const interval = str(details, "interval");
  if (interval === "month") return ", paid monthly";
  if (interval === "year") return ", paid yearly";
  return null;
}

function providerSuffix(details: TDetails): TPart {
  const provider = str(details, "provider");
  return provider && PROVIDERS[provider] ? [" with ", PROVIDERS[provider]] : null;
}

function connectionTypeName(type: string | null): string | null {
  return type ? (CONNECTION_TYPES[type] ?? humanizeKey(type.toLowerCase())) : null;
}

function stepTypeName(type: string | null): string {
  return (type && STEP_TYPES[type]) || "a step";
}

function tokenErrorName(code: string): string {
  return TOKEN_ERRORS[code] ?? `The service refused the renewal (${code.replaceAll("_", " ")})`;
}

/** "settings.allowedOrigins" → "allowed origins", "secret.clientSecret" → "client secret". */
function settingName(key: string): string {
  return humanizeKey(key.slice(key.lastIndexOf(".") + 1));
}

function humanizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .toLowerCase()
    .replace(/\b(url|id|http|oauth|api)\b/g, (word) => (word === "oauth" ? "OAuth" : word.toUpperCase()));
}

function humanizeAction(action: string): string {
  const words = action.replace(/[._]+/g, " ").trim().toLowerCase();
  return capitalize(words || "Something happened");
}

// ---- small helpers --------------------------------------------------------------

function name(text: string): TAuditSegment {
  return { kind: "name", text, href: null };
}

function token(text: string): TAuditSegment {
  return { kind: "token", text };
}

function subjectToken(event: TAuditEventView, otherwise: string): TPart {
  return event.subject ? token(event.subject) : otherwise;
}

function addFact(facts: TAuditFact[], label: string, value: string | null): void {
  if (value) facts.push({ label, value });
}

function article(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? "an" : "a"} ${word}`;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

function listOf(values: string[]): string | null {
  return values.length ? values.join(", ") : null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "14 Dec" in UTC, with the year when it is not the year of `relativeTo`. */
function day(iso: string, relativeTo: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "later";
  const sameYear = date.getUTCFullYear() === relativeTo.getUTCFullYear();
  // No-break spaces: "14 Dec" never splits across two lines.
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }), timeZone: "UTC" })
    .format(date)
    .replaceAll(" ", "\u00a0");
}

function str(details: TDetails, key: string): string | null {
  const value = details[key];
  return typeof value === "string" && value !== "" ? value : null;
}

function num(details: TDetails, key: string): number | null {
  const value = details[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function strings(details: TDetails, key: string): string[] {
  const value = details[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function isRecord(value: TAuditJson): value is TDetails {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Flattens the parts into segments: strings become text, adjacent text merges. */
function join(parts: TPart[]): TAuditSegment[] {
  const out: TAuditSegment[] = [];
  const visit = (part: TPart) => {
    if (part === null || part === undefined || part === false || part === "") return;
    if (Array.isArray(part)) return part.forEach(visit);
    const segment: TAuditSegment = typeof part === "string" ? { kind: "text", text: part } : part;
    const last = out.at(-1);
    if (segment.kind === "text" && last?.kind === "text") out[out.length - 1] = { kind: "text", text: last.text + segment.text };
    else out.push(segment);
  };
  parts.forEach(visit);
  return out;
}
