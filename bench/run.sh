#!/usr/bin/env bash
# bench/run.sh: run each workload's Python twin (python3) and its Starlark
# version (starlab) side by side and print the ratio python_time/starlab_time
# (>1: starlab is faster). See bench/README.md.
#
#   bench/run.sh                     every bench/NAME.star that has a bench/NAME.py
#   bench/run.sh lock_counter ...    just these workloads
#   bench/run.sh -n 5                best of 5 runs each (default 3)
#   bench/run.sh -t 120              give up on a run after 120 s (default 300)
#
# Exit status: 0 when every workload ran and both twins printed the same
# `result:` line; 1 otherwise (a run failed, timed out or the results differ);
# 2 on a usage error. Missing a target is reported in the table, not in the
# exit status: timings depend on the machine.
set -euo pipefail

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

runs=3
timeout_s=300
while getopts ":n:t:h" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	h) usage; exit 0 ;;
	:) echo "run.sh: -$OPTARG needs a value" >&2; exit 2 ;;
	*) echo "run.sh: unknown flag -$OPTARG" >&2; usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if ! [[ $runs =~ ^[1-9][0-9]*$ ]] || ! [[ $timeout_s =~ ^[1-9][0-9]*$ ]]; then
	echo "run.sh: -n and -t take a positive whole number" >&2
	exit 2
fi

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$bench_dir")

command -v python3 >/dev/null || { echo "run.sh: python3 not found" >&2; exit 1; }
# The interpreter itself, not a wrapper: a pyenv shim costs ~0.6 s a start.
# $PYTHON picks another one: the greenlet and gevent twins need a python3
# that has them (PYTHON=/usr/bin/python3 with Debian's python3-gevent).
python=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)')
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "run.sh: go not found" >&2; exit 1; }

# The workloads: the names given, or every .star with a .py twin.
names=()
if (($# > 0)); then
	for arg in "$@"; do
		name=$(basename "$arg")
		name=${name%.star}
		name=${name%.py}
		for ext in star py; do
			if [[ ! -f $bench_dir/$name.$ext ]]; then
				echo "run.sh: no bench/$name.$ext" >&2
				exit 2
			fi
		done
		names+=("$name")
	done
else
	for star in "$bench_dir"/*.star; do
		[[ -e $star ]] || continue
		name=$(basename "$star" .star)
		if [[ -f $bench_dir/$name.py ]]; then
			names+=("$name")
		fi
	done
fi
if ((${#names[@]} == 0)); then
	echo "run.sh: no workload found in bench/" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Build once, outside the timed runs.
echo "building starlab..." >&2
(cd "$repo_dir" && go build -o "$tmp/starlab" ./cmd/starlab)

# run_once OUT CMD...: runs CMD with a timeout, stdout to OUT, stderr to
# OUT.err; prints the wall time in seconds. Returns CMD's status.
run_once() {
	local out=$1
	shift
	local t0 t1 status=0
	t0=$EPOCHREALTIME
	timeout "$timeout_s" "$@" >"$out" 2>"$out.err" </dev/null || status=$?
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
	return $status
}

# result_line OUT: the last line of OUT that starts with "result:".
result_line() { grep '^result:' "$1" | tail -n 1 || true; }

# target NAME: the "# target: X" line of bench/NAME.star, if any.
target_of() {
	sed -n 's/^#[[:space:]]*target:[[:space:]]*\([0-9.]*\).*/\1/p' "$bench_dir/$1.star" | head -n 1
}

# describe STATUS: how a run ended, for the table.
describe() {
	if (($1 == 124)); then
		echo "timed out after ${timeout_s}s:"
	else
		echo "failed (exit $1):"
	fi
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

# Start-up cost, included in every time below: an empty script, best of N.
echo 'print("result: empty")' >"$tmp/empty.py"
cp "$tmp/empty.py" "$tmp/empty.star"
py_start="" sl_start=""
for ((i = 1; i <= runs; i++)); do
	py_start=$(min "$py_start" "$(run_once "$tmp/e.out" "$python" "$tmp/empty.py")")
	sl_start=$(min "$sl_start" "$(run_once "$tmp/e.out" "$tmp/starlab" run "$tmp/empty.star")")
done
startup="start-up (included in the times): python ${py_start} s, starlab ${sl_start} s"
load="load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "$python ($("$python" --version 2>&1)); best of $runs runs; $startup; $load"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }'; then
	echo "warning: the machine is busy ($load on $(nproc) cores): thread-heavy Python times will swing" >&2
fi

row() { printf '%-20s %10s %10s %8s %8s  %s\n' "$@"; }
rows=()
failed=0
row workload "python s" "starlab s" ratio target status
for name in "${names[@]}"; do
	py_best="" sl_best="" py_res="" sl_res="" problem=""
	for ((i = 1; i <= runs; i++)); do
		# Alternate the twins, so that a slow phase of the machine hits both.
		status=0
		t=$(run_once "$tmp/py.out" "$python" "$bench_dir/$name.py") || status=$?
		if ((status != 0)); then
			problem="python $(describe "$status") $(tail -n 3 "$tmp/py.out.err" | tr '\n' ' ')"
			break
		fi
		py_best=$(min "$py_best" "$t")
		py_res=$(result_line "$tmp/py.out")
		status=0
		t=$(run_once "$tmp/sl.out" "$tmp/starlab" run "$bench_dir/$name.star") || status=$?
		if ((status != 0)); then
			problem="starlab $(describe "$status") $(tail -n 3 "$tmp/sl.out.err" | tr '\n' ' ')"
			break
		fi
		sl_best=$(min "$sl_best" "$t")
		sl_res=$(result_line "$tmp/sl.out")
		if [[ -z $py_res || $py_res != "$sl_res" ]]; then
			problem="results differ: python '${py_res:-<none>}', starlab '${sl_res:-<none>}'"
			break
		fi
	done
	target=$(target_of "$name")
	if [[ -n $problem ]]; then
		failed=1
		row "$name" "${py_best:--}" "${sl_best:--}" - "${target:--}" "FAIL: $problem"
		rows+=("| $name | ${py_best:--} | ${sl_best:--} | - | ${target:--} | FAIL |")
		continue
	fi
	ratio=$(awk -v p="$py_best" -v s="$sl_best" 'BEGIN { if (s > 0) printf "%.2f", p / s; else print "inf" }')
	status="ok"
	if [[ -n $target ]] && awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r + 0 < t + 0) }'; then
		status="below target"
	fi
	row "$name" "$py_best" "$sl_best" "$ratio" "${target:--}" "$status"
	rows+=("| $name | $py_best | $sl_best | $ratio | ${target:--} | $status |")
done

# The same table in Markdown, for bench/README.md (bench/results/ is not committed).
mkdir -p "$bench_dir/results"
{
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $("$python" --version 2>&1), $(go version | awk '{print $3}'), best of $runs runs; $startup; $load at the start."
	echo
	echo "| workload | python s | starlab s | ratio | target | status |"
	echo "|---|---:|---:|---:|---:|---|"
	printf '%s\n' "${rows[@]}"
} >"$bench_dir/results/latest.md"
echo "(Markdown table: bench/results/latest.md)" >&2
exit $failed
