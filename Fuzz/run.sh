#!/usr/bin/env bash
# Fuzzes CSVReader and the CSVFormat round trip with libFuzzer and AddressSanitizer.
#
#   Fuzz/run.sh [seconds] [extra libFuzzer options…]
#
# Builds the CSVStream sources and Fuzz/CSVFuzz.swift into one sanitised binary, then runs it for
# `seconds` (default 60) over Fuzz/corpus (the committed seeds, read only). New inputs go to
# $FUZZ_DIR/corpus and crashes to $FUZZ_DIR/crash-* (FUZZ_DIR defaults to .build-fuzz, which git
# ignores). Reproduce a crash with: .build-fuzz/csv-fuzz .build-fuzz/crash-<hash>
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
dir="${FUZZ_DIR:-.build-fuzz}"
mkdir -p "$dir/corpus"

swiftc -sanitize=fuzzer,address -D FUZZING -parse-as-library -O -g \
  -module-name CSVStream -I Sources/CLibCSV -lcsv \
  Sources/CSVStream/*.swift Fuzz/CSVFuzz.swift -o "$dir/csv-fuzz"

export SWIFT_BACKTRACE=enable=no
exec "$dir/csv-fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -artifact_prefix="$dir/" -print_final_stats=1 "$@" "$dir/corpus" Fuzz/corpus
