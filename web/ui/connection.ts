/**
 * The connection light: connected, connecting, or waiting to retry (with
 * the reason and the countdown). When the server answers but refuses us,
 * says so: the page was opened without the token (the URL the server
 * prints carries it, and sets a cookie).
 * @module
 */
import type { SocketStatus } from "../net/socket.ts";

export class ConnectionDisplay {
  private unauthorised = false;
  private checking = false;

  /** `onUnauthorised`: the server answers but refuses this page (no token): stop retrying and say what to open. */
  constructor(
    private readonly el: HTMLElement,
    private readonly onUnauthorised: () => void = () => {},
  ) {}

  update(status: SocketStatus): void {
    const label = this.el.querySelector(".label")!;
    const detail = this.el.querySelector(".detail");
    this.el.dataset.state = this.unauthorised && status.state !== "open" ? "unauthorised" : status.state;
    if (detail) detail.textContent = "";
    if (status.state === "open") {
      this.unauthorised = false;
      label.textContent = "live";
      this.el.title = "connected to the server";
    } else if (status.state === "connecting") {
      label.textContent = "connecting";
    } else {
      label.textContent = this.unauthorised ? "no token" : "offline";
      if (detail && !this.unauthorised) detail.textContent = ` · retry ${Math.ceil(status.retryInMs / 100) / 10}s`;
      this.el.title = this.unauthorised
        ? "The server refused this page: open the URL that `ostinato serve` printed (it carries the session token)."
        : `${status.reason}; retrying in ${Math.ceil(status.retryInMs / 100) / 10} s; your typing is kept in this browser and saved when the server is back`;
      if (status.attempt % 3 === 1) void this.checkToken();
    }
  }

  /** Shows the no-token state at once (the page knew before connecting). */
  refused(): void {
    this.unauthorised = true;
    this.el.dataset.state = "unauthorised";
    this.el.querySelector(".label")!.textContent = "no token";
    this.el.title = "The server refused this page: open the URL that `ostinato serve` printed (it carries the session token).";
  }

  /** A WebSocket refused with 401 looks like any failure; ask the server whether this page has the token. */
  private async checkToken(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      this.unauthorised = !(await hasToken());
      if (this.unauthorised) {
        this.refused();
        this.onUnauthorised();
      }
    } catch {
      this.unauthorised = false;
    } finally {
      this.checking = false;
    }
  }
}

/** Whether this page carries the session token (GET /auth; never a 401, so nothing is logged as an error). */
export async function hasToken(): Promise<boolean> {
  const res = await fetch("/auth", { credentials: "same-origin", cache: "no-store" });
  return ((await res.json()) as { authenticated?: boolean }).authenticated === true;
}
