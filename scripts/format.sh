#!/usr/bin/env bash
# Formats the C++ sources in place with clang-format 14 (.clang-format): the files the format
# stage of scripts/test.sh checks. With --check it only reports, as that stage does.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(find src apps bench tests -type f \( -name '*.h' -o -name '*.cc' \) \
  2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  exec clang-format-14 --dry-run --Werror "${files[@]}"
fi
clang-format-14 -i "${files[@]}"
