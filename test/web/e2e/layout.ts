/**
 * The editor's layout, measured from the DOM: at a viewport size, every
 * part of the page is inside the window, no two parts overlap, nothing is
 * cut off by a box that does not scroll, and no text spills out of its box.
 * Shared by the e2e test and by anyone tuning web/style.css.
 * @module
 */
import type { Page } from "playwright-core";

/** The page's parts: none may overlap another or leave the window. */
export const PARTS = [
  "#banner", "#connection", "#clock", "#tempo-box", "#meters", "#counters", "#hush", "#help-button",
  "#tabs", "#editor", "#pianoroll", "#scope", "#slots", "#patterns", "#pattern-save-box", "#sound-search", "#sounds", "#sound-fetch-box", "#message", "#together", "#device",
];

/** The least room a part needs to be of use (the pattern list: three rows). */
const MIN_SIZE: Record<string, { width?: number; height?: number }> = {
  "#editor": { width: 400, height: 200 },
  "#patterns": { height: 88 },
  "#sounds": { height: 88 },
  "#slots": { height: 28 },
};

/** Boxes whose text is ellipsised by design (the whole line is in their tooltip). */
const ELLIPSISED = ["#message", ".pattern-name", ".sound-name", ".tab .name", ".slot-by"];

/** Every problem with the layout now, as "what: why" lines (empty when there is none). */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(
    ([parts, ellipsised, minSize]) => {
      const problems: string[] = [];
      const W = window.innerWidth;
      const H = window.innerHeight;
      const EPS = 0.5;
      const name = (el: Element) => el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}${(el as HTMLElement).innerText ? ` "${(el as HTMLElement).innerText.trim().slice(0, 20)}"` : ""}`;
      const visible = (el: Element) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0 && !el.closest("[hidden]");
      };
      const root = document.documentElement;
      if (root.scrollWidth > W + EPS || root.scrollHeight > H + EPS) problems.push(`the page scrolls: ${root.scrollWidth}x${root.scrollHeight} in ${W}x${H}`);

      // the parts: in the window, and apart
      const shown = parts.map((sel) => document.querySelector(sel)).filter((el): el is Element => el !== null && visible(el));
      for (const el of shown) {
        const r = el.getBoundingClientRect();
        if (r.left < -EPS || r.top < -EPS || r.right > W + EPS || r.bottom > H + EPS) {
          problems.push(`${name(el)}: outside the window (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)} in ${W}x${H})`);
        }
      }
      for (const [sel, min] of Object.entries(minSize)) {
        const el = document.querySelector(sel);
        if (!el || !visible(el)) continue;
        const r = el.getBoundingClientRect();
        if ((min.width && r.width < min.width) || (min.height && r.height < min.height)) {
          problems.push(`${sel}: too small to use (${Math.round(r.width)}x${Math.round(r.height)}; needs ${min.width ?? "-"}x${min.height ?? "-"})`);
        }
      }
      for (let i = 0; i < shown.length; i++) {
        for (let j = i + 1; j < shown.length; j++) {
          const a = shown[i]!.getBoundingClientRect();
          const b = shown[j]!.getBoundingClientRect();
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1 && !shown[i]!.contains(shown[j]!) && !shown[j]!.contains(shown[i]!)) {
            problems.push(`${name(shown[i]!)} and ${name(shown[j]!)} overlap (${Math.round(w)}x${Math.round(h)} px)`);
          }
        }
      }

      // inside the parts (the editor's own text is Monaco's: it scrolls and wraps)
      const editor = document.querySelector("#editor");
      for (const el of document.querySelectorAll("body *")) {
        if (!visible(el) || editor?.contains(el) || el.closest(".monaco-aria-container, #help")) continue;
        const r = el.getBoundingClientRect();
        // cut off by an ancestor that hides its overflow (one that scrolls keeps it reachable)
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p);
          const clipsX = s.overflowX === "hidden" || s.overflowX === "clip";
          const clipsY = s.overflowY === "hidden" || s.overflowY === "clip";
          if (!clipsX && !clipsY) continue;
          const pr = p.getBoundingClientRect();
          if ((clipsX && (r.left < pr.left - EPS || r.right > pr.right + EPS)) || (clipsY && (r.top < pr.top - EPS || r.bottom > pr.bottom + EPS))) {
            problems.push(`${name(el)}: cut off by ${name(p)}`);
          }
          break;
        }
        // text wider or taller than its own box
        const html = el as HTMLElement;
        const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== "");
        if (hasText && !ellipsised.some((sel) => el.matches(sel)) && getComputedStyle(el).display !== "inline") {
          if (html.scrollWidth > html.clientWidth + 1 || html.scrollHeight > html.clientHeight + 1) {
            problems.push(`${name(el)}: its text does not fit (${html.scrollWidth}x${html.scrollHeight} in ${html.clientWidth}x${html.clientHeight})`);
          }
        }
      }
      return [...new Set(problems)];
    },
    [PARTS, ELLIPSISED, MIN_SIZE] as const,
  );
}
