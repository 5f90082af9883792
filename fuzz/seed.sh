#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the project's own files as seeds: the rules, the test
# data and the examples. Run from anywhere; safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
root=..
seed() { mkdir -p "corpus/$1"; shift; for file in "$@"; do [ -f "$file" ] && cp "$file" "corpus/$target/"; done; }
target=compile_rules; seed "$target" $root/rules/roadmap/*.rules $(find $root/tests/data -name '*.rules')
target=read_csv; seed "$target" $root/examples/*.csv $(find $root/tests/data -name '*.csv' -o -name '*.tsv')
target=read_json; seed "$target" $root/examples/*.json $(find $root/tests/data -name '*.json')
target=read_jsonl; seed "$target" $(find $root/tests/data -name '*.jsonl')
mkdir -p corpus/read_workbook
index=0
for workbook in $(find $root/tests/data $root/examples -name '*.xlsx' -o -name '*.xls' -o -name '*.ods'); do
    case "$workbook" in *.xlsx) selector='\x00' ;; *.xls) selector='\x01' ;; *) selector='\x02' ;; esac
    { printf "$selector"; cat "$workbook"; } > "corpus/read_workbook/seed-$index"
    index=$((index + 1))
done
mkdir -p corpus/advise_answers
python3 - "$root/examples/programmes.json" corpus/advise_answers <<'PY'
import json, sys
for index, assessment in enumerate(json.load(open(sys.argv[1]))):
    open(f"{sys.argv[2]}/example-{index}.json", "w").write(json.dumps(assessment))
PY
echo "seeded: $(for d in corpus/*; do printf '%s %s  ' "${d#corpus/}" "$(ls "$d" | wc -l)"; done)"
