/**
 * `ostinato token create|list|revoke`: guest tokens of a running server,
 * through its REST API (/api/tokens) with the session token.
 * @module
 */
import { parseArgs } from "node:util";
import { CommandFailure } from "./failure.ts";
import { UsageError } from "./options.ts";

const HELP = `usage: ostinato token <create|list|revoke> [options]

Guest tokens let other musicians into the room without the session token:
  edit   type in the shared buffers and evaluate
  view   read and watch (the projector view): the server refuses its edits

  ostinato token create --role edit|view [--label TEXT]   prints the token and the URL to open
  ostinato token list                                      ids, roles, labels (never the secrets)
  ostinato token revoke ID                                 closes its connections at once

  --url URL      the server (default $OSTINATO_URL or http://127.0.0.1:4321)
  --token T      the session token (default $OSTINATO_TOKEN)
  --json         JSON output, for machines`;

type Guest = { id: string; role: string; label: string; created: string };

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: "string" }, label: { type: "string" }, url: { type: "string" }, token: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [action, id] = positionals;
  const base = (values.url ?? process.env.OSTINATO_URL ?? "http://127.0.0.1:4321").replace(/\/$/, "");
  const token = values.token ?? process.env.OSTINATO_TOKEN;
  if (!token) throw new UsageError("give the session token with --token or OSTINATO_TOKEN");
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    } catch (err) {
      throw new CommandFailure(`no server at ${base} (${(err as Error).message}); start one with "npx ostinato serve" or pass --url`);
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } } & Record<string, unknown>;
    if (!res.ok) throw new CommandFailure(`${base}${path}: ${json.error?.message ?? res.statusText}`);
    return json;
  };
  switch (action) {
    case "create": {
      if (values.role !== "edit" && values.role !== "view") throw new UsageError("create needs --role edit or --role view");
      const made = (await call("POST", "/api/tokens", { role: values.role, label: values.label })) as Guest & { token: string; url: string };
      if (values.json) console.log(JSON.stringify(made, null, 2));
      else console.log(`${made.role} token ${made.id}${made.label ? ` (${made.label})` : ""}: ${made.token}\nopen: ${made.url}\nrevoke: ostinato token revoke ${made.id}`);
      return 0;
    }
    case "list": {
      const { tokens } = (await call("GET", "/api/tokens")) as { tokens: Guest[] };
      if (values.json) console.log(JSON.stringify(tokens, null, 2));
      else if (tokens.length === 0) console.log("no guest tokens");
      else for (const t of tokens) console.log(`${t.id}  ${t.role.padEnd(4)}  ${t.created}  ${t.label}`);
      return 0;
    }
    case "revoke": {
      if (!id) throw new UsageError("revoke needs the token's id (ostinato token list shows them)");
      await call("DELETE", `/api/tokens/${encodeURIComponent(id)}`);
      console.log(`revoked ${id}`);
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown action "${action}": create, list or revoke` : "give an action: create, list or revoke");
  }
}
