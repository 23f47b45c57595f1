/**
 * The editor's Link badge in Debian's Chromium against the real server
 * with --link: it shows the peers and tempo, "stopped" while the session's
 * transport is stopped, hides when Link goes off, and says "stopped" off
 * Link too while our own transport is. Link needs a private network
 * namespace (`unshare -n`, as test/live/link-peers.rt.test.ts), so the
 * server and the browser run inside one, driven by test/web/e2e/link-badge.ts;
 * this asserts what it prints.
 */
import { describe, expect, test } from "vitest";
import { cannotRunLink, runInNetns } from "../live/netns.ts";
import { ensureEditorBuilt, ROOT } from "./e2e/harness.ts";

type Step = { kind: string; text: string; visible: boolean; stopped: boolean; title: string; link: { on: boolean; playing: boolean } };

const drive = () => runInNetns<Step>("test/web/e2e/link-badge.ts", [], ROOT);

const reason = cannotRunLink();

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
