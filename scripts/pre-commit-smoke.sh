#!/usr/bin/env bash
# Smoke test of the pre-commit integration with the real pre-commit tool.
# Not part of `cargo test`: it needs the network (PyPI for pre-commit,
# crates.io for the build) and builds aireview in release mode from scratch
# (several minutes).
#
#   scripts/pre-commit-smoke.sh [REV]
#
# REV (default: HEAD) is a commit of this checkout: pre-commit clones the
# repository at that commit, so uncommitted changes are not tested. In a
# temporary folder the script installs pre-commit in a venv, creates a git
# project whose .pre-commit-config.yaml uses this checkout's hooks at REV
# (`aireview`, built by pre-commit with `language: rust`, and
# `aireview-system`, the binary on PATH), and checks that:
#   1. a commit of a Python file with an undeclared import and a stub is
#      blocked, with both findings in the output, from both hooks;
#   2. a commit of a clean file passes.
# Exit code 0 when all checks pass. The temporary folder is removed at the end
# (set KEEP=1 to keep it).
set -euo pipefail

checkout=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$checkout" rev-parse "${1:-HEAD}")
if [ -n "$(git -C "$checkout" status --porcelain --untracked-files=no)" ]; then
    echo "note: $checkout has uncommitted changes; testing commit $rev without them" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/aireview-pre-commit-smoke.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
    echo "keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi
step() { printf '\n=== %s\n' "$*"; }
fail() { printf '\nFAIL: %s\n' "$*"; exit 1; }

step "installing pre-commit into a venv"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet pre-commit
pre_commit="$work/venv/bin/pre-commit"
"$pre_commit" --version
# A fresh pre-commit cache: the hook is cloned and built from scratch.
export PRE_COMMIT_HOME="$work/pre-commit-home"

step "a project that uses the hooks at $checkout @ $rev"
project="$work/project"
mkdir -p "$project/shop"
cd "$project"
git init --quiet
git config user.name smoke
git config user.email smoke@example.com
git config commit.gpgsign false
cat > pyproject.toml <<'EOF'
[project]
name = "shop"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["requests>=2"]
EOF
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: aireview
      - id: aireview-system
EOF
cat .pre-commit-config.yaml
git add pyproject.toml .pre-commit-config.yaml
git commit --quiet -m "project"
"$pre_commit" install

step "pre-commit builds the aireview hook (cargo install --path . in its clone)"
start=$(date +%s)
"$pre_commit" install-hooks
echo "built in $(($(date +%s) - start)) s"
binary=$(find "$PRE_COMMIT_HOME" -path '*/rustenv-*/bin/aireview' -type f | head -n 1)
[ -x "$binary" ] || fail "no aireview binary in pre-commit's rust environment"
echo "installed: $binary"
"$binary" --version
# The `aireview-system` hook runs the aireview on PATH: use the one just built.
export PATH="$(dirname "$binary"):$PATH"

step "commit with an undeclared import and a stub: must be blocked"
cat > shop/fetch.py <<'EOF'
import requests
import yaml


def fetch(url):
    return yaml.safe_load(requests.get(url, timeout=5).text)


def later():
    pass
EOF
git add shop/fetch.py
if git commit -m "fetch" > "$work/blocked.log" 2>&1; then
    cat "$work/blocked.log"
    fail "the commit went through"
fi
cat "$work/blocked.log"
for expected in \
    "shop/fetch.py:2:8: \`yaml\` is imported but its package \`PyYAML\` is not declared" \
    "shop/fetch.py:10:5: \`later\` is a stub"; do
    count=$(grep -cF -- "$expected" "$work/blocked.log" || true)
    [ "$count" = 2 ] || fail "expected \"$expected\" from both hooks, found it $count times"
done
for id in aireview aireview-system; do
    grep -qx -- "- hook id: $id" "$work/blocked.log" || fail "hook $id did not report"
done
git reset --quiet shop/fetch.py
rm shop/fetch.py

step "commit of a clean file: must pass"
cat > shop/total.py <<'EOF'
import requests


def total(xs):
    return sum(xs)


def status(url):
    return requests.get(url, timeout=5).status_code
EOF
git add shop/total.py
if ! git commit -m "total" > "$work/clean.log" 2>&1; then
    cat "$work/clean.log"
    fail "the clean commit was blocked"
fi
cat "$work/clean.log"
git log --oneline

step "OK: pre-commit built the hook from $rev, blocked the findings and passed the clean commit"
