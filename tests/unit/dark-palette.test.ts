// Dark mode remaps Tailwind's palette variables in app/globals.css. This reads both palettes
// (light: Tailwind's own theme.css plus the app's @theme; dark: the light one overridden by the
// `prefers-color-scheme: dark` block) and holds every text/background pair the pages use to
// WCAG AA (4.5:1) in both, measured as a browser on an sRGB screen shows the colours.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RUN_STATUS_STYLES } from "@/lib/runs/run-status";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const AA = 4.5;

// ---- colour arithmetic (CSS Color 4 OKLCH → sRGB, WCAG 2 relative luminance) ----

type TRgb = [number, number, number];

function oklchToSrgb(l: number, c: number, hDeg: number): TRgb {
  const h = (hDeg * Math.PI) / 180;
  const a = c * Math.cos(h);
  const b = c * Math.sin(h);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const linear: TRgb = [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
  return linear.map((x) => (x <= 0.0031308 ? 12.92 * x : 1.055 * Math.sign(x) * Math.abs(x) ** (1 / 2.4) - 0.055)) as TRgb;
}

/** sRGB channels in 0..1, unclipped (an out-of-gamut oklch() has channels outside it). */
function parseColor(value: string): TRgb {
  const text = value.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d).join("") : hex[1]!;
    return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16) / 255) as TRgb;
  }
  const oklch = /^oklch\(\s*([\d.]+)%\s+([\d.]+)\s+([\d.]+)\s*\)$/.exec(text);
  if (oklch) return oklchToSrgb(Number(oklch[1]) / 100, Number(oklch[2]), Number(oklch[3]));
  throw new Error(`cannot read the colour ${value}`);
}

function luminance(rgb: TRgb): number {
  const channel = (x: number) => {
    const c = Math.min(1, Math.max(0, x));
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(parseColor(a)), luminance(parseColor(b))].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// ---- the two palettes ----

type TPalette = Map<string, string>;

function colourVariables(block: string): TPalette {
  return new Map([...block.matchAll(/--color-([a-z]+(?:-\d+)?):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** The body of the first `{ … }` that opens at or after `from`. */
function braceBody(css: string, from: number): string {
  const open = css.indexOf("{", from);
  let depth = 0;
  for (let i = open; i < css.length; i += 1) {
    if (css[i] === "{") depth += 1;
    if (css[i] === "}" && (depth -= 1) === 0) return css.slice(open + 1, i);
  }
  throw new Error("unbalanced braces");
}

const globals = read("app/globals.css");
const tailwindTheme = braceBody(read("node_modules/tailwindcss/theme.css"), read("node_modules/tailwindcss/theme.css").indexOf("@theme"));
const appTheme = braceBody(globals, globals.indexOf("@theme"));
const darkMedia = globals.indexOf("@media (prefers-color-scheme: dark)");
const darkRoot = darkMedia < 0 ? "" : braceBody(globals, globals.indexOf(":root", darkMedia));
const darkBlock = colourVariables(darkRoot);

const LIGHT: TPalette = new Map([...colourVariables(tailwindTheme), ...colourVariables(appTheme)]);
const DARK: TPalette = new Map([...LIGHT, ...darkBlock]);

function colourOf(palette: TPalette, name: string): string {
  const value = palette.get(name);
  if (!value) throw new Error(`--color-${name} is not in the palette`);
  return value;
}

// ---- the pairs the pages use ----

const COLOUR = String.raw`(white|black|ink|[a-z]+-\d{2,3})`;
const BG = new RegExp(String.raw`^bg-${COLOUR}$`);
const TEXT = new RegExp(String.raw`^text-${COLOUR}$`);

/** `text/bg` for each background and text colour written together in one class string. */
function pairsIn(source: string): string[] {
  const pairs = new Set<string>();
  // A class string ends at a quote, backtick or brace (template parts and ternary arms apart).
  for (const segment of source.split(/["'`{}]/)) {
    const classes = segment.split(/\s+/);
    const bgs = classes.flatMap((c) => BG.exec(c)?.[1] ?? []);
    const texts = classes.flatMap((c) => TEXT.exec(c)?.[1] ?? []);
    for (const bg of bgs) for (const text of texts) pairs.add(`${text}/${bg}`);
  }
  return [...pairs];
}

const sourceFiles = execFileSync("git", ["ls-files", "app", "components", "lib"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((file) => /\.tsx?$/.test(file));
const pairsByFile = new Map(sourceFiles.map((file) => [file, pairsIn(read(file))]));

/** Pairs read off the surfaces and text that most of the pages are made of, and hover fills. */
const CORE_PAIRS = [
  "ink/white",
  "slate-900/white",
  "slate-800/white",
  "slate-700/white",
  "slate-600/white",
  "slate-500/white",
  "slate-900/slate-50",
  "slate-700/slate-50",
  "slate-600/slate-50",
  "slate-500/slate-50",
  "slate-700/slate-100",
  "slate-600/slate-100",
  "brand-600/white",
  "brand-600/slate-50",
  "brand-600/slate-100",
  "brand-600/brand-50",
  "brand-700/white",
  "brand-700/brand-50",
  "white/brand-600",
  "white/brand-700",
  "white/red-700",
  "white/red-800",
  "red-700/white",
  "red-700/red-50",
  "red-800/white",
  "emerald-800/white",
];

const badgePairs = (styles: Iterable<string>) => [...styles].flatMap((classes) => pairsIn(classes));
const BADGE_FILES = [
  "components/connections/connection-status-badge.tsx",
  "components/connections/connection-actions-panel.tsx",
  "components/billing/billing-banner.tsx",
  "components/billing/held-run-notice.tsx",
  "components/billing/plan-summary.tsx",
  "components/billing/checkout-status.tsx",
];

function expectAA(pair: string, scheme: "light" | "dark") {
  const [text, bg] = pair.split("/") as [string, string];
  const palette = scheme === "light" ? LIGHT : DARK;
  const ratio = contrast(colourOf(palette, text), colourOf(palette, bg));
  expect(ratio, `text-${text} on bg-${bg} in ${scheme}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(AA);
}

describe("the dark palette block", () => {
  it("is there and remaps the neutral scale: white is a dark surface, slate-900 and ink are light text", () => {
    expect(darkBlock.size).toBeGreaterThan(40);
    expect(luminance(parseColor(colourOf(DARK, "white")))).toBeLessThan(0.03);
    expect(luminance(parseColor(colourOf(DARK, "slate-50")))).toBeLessThan(luminance(parseColor(colourOf(DARK, "white"))));
    for (const name of ["slate-900", "ink", "slate-600"]) expect(luminance(parseColor(colourOf(DARK, name))), name).toBeGreaterThan(0.45);
    expect(globals).toMatch(/:root\s*{\s*color-scheme:\s*light dark;/);
  });

  it("holds only colours inside sRGB, so every screen shows what these contrasts measure", () => {
    for (const [name, value] of darkBlock) {
      for (const channel of parseColor(value)) expect(channel, `--color-${name}: ${value}`).toBeGreaterThanOrEqual(-0.001);
      for (const channel of parseColor(value)) expect(channel, `--color-${name}: ${value}`).toBeLessThanOrEqual(1.001);
    }
  });

  it("covers every palette colour the code uses for text, backgrounds and borders (a new hue needs a dark mapping)", () => {
    const UNCHANGED_SHADES = new Set(["400", "500"]); // mid tones: bars and dots, readable on both
    const used = new Set<string>();
    for (const file of sourceFiles) {
      for (const m of read(file).matchAll(/\b(?:bg|text|border|divide|ring|outline|fill|stroke)-([a-z]+-\d{2,3}|white)\b/g)) used.add(m[1]!);
    }
    const unmapped = [...used].filter((name) => !darkBlock.has(name) && !UNCHANGED_SHADES.has(name.split("-")[1] ?? "") && LIGHT.has(name));
    expect(unmapped).toEqual([]);
  });
});

describe.each(["light", "dark"] as const)("AA contrast in the %s scheme", (scheme) => {
  it.each(CORE_PAIRS)("core pair %s", (pair) => expectAA(pair, scheme));

  it.each(badgePairs(Object.values(RUN_STATUS_STYLES)))("run status badge %s", (pair) => expectAA(pair, scheme));

  it.each(BADGE_FILES.flatMap((file) => (pairsByFile.get(file) ?? []).map((pair) => [pair, file])))("badge or banner %s (%s)", (pair) =>
    expectAA(pair, scheme),
  );

  it("every background and text colour written together in app/, components/ and lib/", () => {
    const below: string[] = [];
    for (const [file, pairs] of pairsByFile) {
      for (const pair of pairs) {
        const [text, bg] = pair.split("/") as [string, string];
        if (!LIGHT.has(text) || !LIGHT.has(bg)) continue; // not a palette colour (e.g. text-sm)
        const palette = scheme === "light" ? LIGHT : DARK;
        const ratio = contrast(colourOf(palette, text), colourOf(palette, bg));
        if (ratio < AA) below.push(`${file}: text-${text} on bg-${bg} ${ratio.toFixed(2)}:1`);
      }
    }
    expect(below).toEqual([]);
  });
});

describe("the contrast arithmetic", () => {
  it("agrees with known WCAG figures", () => {
    expect(contrast("#000", "#fff")).toBeCloseTo(21, 5);
    expect(contrast("#767676", "#fff")).toBeCloseTo(4.54, 2);
    // Tailwind's slate-500 is #62748e; slate-50 is #f8fafc.
    expect(contrast("oklch(55.4% 0.046 257.417)", "#f8fafc")).toBeCloseTo(contrast("#62748e", "#f8fafc"), 1);
  });
});
