#!/usr/bin/env bash
# Install axe-core, the accessibility checker the real-browser test injects into the report
# (tests/test_browser.py), from the npm registry into .ci/node_modules. The test finds it there, or
# wherever RECOTRACK_AXE points (the path of axe.min.js). Safe to run again: does nothing when that
# version is already installed.
set -euo pipefail
cd "$(dirname "$0")"

AXE_VERSION=4.14.1
AXE=node_modules/axe-core/axe.min.js

installed=""
if [ -f node_modules/axe-core/package.json ]; then
    installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/axe-core/package.json | head -n 1)
fi
if [ "$installed" = "$AXE_VERSION" ] && [ -f "$AXE" ]; then
    echo "install-axe: axe-core $AXE_VERSION already installed"
    exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-axe: npm is missing and apt-get is not available; install Node.js and npm by hand" >&2
        exit 1
    fi
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq npm >/dev/null
fi

npm install --prefix . --no-save --no-package-lock --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
if [ ! -f "$AXE" ]; then
    echo "install-axe: npm installed axe-core but .ci/$AXE is not there" >&2
    exit 1
fi
echo "install-axe: installed axe-core $AXE_VERSION"
