#!/usr/bin/env bash
# Seeds each target's corpus (fuzz/corpus/TARGET, not checked in) from what the repository
# already holds: the examples, the malformed inputs of tests/fixtures/invalid, the
# quickstart's snapshot, and a saved plan.
set -euo pipefail
cd "$(dirname "$0")"

# copy TARGET FILE...: FILE lands in corpus/TARGET, named after its directory and itself.
copy() {
    local target=$1
    shift
    mkdir -p "corpus/$target"
    for file in "$@"; do
        cp "$file" "corpus/$target/$(basename "$(dirname "$file")")-$(basename "$file")"
    done
}

copy yaml_loader ../examples/*/*.yaml ../tests/fixtures/invalid/*.yaml
copy yaml_subset ../examples/*/*.yaml ../tests/fixtures/invalid/*.yaml
copy hcl_loader ../examples/*/*.hcl ../tests/fixtures/invalid/*.hcl
copy hcl_subset ../examples/*/*.hcl ../tests/fixtures/invalid/*.hcl
copy fmt ../examples/*/*.yaml ../examples/*/*.hcl ../tests/fixtures/invalid/*.yaml ../tests/fixtures/invalid/*.hcl
copy snapshot_reader ../examples/quickstart/live.json ../tests/fixtures/invalid/*.json
copy saved_plan_reader seeds/saved_plan_reader/*
echo "seeded: $(ls corpus | tr '\n' ' ')"
