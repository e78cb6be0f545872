#!/usr/bin/env bash
# Installs what Tagkeeper and its tests need on a Debian machine: the Debian packages
# (Docker Engine, the registry the tests run, docker-compose 1.29.2 as the reference the
# Compose model is compared with, busybox-static for test images, Chromium for the browser
# tests, openssl, openssh-server and systemd's tools for the tests of TLS and ssh endpoints
# and of the service unit) and the npm dependencies, then builds, and puts the `tagkeeper`
# command on the PATH. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

# The Electron binary is downloaded by its installer from the internet; the desktop shell
# is optional (see README), so it is skipped unless asked for.
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

# The `tagkeeper` command of the README, from this checkout (scripts/link-cli.sh says where).
scripts/link-cli.sh
