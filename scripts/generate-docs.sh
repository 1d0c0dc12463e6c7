#!/usr/bin/env bash
# Writes the man pages and shell completions of peerstore-client and peerstore-server into dist/, generated from the
# command definitions (swift-argument-parser's generate-manual tool and --generate-completion-script).
#
#   scripts/generate-docs.sh      (run after changing a flag; `DocsTests` fails until the files match the binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh

ensure_swift
ensure_system_packages
log "building the binaries and the manual generator"
swift build --product peerstore-client >/dev/null
swift build --product peerstore-server >/dev/null
swift build --product generate-manual >/dev/null
BIN="$(swift build --show-bin-path)"
mkdir -p dist/man dist/completions/bash dist/completions/zsh dist/completions/fish
for tool in peerstore-client peerstore-server; do
    # A fixed date, so that a page changes only when a command definition does.
    "$BIN/generate-manual" "$BIN/$tool" --date 2026-12-01 --authors "PeerStore" -o dist/man >/dev/null
    "$BIN/$tool" --generate-completion-script bash >"dist/completions/bash/$tool"
    "$BIN/$tool" --generate-completion-script zsh >"dist/completions/zsh/_$tool"
    "$BIN/$tool" --generate-completion-script fish >"dist/completions/fish/$tool.fish"
done
log "wrote dist/man and dist/completions"
