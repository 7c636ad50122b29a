#!/bin/sh
# Bundles chart.js (the authority dashboard's charts) from npm into the application, never from a CDN:
# `npm pack` fetches the published tarball (npm checks its integrity against the registry's), and the UMD
# build and its licence go to target/classes/META-INF/resources/web/vendor/, served as /web/vendor/.
# Runs at generate-resources (pom.xml, exec-maven-plugin); offline once npm's cache holds the tarball.
set -eu
CHARTJS_VERSION=4.6.1
target="$1"
out="$target/classes/META-INF/resources/web/vendor"
if [ -f "$out/chart.umd.min.js" ] && [ -f "$target/npm/chart.js-$CHARTJS_VERSION.tgz" ]; then
  exit 0
fi
mkdir -p "$target/npm" "$out"
if [ ! -f "$target/npm/chart.js-$CHARTJS_VERSION.tgz" ]; then
  (cd "$target/npm" && npm pack "chart.js@$CHARTJS_VERSION" --prefer-offline --silent >/dev/null)
fi
tar -xzf "$target/npm/chart.js-$CHARTJS_VERSION.tgz" -C "$out" --strip-components=2 package/dist/chart.umd.min.js
tar -xzf "$target/npm/chart.js-$CHARTJS_VERSION.tgz" -C "$out" --strip-components=1 package/LICENSE.md
mv "$out/LICENSE.md" "$out/chart.js-LICENSE.md"
