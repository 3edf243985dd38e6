#!/usr/bin/env bash
# Installs the front-end files the catalogue serves or tests with, from the npm
# registry (npm pack: the registry's tarball, its integrity checked by npm and
# again here against the pinned sha512), never from a CDN and never committed:
#   @google/model-viewer -> aggregator/web/static/vendor/model-viewer/ (the 3D viewer, served at /static/vendor/)
#   axe-core             -> var/vendor/axe-core/ (the accessibility check of the browser tests)
# and one schema from PyPI (pip download of a pinned source distribution, its
# SHA-256 checked), never committed either:
#   OAI-PMH.xsd (from the cubicweb-oaipmh 1.0.1 sdist, test/data/) -> harvester/schemas/
#                        (the OAI-PMH 2.0 schema emuseum check-endpoint validates responses with)
# Idempotent: a package already installed at its pinned version is skipped.
# Without npm it says so and exits 0: the object page then shows 3D models as
# links and the accessibility tests skip (in CI they fail).
set -euo pipefail
cd "$(dirname "$0")/.."

# name==version  sha256 of the sdist  file in the sdist  destination file
SCHEMAS=(
  "cubicweb-oaipmh==1.0.1 e5c7672477568c56ed50c185426837741d55127bf10442db11850496f558d4bf cubicweb-oaipmh-1.0.1/test/data/OAI-PMH.xsd harvester/schemas/OAI-PMH.xsd"
)
python=.venv/bin/python
[ -x "$python" ] || python=python3
for entry in "${SCHEMAS[@]}"; do
  read -r spec sha member dest <<<"$entry"
  stamp="$dest.installed"
  if [ -f "$dest" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec" ]; then continue; fi
  sdist=$(mktemp -d)
  if ! "$python" -m pip download --quiet --no-deps --no-binary :all: "$spec" -d "$sdist" >/dev/null 2>&1; then
    echo "install_assets: could not download $spec; emuseum check-endpoint checks the built-in OAI-PMH rules only" >&2
    rm -rf "$sdist"
    continue
  fi
  tarball=$(ls "$sdist"/*.tar.gz)
  if [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$sha" ]; then
    echo "install_assets: $spec does not match its pinned sha256" >&2
    rm -rf "$sdist"
    exit 1
  fi
  mkdir -p "$(dirname "$dest")"
  tar -xzf "$tarball" -C "$sdist" "$member"
  cp "$sdist/$member" "$dest"
  echo "$spec" >"$stamp"
  rm -rf "$sdist"
  echo "install_assets: $spec:$(basename "$member") -> $dest" >&2
done

# name@version  sha512 integrity  file in the tarball  destination folder
ASSETS=(
  "@google/model-viewer@4.4.0 sha512-8z1SB5sPlzKoak5mdx/D31brBakPYm3Qi31EfAucHAUrtrHHCbabypkKvSwReYhUpPaxyJ46oT47uWE/hrs1Zw== package/dist/model-viewer.min.js aggregator/web/static/vendor/model-viewer"
  "axe-core@4.14.1 sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ== package/axe.min.js var/vendor/axe-core"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "install_assets: npm not found; 3D models stay links and the accessibility tests skip" >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${ASSETS[@]}"; do
  read -r spec integrity member dest <<<"$entry"
  stamp="$dest/.installed"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec" ]; then continue; fi
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "install_assets: $spec does not match its pinned integrity ($actual)" >&2
    exit 1
  fi
  mkdir -p "$dest"
  tar -xzf "$tarball" -C "$work" "$member" package/LICENSE* 2>/dev/null || tar -xzf "$tarball" -C "$work" "$member"
  cp "$work/$member" "$dest/"
  cp "$work"/package/LICENSE* "$dest/" 2>/dev/null || true
  echo "$spec" >"$stamp"
  rm -rf "$work"/*
  echo "install_assets: $spec -> $dest" >&2
done
