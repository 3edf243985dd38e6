#!/usr/bin/env bash
# Installs the system tools the tests need (Debian packages), only those missing:
# a JDK >= 17 + Maven (the OpenSearch node), PostgreSQL (the production store),
# Chromium (the search page's browser test). Needs root; without it, says what
# is missing and the tests that need it skip with a reason (in CI they fail).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v java >/dev/null 2>&1 || need+=(jdk)
command -v mvn >/dev/null 2>&1 || need+=(maven)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install_tools: not root; missing ${need[*]} (install them to run every test)" >&2
  exit 0
fi
apt-get update -qq
packages=()
for tool in "${need[@]}"; do
  case "$tool" in
    jdk)  # OpenSearch 2.19 runs on 17 or newer; Debian 12 has 17, later releases 21+
      if apt-cache show openjdk-17-jdk-headless >/dev/null 2>&1; then packages+=(openjdk-17-jdk-headless)
      else packages+=(default-jdk-headless); fi ;;
    postgresql)
      # The tests start their own throw-away cluster; do not let the package create
      # and start a system one on port 5432 that nothing would stop.
      apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
      sed -i 's/^#* *create_main_cluster *=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
      packages+=(postgresql) ;;
    *) packages+=("$tool") ;;
  esac
done
echo "install_tools: installing ${packages[*]}" >&2
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
