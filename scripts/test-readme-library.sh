#!/usr/bin/env bash
# Compiles and runs the README's "Use as a library" example as it is written, in a separate client package
# that depends on this one by path: the README cannot drift from the library's API.
# The build goes to .build-readme/ (kept between runs; git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
swift=${SWIFT:-swift}
client=$(mktemp -d)
trap 'rm -rf "$client"' EXIT
mkdir -p "$client/Sources/ReadmeClient"
# The first ```swift block after the heading "## Use as a library".
awk '/^## Use as a library/{section=1; next} section && /^## /{exit}
     section && /^```swift/{inblock=1; next} inblock && /^```/{exit} inblock{print}' "$root/README.md" \
  > "$client/Sources/ReadmeClient/main.swift"
if [ ! -s "$client/Sources/ReadmeClient/main.swift" ]; then
  echo "test-readme: no \`\`\`swift block under \"## Use as a library\" in README.md" >&2
  exit 1
fi
# A path dependency's package identity is its folder's name, lowercased.
identity=$(basename "$root" | tr '[:upper:]' '[:lower:]')
cat > "$client/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "ReadmeClient",
  dependencies: [.package(path: "$root")],
  targets: [
    .executableTarget(name: "ReadmeClient", dependencies: [.product(name: "Unlearning", package: "$identity")])
  ]
)
SWIFT
echo "test-readme: building the README's library example ($(wc -l < "$client/Sources/ReadmeClient/main.swift") lines) as a client package" >&2
"$swift" build --package-path "$client" --scratch-path "$root/.build-readme" 2>&1 | grep -E "error|warning: |Compiling ReadmeClient|Build complete" >&2 || true
"$swift" build --package-path "$client" --scratch-path "$root/.build-readme" >/dev/null
output=$("$swift" run --skip-build --package-path "$client" --scratch-path "$root/.build-readme" ReadmeClient)
echo "$output"
if [ -z "$output" ] || grep -qiE "nan" <<< "$output"; then
  echo "test-readme: the example printed nothing or a NaN" >&2
  exit 1
fi
echo "test-readme: the README's library example compiles and runs" >&2
