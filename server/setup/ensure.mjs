#!/usr/bin/env node
// Makes this machine ready for one of ostinato's commands: system packages,
// node modules, the native library, the web bundle. Every step is skipped when
// its work is already done, so `npm start` and `npm test` stay fast after the
// first run. Plain Node with no dependencies: it runs before node_modules exists.
//
//   node server/setup/ensure.mjs start|test|bench|build

import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const purpose = process.argv[2] ?? "start";

/** Debian packages each purpose needs, with the command or file that proves each is there. */
const PACKAGES = {
  build: [
    { pkg: "build-essential", has: () => onPath("cc") && onPath("make") },
    { pkg: "pkg-config", has: () => onPath("pkg-config") },
    { pkg: "portaudio19-dev", has: () => debInstalled("portaudio19-dev") },
    { pkg: "libsndfile1-dev", has: () => debInstalled("libsndfile1-dev") },
    // the ALSA sequencer (native/midi_alsa.c); portaudio19-dev brings it too, named here as it is ours
    { pkg: "libasound2-dev", has: () => debInstalled("libasound2-dev") },
  ],
  test: [
    { pkg: "jackd2", has: () => onPath("jackd") },
    { pkg: "sox", has: () => onPath("sox") && onPath("soxi") },
    { pkg: "chromium", has: () => existsSync("/usr/bin/chromium") },
    // Ableton Link (GPL-2.0-or-later, headers only): the optional module native/build/libostinato-link.so
    { pkg: "ableton-link-dev", has: () => existsSync("/usr/include/ableton/Link.hpp") },
    // alsa-lib's jack PCM: an ALSA device that vanishes and comes back with its JACK server (the device-loss test)
    { pkg: "libasound2-plugins", has: () => debInstalled("libasound2-plugins") },
    // SuperCollider's server: the OSC latency test plays our SuperDirt time tags on it
    { pkg: "supercollider-server", has: () => onPath("scsynth") },
    // `ip`, for the Link test's private network namespace
    { pkg: "iproute2", has: () => onPath("ip") },
  ],
};

const wanted = {
  start: [...PACKAGES.build],
  build: [...PACKAGES.build],
  test: [...PACKAGES.build, ...PACKAGES.test],
  bench: [...PACKAGES.build, ...PACKAGES.test],
}[purpose];

if (!wanted) fail(`unknown purpose "${purpose}" (expected start, test, bench or build)`);

ensureSystemPackages(wanted);
ensureNodeModules();
ensureNative(purpose === "test" || purpose === "bench");
ensureWeb();

// ---------------------------------------------------------------------------

function ensureSystemPackages(list) {
  const missing = list.filter((p) => !p.has()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && onPath("sudo") && spawnSync("sudo", ["-n", "true"]).status === 0;
  const cmd = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!asRoot && !sudo) {
    fail(
      `ostinato needs these Debian packages, which are not installed: ${missing.join(", ")}.\n` +
        `Install them as root, then run this command again:\n` +
        `  echo "jackd2 jackd/tweak_rt_limits boolean false" | sudo debconf-set-selections\n` +
        `  sudo ${cmd}`,
    );
  }
  log(`installing system packages: ${missing.join(", ")}`);
  const privileged = (cmd, args, opts = {}) =>
    asRoot ? spawnSync(cmd, args, opts) : spawnSync("sudo", ["-n", cmd, ...args], opts);
  // jackd2 asks whether to enable real-time limits; answer it up front.
  if (missing.includes("jackd2")) {
    privileged("debconf-set-selections", [], {
      input: "jackd2 jackd/tweak_rt_limits boolean false\n",
      stdio: ["pipe", "inherit", "inherit"],
    });
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    privileged("apt-get", ["install", "-y", "--no-install-recommends", ...missing], { stdio: "inherit", env }).status === 0;
  if (!aptListsPresent() || !install()) {
    privileged("apt-get", ["update"], { stdio: "inherit", env });
    if (!install()) fail(`"${cmd}" failed; see apt-get's message above`);
  }
  const still = list.filter((p) => !p.has()).map((p) => p.pkg);
  if (still.length) fail(`apt-get finished but these are still missing: ${still.join(", ")}`);
}

function ensureNodeModules() {
  const stamp = join(root, "node_modules", ".package-lock.json");
  const manifests = ["package.json", "package-lock.json"].map((f) => join(root, f)).filter(existsSync);
  if (existsSync(stamp) && manifests.every((m) => mtime(m) <= mtime(stamp))) return;
  log("installing node modules");
  run("npm", ["install", "--no-audit", "--no-fund"], { cwd: root });
}

function ensureNative(withSanitizers) {
  const targets = withSanitizers ? ["all", "asan"] : ["all"];
  // make knows what changed; it is silent when the library is up to date.
  run("make", ["-s", "-C", join(root, "native"), ...targets]);
}

function ensureWeb() {
  const build = join(root, "web", "build.ts");
  if (!existsSync(build)) return;
  const out = join(root, "web", "dist", "index.html");
  const newestSource = newestMtime(join(root, "web"), (p) => !p.includes(`${join("web", "dist")}`));
  const newestPattern = newestMtime(join(root, "server", "pattern"));
  if (existsSync(out) && mtime(out) >= Math.max(newestSource, newestPattern)) return;
  log("building the web editor");
  run(join(root, "node_modules", ".bin", "bun"), [build], { cwd: root });
}

// ---------------------------------------------------------------------------

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

function debInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

function aptListsPresent() {
  try {
    return readdirSync("/var/lib/apt/lists").some((f) => f.endsWith("_Packages"));
  } catch {
    return false;
  }
}

function mtime(p) {
  return statSync(p).mtimeMs;
}

function newestMtime(dir, keep = () => true) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && keep(p)) newest = Math.max(newest, mtime(p));
  }
  return newest;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.status !== 0) fail(`"${cmd} ${args.join(" ")}" failed (exit ${r.status ?? r.signal})`);
}

function log(msg) {
  process.stderr.write(`ostinato setup: ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`ostinato setup: ${msg}\n`);
  process.exit(1);
}

