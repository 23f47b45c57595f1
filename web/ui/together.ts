/**
 * The "together" strip (in the footer): the musician's name and colour (kept by
 * editor/collab.ts), who else is here, and, for the session's owner, links
 * to invite a player (an `edit` token) or to put the piece on a projector
 * (a `view` token), made by the server (POST /api/tokens) and revocable
 * (`ostinato token revoke ID`, or the ✕ beside each here).
 * @module
 */
import type { Collaboration } from "../editor/collab.ts";
import type { MessageKind } from "./messages.ts";

type Els = { name: HTMLInputElement; color: HTMLInputElement; peers: HTMLElement; invites: HTMLElement; inviteEdit: HTMLButtonElement; inviteView: HTMLButtonElement; guests: HTMLElement };
type Guest = { id: string; role: string; label: string };

export class TogetherPanel {
  constructor(
    private readonly els: Els,
    private readonly collab: Collaboration,
    private readonly say: (text: string, kind: MessageKind) => void,
    private readonly onIdentity: () => void,
  ) {
    els.name.value = collab.me.name;
    els.color.value = collab.me.color;
    const changed = () => {
      collab.setIdentity({ name: els.name.value, color: els.color.value });
      els.name.value = collab.me.name;
      onIdentity();
    };
    els.name.addEventListener("change", changed);
    els.color.addEventListener("change", changed);
    els.inviteEdit.addEventListener("click", () => void this.invite("edit"));
    els.inviteView.addEventListener("click", () => void this.invite("view"));
  }

  /** The owner sees the invite buttons and the guest list; guests do not. */
  setRole(role: "owner" | "edit" | "view"): void {
    this.els.invites.hidden = role !== "owner";
    if (role === "owner") void this.listGuests();
  }

  renderPeers(): void {
    const seen = new Map<string, { name: string; color: string }>();
    for (const p of this.collab.peers()) seen.set(`${p.name}\u0000${p.color}`, p);
    this.els.peers.replaceChildren(
      ...[...seen.values()].map((p) => {
        const el = Object.assign(document.createElement("span"), { className: "peer", textContent: p.name });
        el.style.borderColor = p.color;
        return el;
      }),
    );
  }

  private async invite(role: "edit" | "view"): Promise<void> {
    try {
      const res = await fetch("/api/tokens", { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify({ role, label: role === "view" ? "projector" : "player" }) });
      const body = (await res.json()) as { url?: string; id?: string; error?: { message: string } };
      if (!res.ok || !body.url) throw new Error(body.error?.message ?? res.statusText);
      await navigator.clipboard?.writeText(body.url).catch(() => undefined);
      this.say(`${role === "view" ? "projector" : "player"} link (copied): ${body.url}`, "ok");
      void this.listGuests();
    } catch (err) {
      this.say(`could not make a ${role} token: ${(err as Error).message}`, "error");
    }
  }

  private async listGuests(): Promise<void> {
    const res = await fetch("/api/tokens", { credentials: "same-origin" }).catch(() => undefined);
    if (!res?.ok) return;
    const { tokens } = (await res.json()) as { tokens: Guest[] };
    this.els.guests.replaceChildren(
      ...tokens.map((t) => {
        const row = Object.assign(document.createElement("span"), { className: "guest", textContent: `${t.role} ${t.id}` });
        const revoke = Object.assign(document.createElement("button"), { textContent: "✕", title: `revoke ${t.role} token ${t.id}` });
        revoke.addEventListener("click", () => void this.revoke(t.id));
        row.append(revoke);
        return row;
      }),
    );
  }

  private async revoke(id: string): Promise<void> {
    const res = await fetch(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE", credentials: "same-origin" }).catch(() => undefined);
    this.say(res?.ok ? `revoked token ${id}: its editors are disconnected` : `could not revoke ${id}`, res?.ok ? "ok" : "error");
    void this.listGuests();
  }
}
