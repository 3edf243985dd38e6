#!/usr/bin/env bash
# Installs the system tools the tests need (Debian packages), only those missing:
# Java 17 + Maven (the OpenSearch node), PostgreSQL (the production store),
# Chromium (the search page's browser test). Needs root; without it, says what
# is missing and the tests that need it skip with a reason.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install_tools: not root; missing ${need[*]} (install them to run every test)" >&2
  exit 0
fi
echo "install_tools: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
