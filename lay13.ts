import { chromium } from "playwright-core";
import { layoutProblems } from "./test/web/e2e/layout.ts";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"], headless: true });
for (const s of (process.argv[2] ?? "1024x640,1280x720,1920x1080").split(",")) {
  const [width, height] = s.split("x").map(Number);
  const ctx = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(process.argv[3] ?? "http://127.0.0.1:4397/?token=abcdefgh123");
  await page.waitForTimeout(2000);
  console.log(s, await layoutProblems(page));
  await page.screenshot({ path: `/tmp/shot-${s}.png` });
  await ctx.close();
}
await browser.close();
