// Templates built on app steps (Slack, Stripe, ...): each app step's connection is left
// for the person to choose, so the editor lists it and the publish check asks for it.
import {
  chain,
  dailyReportFetchConnection,
  dailyReportSteps,
  failedPaymentLinks,
  failedPaymentSteps,
  slackPost,
  smtpEmail,
  stripeCustomerConnection,
  webhookTrigger,
} from "./steps";
import { at, connectionStep, flowDocument, link, step, type TFlowTemplate } from "./template";

export const dailyReportToSlack: TFlowTemplate = {
  id: "daily-report-slack",
  title: "Daily report from an API → Slack",
  description: "Every weekday at 09:00 UTC: read figures from an API, write a one-line summary and post it to a Slack channel.",
  apps: ["schedule", "http", "transform", "slack"],
  connectionSteps: [dailyReportFetchConnection(), { nodeId: "post", connection: "a Slack connection" }],
  document: () =>
    flowDocument(
      [...dailyReportSteps(), slackPost("post", "Post to Slack", "#reports", "Daily report: {{steps.summary.output}}", at(3))],
      chain("schedule", "fetch", "summary", "post"),
    ),
};

export const failedPaymentToSlack: TFlowTemplate = {
  id: "stripe-payment-failed-slack",
  title: "Stripe payment failed → tell the team on Slack",
  description:
    "Point a Stripe webhook (invoice.payment_failed) at the flow's address: it looks the customer up in Stripe and posts who failed to pay, and how much, to a Slack channel.",
  apps: ["webhook", "condition", "stripe", "slack"],
  connectionSteps: [stripeCustomerConnection(), { nodeId: "notify", connection: "a Slack connection" }],
  document: () =>
    flowDocument(
      [
        ...failedPaymentSteps(),
        slackPost(
          "notify",
          "Tell the team",
          "#billing",
          "Payment failed: {{steps.customer.output.customer.name}} ({{trigger.body.data.object.customer_email}}) owes {{trigger.body.data.object.amount_due}} {{trigger.body.data.object.currency}}.",
          at(3),
        ),
      ],
      [...failedPaymentLinks(), link("customer", "notify")],
    ),
};

export const failedPaymentEmail: TFlowTemplate = {
  id: "stripe-payment-failed-email",
  title: "Stripe payment failed → email the customer",
  description:
    "Point a Stripe webhook (invoice.payment_failed) at the flow's address: it looks the customer up in Stripe and emails them, through your mail server, a note to update their card.",
  apps: ["webhook", "condition", "stripe", "email"],
  connectionSteps: [stripeCustomerConnection(), { nodeId: "email", connection: "an SMTP (mail server) connection" }],
  document: () =>
    flowDocument(
      [
        ...failedPaymentSteps(),
        smtpEmail(
          "email",
          "Email the customer",
          {
            to: "{{trigger.body.data.object.customer_email}}",
            subject: "Your payment did not go through",
            text: "Hello {{steps.customer.output.customer.name}},\n\nwe could not take your last payment. Please update your card: {{trigger.body.data.object.hosted_invoice_url}}\n\nThank you.",
          },
          at(3),
        ),
      ],
      [...failedPaymentLinks(), link("customer", "email")],
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
        webhookTrigger("Form sent"),
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
      chain("webhook", "notify"),
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
        slackPost(
          "notify",
          "Post to Slack",
          "#dev",
          "New issue in {{trigger.body.repository.full_name}}: {{trigger.body.issue.title}}\n{{trigger.body.issue.html_url}}",
          at(1),
        ),
      ],
      chain("github", "notify"),
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
        webhookTrigger("Form sent"),
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
        smtpEmail(
          "confirm",
          "Confirm to the sender",
          {
            to: "{{trigger.body.email}}",
            subject: "We got your message",
            text: "Hello {{trigger.body.name}},\n\nthank you: we got your message and will answer soon.",
          },
          at(2),
        ),
      ],
      chain("webhook", "log", "confirm"),
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
