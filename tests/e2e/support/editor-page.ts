// What the editor's browser tests share: the inspector and its step list, waiting for
// the draft to be saved, and an axe-core check for serious or critical violations.
import path from "node:path";
import type { Page } from "playwright-core";
import { projectRoot } from "../../support/app-server";

export const inspector = (page: Page) => page.getByTestId("inspector");
export const selectStep = (page: Page, id: string) => inspector(page).getByLabel("Selected step").selectOption(id);
export const saveStatus = (page: Page) => page.getByTestId("save-status");
export const waitSaved = (page: Page) => saveStatus(page).filter({ hasText: "All changes saved" }).waitFor();

type TAxe = { run: (context: Document) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };

/** axe-core's serious and critical violations on the page as it is now, as "rule: targets". */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: path.join(projectRoot, "node_modules/axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: TAxe }).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}
