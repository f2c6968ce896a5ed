#!/usr/bin/env bash
# Builds the DocC documentation of the library modules (LinearAlgebra, Unlearning) into .build/docs/<Module>,
# treating warnings (a broken symbol link, an unknown topic) as errors, so the catalogs stay true to the code.
#   scripts/make-docs.sh            # both modules
#   scripts/make-docs.sh Unlearning
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(LinearAlgebra Unlearning)
mkdir -p .build/docs
for t in "${targets[@]}"; do
  swift package --allow-writing-to-directory .build/docs generate-documentation --target "$t" \
    --output-path ".build/docs/$t" --warnings-as-errors --transform-for-static-hosting
  echo "docs: .build/docs/$t (open index.html through a local web server)"
done
