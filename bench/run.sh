#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its ratios measured side by side in one run.
# Runs under scripts/with_db.py (DATABASE_URL points at a throwaway or the given database).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
QUICK=${BENCH_QUICK:-}
echo "### Service flow: ticket creation throughput, agent queue p95"
$PY bench/service_bench.py ${QUICK:+--quick}
echo
echo "### Excel import: 10 000 rows"
$PY bench/imports_bench.py
echo
echo "### Stock: 100 000 movements over 5 000 parts, p95 of posting, stock query, pick list"
$PY bench/stock_bench.py ${QUICK:+--quick}
echo
echo "### Maintenance: a year of visits for 10 000 plans, then again"
$PY bench/maintenance_bench.py
echo
echo "### Dispatch optimisation: Solomon VRPTW (DIMACS convention)"
$PY bench/dispatch_solomon.py ${QUICK:+--quick}
if [ -f bench/dispatch_field.py ]; then
  echo
  echo "### Dispatch optimisation: field-service days vs greedy baseline"
  $PY bench/dispatch_field.py ${QUICK:+--quick}
fi
echo
echo "### Knowledge base: similar-case search quality vs baselines, suggestion latency at 100 000 cases"
$PY bench/kb_bench.py ${QUICK:+--quick}
echo
echo "### Service report PDF: first PDF of a worker, with and without the warm-up"
$PY bench/report_pdf_bench.py ${QUICK:+--quick}
