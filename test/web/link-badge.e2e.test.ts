/**
 * The editor's Link badge in Debian's Chromium against the real server
 * with --link: it shows the peers and tempo, "stopped" while the session's
 * transport is stopped, hides when Link goes off, and says "stopped" off
 * Link too while our own transport is. Link needs a private network
 * namespace (`unshare -n`, as test/live/link-peers.rt.test.ts), so the
 * server and the browser run inside one, driven by test/web/e2e/link-badge.ts;
 * this asserts what it prints.
 */
import { execFileSync, spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import { linkAvailable } from "../../server/engine/link.ts";
import { ensureEditorBuilt, ROOT } from "./e2e/harness.ts";

const NETNS = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo";

function cannot(): string | null {
  if (!linkAvailable()) return "the Link module is not built (install ableton-link-dev; npm test does)";
  try {
    execFileSync("unshare", ["-n", "sh", "-c", NETNS], { stdio: "pipe" });
    return null;
  } catch (err) {
    return `no private network namespace here (unshare -n needs root or user namespaces): ${(err as Error).message.split("\n")[0]}`;
  }
}

type Step = { kind: string; text: string; visible: boolean; stopped: boolean; title: string; link: { on: boolean; playing: boolean } };

function drive(): Promise<Step[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["-n", "sh", "-c", `${NETNS} && exec "$0" test/web/e2e/link-badge.ts`, process.execPath], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.once("error", reject);
    child.once("exit", () => {
      const lines = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Step);
      if (!lines.length) reject(new Error(`link-badge printed nothing; stderr: ${err.slice(-2000)}`));
      else resolve(lines);
    });
  });
}

const reason = cannot();

describe.skipIf(reason !== null)("the editor's Link badge, in Chromium against the real server with --link", () => {
  test("shows the peers and tempo, \"stopped\" while the transport is stopped, with Link on and off", async () => {
    await ensureEditorBuilt();
    const steps = await drive();
    const by = (kind: string) => steps.find((s) => s.kind === kind) as Step;
    expect(by("error"), JSON.stringify(by("error"))).toBeUndefined();
    expect(by("on")).toMatchObject({ visible: true, stopped: false, link: { on: true, playing: true } });
    expect(by("on").text).toMatch(/^Link · 0 peers · \d+\.\d bpm$/);
    expect(by("stopped")).toMatchObject({ visible: true, stopped: true, link: { on: true, playing: false } });
    expect(by("stopped").text).toMatch(/^Link · 0 peers · \d+\.\d bpm · stopped$/);
    expect(by("started")).toMatchObject({ visible: true, stopped: false, link: { on: true, playing: true } });
    expect(by("off")).toMatchObject({ visible: false, link: { on: false, playing: true } });
    expect(by("off-stopped")).toMatchObject({ visible: true, stopped: true, text: "stopped", link: { on: false, playing: false } });
    expect(by("off-started")).toMatchObject({ visible: false, link: { on: false, playing: true } });
    expect((by("errors") as unknown as { errors: string[] }).errors).toEqual([]);
  }, 120_000);
});

if (reason !== null) test.skip(`the editor's Link badge: ${reason}`, () => {});
