#!/usr/bin/env bash
# Install the browser the real-browser test drives (tests/test_browser.py): Debian's chromium at
# /usr/bin/chromium. Playwright's own browser download does not work on the CI machines, so the test
# launches this one through executable_path. Safe to run again: does nothing when it is installed.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-browser: need root (or sudo) to install chromium with apt-get" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null

if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: apt-get installed chromium but $CHROMIUM is not there" >&2
    exit 1
fi
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
