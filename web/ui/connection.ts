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

  constructor(private readonly el: HTMLElement) {}

  update(status: SocketStatus): void {
    const label = this.el.querySelector(".label")!;
    this.el.dataset.state = this.unauthorised && status.state !== "open" ? "unauthorised" : status.state;
    if (status.state === "open") {
      this.unauthorised = false;
      label.textContent = "live";
      this.el.title = "connected to the server";
    } else if (status.state === "connecting") {
      label.textContent = "connecting";
    } else {
      label.textContent = this.unauthorised ? "no token" : `offline · retry ${Math.ceil(status.retryInMs / 100) / 10}s`;
      this.el.title = this.unauthorised
        ? "The server refused this page: open the URL that `ostinato serve` printed (it carries the session token)."
        : `${status.reason}; your typing is kept in this browser and saved when the server is back`;
      if (status.attempt % 3 === 1) void this.checkToken();
    }
  }

  /** A WebSocket refused with 401 looks like any failure; ask a REST route why. */
  private async checkToken(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const res = await fetch("/api/state", { credentials: "same-origin", cache: "no-store" });
      this.unauthorised = res.status === 401;
    } catch {
      this.unauthorised = false;
    } finally {
      this.checking = false;
    }
  }
}
