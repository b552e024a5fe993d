#!/bin/sh
# Copies what Vaultflow needs at run time out of a built checkout (after `npm ci` and
# `next build`) into an empty folder: the Dockerfile's build stage makes the image's
# /app with it, and tests/e2e/runtime-tree.test.ts starts the same tree as an
# unprivileged user, so what the image ships and what the test runs cannot drift.
#
#   scripts/build-runtime-tree.sh <built checkout> <target folder>
#
# The tree: server.ts, lib/ and prisma/ as source (server.ts, the operator commands and
# the migrator run from source through tsx; the expression and password workers and
# the migrations are read from lib/ and prisma/ by path), scripts/ (the operator
# commands), the production bundle (.next without its cache), public/, the files tsx
# and Next read (package.json, tsconfig.json for the "@/" paths, next.config.js), and
# the production dependencies exactly as the lockfile resolves them (`npm ls
# --omit=dev`), copied from the checkout so no second download is needed. Nothing
# else: no .env, no tests, no benches, no dev-only packages, no build cache.
set -eu

src=${1:?usage: build-runtime-tree.sh <built checkout> <target folder>}
dest=${2:?usage: build-runtime-tree.sh <built checkout> <target folder>}
src=$(cd "$src" && pwd)

if [ ! -f "$src/.next/BUILD_ID" ]; then
  echo "build-runtime-tree: $src has no production build (.next/BUILD_ID): run next build first" >&2
  exit 1
fi
if [ ! -d "$src/prisma/generated" ]; then
  echo "build-runtime-tree: $src has no generated Prisma client (prisma/generated): run npm ci first" >&2
  exit 1
fi
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
  echo "build-runtime-tree: $dest is not empty" >&2
  exit 1
fi
mkdir -p "$dest"

# Source and configuration the server, the operator commands and Next read at run time.
# scripts/test.mjs and this script are for the checkout only.
(
  cd "$src"
  tar -cf - \
    --exclude='scripts/test.mjs' --exclude='scripts/build-runtime-tree.sh' \
    --exclude='.next/cache' --exclude='.next/trace' --exclude='.next/dev' --exclude='.next/types' \
    --exclude='.env' --exclude='.env.*' --exclude='*.test.ts' \
    server.ts package.json package-lock.json tsconfig.json next.config.js \
    lib prisma scripts public .next
) | tar -C "$dest" -xf -

# Production dependencies: each top-level package folder the lockfile's production
# graph reaches (peers included, as `npm ci --omit=dev` would install them). A package
# nested in another's node_modules comes with its parent's folder.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
(cd "$src" && npm ls --omit=dev --all --parseable 2>/dev/null || true) |
  sed -n "s#^$src/##p" |
  grep -E '^node_modules/(@[^/]+/)?[^/@][^/]*$' |
  sort -u >"$list"
if ! grep -qx 'node_modules/next' "$list"; then
  echo "build-runtime-tree: npm ls listed no production packages in $src" >&2
  exit 1
fi
(cd "$src" && tar -cf - -T "$list") | tar -C "$dest" -xf -

# Read-only for everyone but the owner: the app's user gets its own writable data
# folder (DATA_DIR), never its code.
chmod -R u+rwX,go+rX,go-w "$dest"
echo "build-runtime-tree: $(wc -l <"$list") packages, $(du -sh "$dest" | cut -f1) in $dest"
