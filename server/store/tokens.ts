/**
 * Guest tokens: keys to the room for other musicians (`edit`: type and
 * evaluate) and for the audience (`view`: read and watch). The session token
 * stays the owner's; only it makes and revokes guest tokens. Only a hash of
 * each token is kept (tokens.json, written atomically), so the file gives
 * nobody a way in; the token itself is shown once, when it is made.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.ts";

export const GUEST_ROLES = ["edit", "view"] as const;
export type GuestRole = (typeof GUEST_ROLES)[number];

export type GuestToken = { id: string; role: GuestRole; label: string; created: string };
type Stored = GuestToken & { hash: string };

export class TokenStore {
  private tokens: Stored[] = [];

  private constructor(private readonly path: string) {}

  static async open(stateDir: string): Promise<TokenStore> {
    const store = new TokenStore(join(stateDir, "tokens.json"));
    try {
      const parsed = JSON.parse(await readFile(store.path, "utf8")) as { tokens?: Stored[] };
      store.tokens = (parsed.tokens ?? []).filter((t) => typeof t.hash === "string" && (GUEST_ROLES as readonly string[]).includes(t.role));
    } catch {
      store.tokens = [];
    }
    return store;
  }

  list(): GuestToken[] {
    return this.tokens.map(({ hash: _, ...t }) => t);
  }

  /** Makes a token; the answer is the only place its secret appears. */
  async create(role: GuestRole, label = ""): Promise<GuestToken & { token: string }> {
    const id = randomBytes(4).toString("hex");
    const token = `${role}-${id}-${randomBytes(18).toString("base64url")}`;
    const entry: Stored = { id, role, label: label.slice(0, 100), created: new Date().toISOString(), hash: digest(token) };
    this.tokens.push(entry);
    await this.save();
    const { hash: _, ...shown } = entry;
    return { ...shown, token };
  }

  /** Revokes by id; false when there is no such token. */
  async revoke(id: string): Promise<boolean> {
    const before = this.tokens.length;
    this.tokens = this.tokens.filter((t) => t.id !== id);
    if (this.tokens.length === before) return false;
    await this.save();
    return true;
  }

  /** The guest token a presented string is, if any (constant time per comparison). */
  find(presented: string): GuestToken | undefined {
    const h = Buffer.from(digest(presented), "hex");
    const hit = this.tokens.find((t) => timingSafeEqual(Buffer.from(t.hash, "hex"), h));
    if (!hit) return undefined;
    const { hash: _, ...t } = hit;
    return t;
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.path, JSON.stringify({ tokens: this.tokens }, null, 2));
  }
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
