/**
 * The banner under the top bar: what keeps the page from working, in plain
 * words, with what to do. Two cases: the page has no session token (open
 * the URL the server printed; nothing retries), and there is no audio output
 * (the engine runs on the null backend: pick a device from the list, or
 * start a sound server). It is hidden when all is well; the device banner
 * can be dismissed for this page (running without sound on purpose).
 * @module
 */
import type { DeviceInfo } from "../../server/engine/devices.ts";
import type { DeviceState } from "../../server/http/protocol.ts";

type Requester = { request(msg: { type: "devices" } | { type: "selectDevice"; device: string | number }, options?: { queue?: "drop" }): Promise<unknown> };

export class Banner {
  private mode: "none" | "token" | "device" = "none";
  private dismissed = false;
  private listed = false;

  constructor(
    private readonly el: HTMLElement,
    private readonly server: Requester,
    private readonly say: (text: string, kind: "ok" | "error") => void,
  ) {}

  /** The page has no token: say what to open. Stays until the page is reloaded. */
  noToken(): void {
    this.mode = "token";
    this.el.dataset.kind = "token";
    this.el.replaceChildren(
      text("strong", "This page has no session token, so the server will not talk to it. "),
      text("span", `Open the URL that "npx ostinato serve" (or "npm start") printed in its terminal: ${location.origin}/?token=… `),
      text("span", "It signs this browser in; after that this address works too."),
    );
    this.el.hidden = false;
  }

  /** Follows the device in use: no output (null backend, or a lost device) shows the device banner. */
  device(d: DeviceState): void {
    if (this.mode === "token") return;
    const silent = d.backend === "null" || d.lost;
    if (!silent) {
      this.mode = "none";
      this.listed = false;
      this.el.hidden = true;
      return;
    }
    if (this.dismissed || (this.mode === "device" && this.listed)) return;
    this.mode = "device";
    this.el.dataset.kind = "device";
    this.listed = true;
    void this.showDevices(d.lost);
  }

  private async showDevices(lost: boolean): Promise<void> {
    let devices: DeviceInfo[] = [];
    try {
      devices = ((await this.server.request({ type: "devices" }, { queue: "drop" })) as { devices: DeviceInfo[] }).devices;
    } catch {
      this.listed = false; // asked again with the next state
    }
    if (this.mode !== "device") return;
    const head = text("strong", lost ? "The audio device was lost: nothing is heard (a JACK device is played again by itself once its server is back). " : "No audio output: nothing is heard (the clock, meters and events run). ");
    const close = text("button", "×");
    close.className = "dismiss";
    close.title = "hide this for now (running without sound on purpose)";
    close.addEventListener("click", () => {
      this.dismissed = true;
      this.el.hidden = true;
    });
    if (devices.length === 0) {
      const again = text("button", "look again");
      again.addEventListener("click", () => void this.showDevices(lost));
      this.el.replaceChildren(head, text("span", "No device found: connect one or start a sound server (without a sound card: jackd -d dummy -r 48000 &), then "), again, close);
    } else {
      const select = document.createElement("select");
      select.id = "banner-devices";
      select.setAttribute("aria-label", "audio device");
      for (const d of devices) {
        const o = document.createElement("option");
        o.value = String(d.index);
        o.textContent = `${d.name} (${d.hostApi}, ${d.maxOutputChannels} ch)`;
        select.append(o);
      }
      const use = text("button", "play on it");
      use.id = "banner-use";
      use.addEventListener("click", () => {
        const device = devices.find((d) => String(d.index) === select.value);
        if (!device) return;
        this.server
          .request({ type: "selectDevice", device: device.name }, { queue: "drop" })
          .then(() => this.say(`playing on ${device.name}`, "ok"))
          .catch((err) => this.say(`could not open ${device.name}: ${(err as Error).message}`, "error"));
      });
      this.el.replaceChildren(head, text("span", "Pick a device: "), select, use, close);
    }
    this.el.hidden = false;
  }
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.textContent = content;
  return el;
}
