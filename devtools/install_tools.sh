#!/usr/bin/env bash
# Installs the system tools the tests need (Debian packages), only those missing:
# a JDK >= 17 + Maven (the OpenSearch node), a JDK >= 21 (the Elasticsearch 9
# node), PostgreSQL (the production store), Chromium (the search page's browser
# test). Needs root; without it, says what is missing and the tests that need
# it skip with a reason (in CI they fail).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# Prints the first JDK >= 21 found (ES_JAVA_HOME, /usr/lib/jvm/*, java on PATH),
# judged by running `java -version`, as devtools/search_node.py does.
jdk21() {
  local java major
  for java in ${ES_JAVA_HOME:+"$ES_JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -x "$java" ] || continue
    major=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | head -n 1)
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$java (Java $major)"; return 0; fi
  done
  return 1
}

need=()
command -v java >/dev/null 2>&1 || need+=(jdk)
if found=$(jdk21); then
  echo "install_tools: JDK >= 21 for Elasticsearch: $found" >&2
else
  need+=(jdk21)
fi
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
    jdk21)  # Elasticsearch 9 needs 21+: Debian 13 has it, Debian 12 (bookworm) only 17, where
            # these machines come with a Temurin JDK in /usr/lib/jvm instead
      jdk=""
      for candidate in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
        if apt-cache policy "$candidate" 2>/dev/null | grep -q 'Candidate: [0-9]'; then jdk=$candidate; break; fi
      done
      if [ -n "$jdk" ]; then packages+=("$jdk")
      else echo "install_tools: no JDK >= 21 in this machine's Debian packages; Elasticsearch tests will skip, or fail in CI (set ES_JAVA_HOME to a JDK 21+)" >&2; fi ;;
    postgresql)
      # The tests start their own throw-away cluster; do not let the package create
      # and start a system one on port 5432 that nothing would stop.
      apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
      sed -i 's/^#* *create_main_cluster *=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
      packages+=(postgresql) ;;
    *) packages+=("$tool") ;;
  esac
done
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
echo "install_tools: installing ${packages[*]}" >&2
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
