#!/usr/bin/env bash
# Installs the Debian packages Tern needs to build and test, only when some are missing.
set -euo pipefail
packages=(
  g++ cmake make pkg-config ccache
  qt6-base-dev qt6-websockets-dev libqt6sql6-sqlite libqt6sql6-psql
  qcoro-qt6-dev libsodium-dev libssl-dev
  qt6-svg-dev qtkeychain-qt6-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-base-private-dev
  openssl
  # The UI tests' font (tests/support/DesktopFont.h) and colour emoji: screenshots like a desktop.
  fonts-noto-core fonts-noto-color-emoji
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
