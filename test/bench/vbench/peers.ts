/**
 * The peers of the voice benchmark: scsynth (Debian supercollider-server)
 * and csound. They are the benchmark's dependencies, not the product's:
 * when one is missing and we are root, `npm run bench` installs it with
 * apt-get; otherwise it is left out of the table, with the command that
 * would install it.
 * @module
 */
import { spawnSync } from "node:child_process";

export interface Peer { name: string; binary: string; pkg: string }

export const PEERS: Peer[] = [
  { name: "scsynth", binary: "scsynth", pkg: "supercollider-server" },
  { name: "csound", binary: "csound", pkg: "csound" },
];

const onPath = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/** Installs what is missing when root; returns the peers that are there, and notes. */
export function ensurePeers(): { available: Peer[]; notes: string[] } {
  const notes: string[] = [];
  const missing = PEERS.filter((p) => !onPath(p.binary));
  const pkgs = [...missing.map((p) => p.pkg), ...(onPath("/usr/bin/time") ? [] : ["time"])];
  if (pkgs.length) {
    const cmd = `apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
    if (process.getuid?.() === 0) {
      console.error(`bench: installing the benchmark's peers: ${pkgs.join(", ")}`);
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      let r = spawnSync("sh", ["-c", cmd], { stdio: "inherit", env });
      if (r.status !== 0) {
        spawnSync("apt-get", ["update"], { stdio: "inherit", env });
        r = spawnSync("sh", ["-c", cmd], { stdio: "inherit", env });
      }
      if (r.status !== 0) notes.push(`"${cmd}" failed; peers missing: ${pkgs.join(", ")}`);
    } else {
      notes.push(`not root: peers not installed (${missing.map((p) => p.name).join(", ")}); as root: ${cmd}`);
    }
  }
  if (!onPath("/usr/bin/time")) throw new Error("vbench needs GNU time (/usr/bin/time, Debian package \"time\")");
  return { available: PEERS.filter((p) => onPath(p.binary)), notes };
}

export function peerVersion(p: Peer): string {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Version}", p.pkg], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "?";
}
