#!/usr/bin/env node
// The npm registry this project is built from does not serve every platform binary of
// @swc/core and unrs-resolver (e.g. darwin, win32 builds answer 404). `npm install` then
// leaves those optional dependencies out of package-lock.json, and `npm ci` refuses the
// lock as out of sync. This adds the missing optional, platform-specific entries (os/cpu/libc
// from the package name, version from the parent's optionalDependencies, no tarball): npm ci
// accepts the lock and skips them on this platform, as it would skip them anyway.
// Run after regenerating the lock: `npm install --package-lock-only && node scripts/lock-optional-platforms.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM = /-(darwin|linux|win32|android|freebsd|openharmony)-(x64|arm64|ia32|arm|ppc64|s390x|loong64|riscv64)(?:-(gnu|musl|msvc|gnueabihf|musleabihf|eabi))?$/;
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
let added = 0;
for (const pkg of Object.values({ ...packages })) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const match = PLATFORM.exec(name);
    if (packages[key] || !match) continue;
    const [, os, cpu, abi] = match;
    packages[key] = {
      version,
      cpu: [cpu],
      ...(pkg.dev ? { dev: true } : {}),
      license: pkg.license ?? "MIT",
      optional: true,
      os: [os],
      ...(os === "linux" && abi ? { libc: [abi.includes("musl") ? "musl" : "glibc"] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-optional-platforms: added ${added} optional platform entries`);
