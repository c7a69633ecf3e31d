#!/bin/sh
# Installs Debian's chromium for the browser tests when /usr/bin/chromium is missing. Run by the
# Maven build of protocol-tests; needs root (as on CI) or password-less sudo, and no terminal.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo -n"
else
  echo "install-chromium.sh: /usr/bin/chromium is missing; install Debian's chromium as root: apt-get install chromium" >&2
  exit 1
fi
echo "install-chromium.sh: installing Debian's chromium (about a minute)"
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
