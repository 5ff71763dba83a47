#!/usr/bin/env bash
# deps.sh: install what building and testing need, only when missing, so
# `make demo` and `make check` work on a fresh Debian 12 machine.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
      libsodium-dev libcmocka-dev libssl-dev libavformat-dev libavcodec-dev libavutil-dev
      ffmpeg poppler-utils)
if [ "${1:-}" != "--build-only" ]; then
	pkgs+=(clang libclang-rt-14-dev curl sqlite3 default-jre-headless chromium nodejs npm wrk libxml2-utils)
	pkgs+=(gettext)	# gettext: msgfmt checks po/*.po (tools/po-check.sh)
	pkgs+=(jq)	# tests/iiif, tests/api and the access matrix read JSON answers with jq
	# tests/oai: a real OAI-PMH harvester (HTTP::OAI and its oai_pmh), and
	# python3 for its own harvester and the generated archives
	pkgs+=(libhttp-oai-perl python3)
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js may come from elsewhere than Debian; accept any node and npm on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
	filtered=()
	for p in "${missing[@]}"; do
		case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
	done
	missing=("${filtered[@]+"${filtered[@]}"}")
fi
# A Java runtime from elsewhere is fine too.
if command -v java >/dev/null; then
	filtered=()
	for p in "${missing[@]+"${missing[@]}"}"; do
		[ "$p" = default-jre-headless ] || filtered+=("$p")
	done
	missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "${1:-}" != "--build-only" ] && [ -f tests/package-lock.json ]; then
	if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
		(cd tests && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
	fi
fi
