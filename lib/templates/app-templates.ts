// Templates built on app steps (Slack, Stripe, ...): each app step's connection is left
// for the person to choose, so the editor lists it and the publish check asks for it.
import { at, connectionStep, flowDocument, link, step, type TFlowTemplate } from "./template";

export const dailyReportToSlack: TFlowTemplate = {
  id: "daily-report-slack",
  title: "Daily report from an API → Slack",
  description: "Every weekday at 09:00 UTC: read figures from an API, write a one-line summary and post it to a Slack channel.",
  apps: ["schedule", "http", "transform", "slack"],
  connectionSteps: [
    { nodeId: "fetch", connection: "an HTTP connection holding the API's key", optional: true },
    { nodeId: "post", connection: "a Slack connection" },
  ],
  document: () =>
    flowDocument(
      [
        step("schedule", "trigger.schedule", "Weekdays at 09:00", { cron: "0 9 * * 1-5", timezone: "UTC" }, at(0)),
        step(
          "fetch",
          "step.http",
          "Read yesterday's figures",
          { method: "GET", url: "https://api.example.com/reports/daily", connectionId: null, retry: { attempts: 3 } },
          at(1),
        ),
        step(
          "summary",
          "step.transform",
          "Write the summary",
          { expression: '"Orders: " & $string(steps.fetch.output.body.orders) & ", revenue: " & $string(steps.fetch.output.body.revenue)' },
          at(2),
        ),
        connectionStep(
          "post",
          "app.slack.post_message",
          "Post to Slack",
          { channel: "#reports", text: "Daily report: {{steps.summary.output}}", blocks: "" },
          at(3),
        ),
      ],
      [link("schedule", "fetch"), link("fetch", "summary"), link("summary", "post")],
    ),
};

export const failedPaymentToSlack: TFlowTemplate = {
  id: "stripe-payment-failed-slack",
  title: "Stripe payment failed → tell the team on Slack",
  description:
    "Point a Stripe webhook (invoice.payment_failed) at the flow's address: it looks the customer up in Stripe and posts who failed to pay, and how much, to a Slack channel.",
  apps: ["webhook", "condition", "stripe", "slack"],
  connectionSteps: [
    { nodeId: "customer", connection: "a Stripe connection (a read-only restricted key)" },
    { nodeId: "notify", connection: "a Slack connection" },
  ],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Stripe event", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        step(
          "isFailure",
          "step.condition",
          "Is it a failed payment?",
          { mode: "compare", left: "{{trigger.body.type}}", operator: "equals", right: "invoice.payment_failed" },
          at(1),
        ),
        connectionStep("customer", "app.stripe.find_customer", "Find the customer", { email: "{{trigger.body.data.object.customer_email}}", limit: 1 }, at(2)),
        connectionStep(
          "notify",
          "app.slack.post_message",
          "Tell the team",
          {
            channel: "#billing",
            text: "Payment failed: {{steps.customer.output.customer.name}} ({{trigger.body.data.object.customer_email}}) owes {{trigger.body.data.object.amount_due}} {{trigger.body.data.object.currency}}.",
            blocks: "",
          },
          at(3),
        ),
      ],
      [link("webhook", "isFailure"), link("isFailure", "customer", "true"), link("customer", "notify")],
    ),
};

export const failedPaymentEmail: TFlowTemplate = {
  id: "stripe-payment-failed-email",
  title: "Stripe payment failed → email the customer",
  description:
    "Point a Stripe webhook (invoice.payment_failed) at the flow's address: it looks the customer up in Stripe and emails them, through your mail server, a note to update their card.",
  apps: ["webhook", "condition", "stripe", "email"],
  connectionSteps: [
    { nodeId: "customer", connection: "a Stripe connection (a read-only restricted key)" },
    { nodeId: "email", connection: "an SMTP (mail server) connection" },
  ],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Stripe event", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        step(
          "isFailure",
          "step.condition",
          "Is it a failed payment?",
          { mode: "compare", left: "{{trigger.body.type}}", operator: "equals", right: "invoice.payment_failed" },
          at(1),
        ),
        connectionStep("customer", "app.stripe.find_customer", "Find the customer", { email: "{{trigger.body.data.object.customer_email}}", limit: 1 }, at(2)),
        connectionStep(
          "email",
          "app.email.send_smtp",
          "Email the customer",
          {
            to: "{{trigger.body.data.object.customer_email}}",
            subject: "Your payment did not go through",
            text: "Hello {{steps.customer.output.customer.name}},\n\nwe could not take your last payment. Please update your card: {{trigger.body.data.object.hosted_invoice_url}}\n\nThank you.",
          },
          at(3),
        ),
      ],
      [link("webhook", "isFailure"), link("isFailure", "customer", "true"), link("customer", "email")],
    ),
};

export const formToTeamEmail: TFlowTemplate = {
  id: "form-email-members",
  title: "Form webhook → email the team",
  description:
    "A website form posts to the webhook address; every owner and editor of the project gets an email with what was sent. No connection needed: Vaultflow's own mail server sends it.",
  apps: ["webhook", "email"],
  connectionSteps: [],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Form sent", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        step(
          "notify",
          "app.email.notify_members",
          "Email the team",
          {
            audience: "owners_editors",
            subject: "New form entry from {{trigger.body.name}}",
            text: "Name: {{trigger.body.name}}\nEmail: {{trigger.body.email}}\n\n{{trigger.body.message}}",
          },
          at(1),
        ),
      ],
      [link("webhook", "notify")],
    ),
};

export const githubIssueToSlack: TFlowTemplate = {
  id: "github-issue-slack",
  title: "GitHub issue → Slack message",
  description:
    "When someone opens an issue in your repository, post its title and link to a Slack channel. Set up the GitHub trigger's address and secret in the repository's webhook settings.",
  apps: ["github", "slack"],
  connectionSteps: [{ nodeId: "notify", connection: "a Slack connection", then: "check the channel" }],
  document: () =>
    flowDocument(
      [
        step("github", "trigger.github", "Issue opened", { events: ["issues.opened"] }, at(0)),
        connectionStep(
          "notify",
          "app.slack.post_message",
          "Post to Slack",
          {
            channel: "#dev",
            text: "New issue in {{trigger.body.repository.full_name}}: {{trigger.body.issue.title}}\n{{trigger.body.issue.html_url}}",
            blocks: "",
          },
          at(1),
        ),
      ],
      [link("github", "notify")],
    ),
};

export const formToSheetAndEmail: TFlowTemplate = {
  id: "form-sheets-email",
  title: "Form webhook → Google Sheets row + email",
  description:
    "A website form posts to the webhook address; each entry becomes a row of a Google Sheet, and the sender gets a confirmation email through your mail server.",
  apps: ["webhook", "google_sheets", "email"],
  connectionSteps: [
    { nodeId: "log", connection: "a Google Sheets connection", then: "pick the spreadsheet and the sheet" },
    { nodeId: "confirm", connection: "an SMTP (mail server) connection" },
  ],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Form sent", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        connectionStep(
          "log",
          "app.google_sheets.append_row",
          "Add a row",
          {
            spreadsheetId: "Paste the spreadsheet's address here",
            sheetName: "Form entries",
            valuesMode: "list",
            values: '["{{trigger.body.name}}", "{{trigger.body.email}}", "{{trigger.body.message}}"]',
            valueInputOption: "RAW",
          },
          at(1),
        ),
        connectionStep(
          "confirm",
          "app.email.send_smtp",
          "Confirm to the sender",
          {
            to: "{{trigger.body.email}}",
            subject: "We got your message",
            text: "Hello {{trigger.body.name}},\n\nthank you: we got your message and will answer soon.",
          },
          at(2),
        ),
      ],
      [link("webhook", "log"), link("log", "confirm")],
    ),
};

export const APP_TEMPLATES: readonly TFlowTemplate[] = [
  githubIssueToSlack,
  formToSheetAndEmail,
  dailyReportToSlack,
  failedPaymentEmail,
  failedPaymentToSlack,
  formToTeamEmail,
];
