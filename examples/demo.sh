#!/bin/sh
# The demo: generate a synthetic caseload (40 cases, 9 months of history,
# a fixed seed, so the output is the same every time) in a temporary folder,
# then run the main job of a program on it, printing each command's real
# output. Needs only the two binaries that make build puts in bin/.
#
#   sh examples/demo.sh [BIN]      (make demo runs it with bin/)
#   DEMO_DIR=./demo sh examples/demo.sh   keeps the repository in ./demo
#
# Each step is one line below; a command this build of cases does not have
# yet is skipped with a note, so the demo grows as commands land.
set -eu

bin=${1:-bin}
cases="$bin/cases"
casegen="$bin/casegen"
for b in "$cases" "$casegen"; do
	[ -x "$b" ] || { echo "demo: $b not found; run make build first" >&2; exit 2; }
done

# The generator's "now" (a Friday evening), so due dates, ages and overdue
# contacts read the same on every run.
export CASES_NOW=2026-11-20T23:00:00Z
export NO_COLOR=1
unset CASES_REPO CASES_USER CASES_FORMAT 2>/dev/null || true

if [ -n "${DEMO_DIR:-}" ]; then
	repo=$DEMO_DIR
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM
	repo=$tmp/riverside
fi

echo "\$ casegen -n 40 -seed 2026 -months 9 $(basename "$repo")"
"$casegen" -n 40 -seed 2026 -months 9 "$repo"

# step TITLE COMMAND [ARGS...]: run cases COMMAND in the demo repository if
# this build has it (cases help lists only the commands it has; "cases
# help CMD" prints a topic even for unknown ones, so ask CMD --help).
step() {
	title=$1
	shift
	echo
	echo "## $title"
	if ! "$cases" "$1" --help >/dev/null 2>&1; then
		echo "(cases $1 is not in this build yet; skipped)"
		return 0
	fi
	echo "\$ cases $*"
	"$cases" --repo "$repo" "$@" || echo "(exit status $?)"
}

# A case to look at: the first in monitoring, and its caseworker.
id=$("$cases" --repo "$repo" list --stage monitoring --format tsv | awk 'NR == 2 { print $1 }')
worker=$("$cases" --repo "$repo" list --stage monitoring --format tsv | awk 'NR == 2 { print $4 }')

step "The open caseload, most at risk first" list --open --sort risk --format table
step "One case, with no more personal data than a summary needs" show "$id"
step "What is due this week for one caseworker, most urgent first" due --worker "$worker" --within 7 --format table
step "The program report: caseload" report caseload --format table
step "The program report: outcomes" report outcomes --format table
step "Every figure can be explained by the case ids behind it (never names)" report --explain caseload.open.stage.monitoring
step "The program-maturity checklist, decided from the documents" maturity --format table
step "Validation, as CI runs it on every push" validate
step "A case's history, read from git" log "$id" --format table

# The board report: one self-contained HTML page with charts.
html=${TMPDIR:-/tmp}/cases-demo-report.html
if "$cases" report --help >/dev/null 2>&1; then
	"$cases" --repo "$repo" report all --format html >"$html"
	echo
	echo "## The board report as one HTML page with charts: $html"
fi
