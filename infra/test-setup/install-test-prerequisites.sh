#!/usr/bin/env bash
# Installs what the test suite needs beyond JDK and Maven, where it is missing: the Debian packages of the
# independent Confluent client that the registry compatibility test runs against, and the headless browser and
# its driver that the dashboard's browser test drives. Maven runs this before the
# integration tests, so `mvn -B verify` on a fresh machine does all the set-up. As root it installs with
# apt-get, otherwise through sudo when sudo needs no password; where neither works it says exactly what to
# install and fails: an interoperability test never skips silently.
set -euo pipefail

packages=(python3-confluent-kafka python3-avro python3-requests chromium chromium-driver)

missing() {
  /usr/bin/python3 -c 'import confluent_kafka.avro, avro, requests' >/dev/null 2>&1 \
    && command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && return 1
  return 0
}

if ! missing; then
  exit 0
fi

if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "The tests need Debian packages that are not installed: ${packages[*]}" >&2
  echo "Install them, then run the tests again:  sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need ${packages[*]} (Debian package names) and this machine has no apt-get: install the equivalents." >&2
  exit 1
fi

echo "Installing the Debian packages the tests need: ${packages[*]} ..."
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
if missing; then
  echo "Installed ${packages[*]}, but /usr/bin/python3 still cannot import confluent_kafka.avro, avro and requests, or chromium / chromedriver are not on the PATH." >&2
  exit 1
fi
echo "Test prerequisites installed."
