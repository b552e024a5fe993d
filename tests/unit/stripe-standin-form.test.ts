// The stand-in must read request bodies as Stripe does, or tests against it prove little.
import { describe, expect, it } from "vitest";
import { parseStripeForm } from "../support/stripe-standin";

describe("parseStripeForm (Stripe's bracket notation)", () => {
  it("builds nested objects and indexed arrays", () => {
    const body = new URLSearchParams([
      ["mode", "subscription"],
      ["line_items[0][price]", "price_pro"],
      ["line_items[0][quantity]", "1"],
      ["metadata[projectId]", "p1"],
      ["subscription_data[metadata][projectId]", "p1"],
      ["expand[0]", "customer"],
      ["expand[1]", "subscription"],
    ]).toString();
    expect(parseStripeForm(body)).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_pro", quantity: "1" }],
      metadata: { projectId: "p1" },
      subscription_data: { metadata: { projectId: "p1" } },
      expand: ["customer", "subscription"],
    });
  });

  it("appends for empty brackets and refuses prototype keys", () => {
    expect(parseStripeForm("expand[]=a&expand[]=b")).toEqual({ expand: ["a", "b"] });
    expect(() => parseStripeForm("metadata[__proto__][x]=1")).toThrow();
    expect(() => parseStripeForm("a]b=1")).toThrow();
  });
});
