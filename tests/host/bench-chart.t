#!/usr/bin/env bash
# TAP tests of qemu/bench-chart.sh, make bench's chart, on bench.sh raw
# files written here with round figures: the table it plots must hold each
# series' records/s (COUNT / seconds, worked out by hand below), sizes in
# order, a missing run as a gap, and the SVG every series' legend. Input
# without throughput figures is refused. The SVG checks need gnuplot, which
# make deps installs only for make bench; without it they are skipped.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
chart=$root/qemu/bench-chart.sh

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-chart.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

echo "1..6"
# shellcheck source=tests/host/lib-tap.sh
. "$root/tests/host/lib-tap.sh"
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# Figures in bench.sh's raw.txt layout (KIND NIC SIZE COUNT NS, then
# receive figures the chart does not plot), sizes out of order.
cat >"$T/raw.txt" <<'EOF'
serial none 256 2000 1600000000 0 2000 0 0 0 0
serial none 64 2000 400000000 0 2000 0 0 0 0
flood e1000 64 100000 1000000000 0 99000 99000 1.0 2.0 0
blast e1000 64 100000 500000000 0 100000 100000 1.0 2.0 0
flood e1000 256 100000 1250000000 0 100000 100000 1.0 2.0 0
blast e1000 256 100000 800000000 0 100000 100000 1.0 2.0 0
flood rtl8139 64 100000 4000000000 0 100000 100000 1.0 2.0 0
blast rtl8139 64 100000 2000000000 0 100000 100000 1.0 2.0 0
flood rtl8139 256 100000 5000000000 0 100000 100000 1.0 2.0 0
oops e1000 init-null 1.234 2300000
EOF
# By hand: serial 2000 in 0.4 s and 1.6 s; e1000 flood 100000 in 1 s and
# 1.25 s, blast in 0.5 s and 0.8 s; rtl8139 flood in 4 s and 5 s, blast in
# 2 s at 64 bytes and no blast run at 256.
want='size serial flood:e1000 blast:e1000 flood:rtl8139 blast:rtl8139
64 5000 100000 200000 25000 50000
256 1250 80000 125000 20000 NaN'

have_gnuplot=1
command -v gnuplot >/dev/null 2>&1 || have_gnuplot=0
out=$(bash "$chart" "$T/raw.txt" "$T/results.svg" "a title" 2>&1)
rc=$?
# The table comes first; only the drawing needs gnuplot.
got=$(cat "$T/results.dat" 2>/dev/null)
if [ "$got" = "$want" ]; then
	ok "the table of records/s per size and series"
else
	not_ok "the table of records/s per size and series" "exit $rc: $out" "got:" "$got" "want:" "$want"
fi
if [ "$have_gnuplot" = 0 ]; then
	skip "the SVG is drawn with every series in its legend" "gnuplot not installed (make bench installs it)"
	skip "the title is the one given" "gnuplot not installed"
else
	missing=""
	for label in "serial console alone" "e1000 netconsole flood (sent)" "e1000 ceiling (blast, frames/s)" \
		"rtl8139 netconsole flood (sent)" "rtl8139 ceiling (blast, frames/s)"; do
		grep -qF ">$label<" "$T/results.svg" 2>/dev/null || missing+="'$label' "
	done
	if [ "$rc" = 0 ] && grep -q "<svg" "$T/results.svg" 2>/dev/null && grep -q "</svg>" "$T/results.svg" && [ -z "$missing" ]; then
		ok "the SVG is drawn with every series in its legend"
	else
		not_ok "the SVG is drawn with every series in its legend" "missing legends: ${missing:-none}; exit $rc: $out"
	fi
	if grep -qF ">a title<" "$T/results.svg" 2>/dev/null; then
		ok "the title is the one given"
	else
		not_ok "the title is the one given" "no '>a title<' in the SVG"
	fi
fi

printf 'oops e1000 init-null 1.234 2300000\n' >"$T/oops-only.txt"
out=$(bash "$chart" "$T/oops-only.txt" "$T/none.svg" 2>&1)
rc=$?
if [ "$rc" = 1 ] && [[ $out == *"no throughput figures in $T/oops-only.txt"* ]] && [ ! -s "$T/none.svg" ]; then
	ok "a raw file without throughput figures is refused, naming the file"
else
	not_ok "a raw file without throughput figures is refused, naming the file" "exit $rc: $out"
fi

out=$(bash "$chart" "$T/missing.txt" "$T/none.svg" 2>&1)
rc=$?
if [ "$rc" = 1 ] && [[ $out == *"cannot read $T/missing.txt"* ]]; then
	ok "a raw file that cannot be read is named"
else
	not_ok "a raw file that cannot be read is named" "exit $rc: $out"
fi

out=$(bash "$chart" "$T/raw.txt" 2>&1)
rc=$?
if [ "$rc" = 2 ] && [[ $out == usage:* ]]; then
	ok "bad usage prints the usage"
else
	not_ok "bad usage prints the usage" "exit $rc: $out"
fi
