#!/usr/bin/env bash
# Draws make bench's throughput as an SVG chart with gnuplot: records/s by
# record size, one line per NIC for the netconsole flood (as sent, guest
# TSC), the NIC's blast ceiling (one prebuilt frame per record) as a dashed
# line of the same colour, and the serial console alone as a grey line.
# Reads bench.sh's raw.txt (one line per run: KIND NIC SIZE COUNT NS ...);
# writes OUT.svg and, beside it, the table it plotted (OUT.dat).
#
# usage: bench-chart.sh RAW OUT.svg [TITLE]
# Exit: 0 drawn, 1 no throughput figures in RAW or gnuplot failed, 2 usage.
set -u

[ $# -eq 2 ] || [ $# -eq 3 ] || {
	echo "usage: bench-chart.sh RAW OUT.svg [TITLE]" >&2
	exit 2
}
raw=$1 svg=$2 title=${3:-netconsole bench: records/s by record size}
data=${svg%.svg}.dat

die() {
	echo "bench-chart: $*" >&2
	exit 1
}

[ -r "$raw" ] || die "cannot read $raw"

# The table: a header naming the series, then one row per size with each
# series' records/s (COUNT * 1e9 / NS), "NaN" where a run is missing.
awk '
	function rate(count, ns) { return ns > 0 ? count * 1e9 / ns : "NaN" }
	$1 == "serial" { serial[$3] = rate($4, $5); sizes[$3] = 1; nserial++ }
	$1 == "flood" || $1 == "blast" {
		value[$1, $2, $3] = rate($4, $5); sizes[$3] = 1
		if (!($2 in seen)) { seen[$2] = 1; nics[++nnic] = $2 }
	}
	END {
		n = 0
		for (s in sizes) list[++n] = s + 0
		for (i = 2; i <= n; i++) for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
		if (!nnic && !nserial) exit 1
		printf "size serial"
		for (k = 1; k <= nnic; k++) printf " flood:%s blast:%s", nics[k], nics[k]
		print ""
		for (i = 1; i <= n; i++) {
			s = list[i]
			printf "%d %s", s, (s in serial) ? serial[s] : "NaN"
			for (k = 1; k <= nnic; k++)
				printf " %s %s", ((("flood", nics[k], s) in value) ? value["flood", nics[k], s] : "NaN"), \
					((("blast", nics[k], s) in value) ? value["blast", nics[k], s] : "NaN")
			print ""
		}
	}' "$raw" >"$data" || die "no throughput figures in $raw"
command -v gnuplot >/dev/null 2>&1 || die "gnuplot not installed (make deps installs it for make bench)"

# One plot clause per column after the size: floods solid, ceilings dashed
# in the NIC's colour, the serial console grey.
read -ra columns <"$data"
colours=("#1f77b4" "#d62728" "#2ca02c" "#9467bd")
plots=()
for ((c = 2; c <= ${#columns[@]}; c++)); do
	name=${columns[$((c - 1))]}
	case $name in
	serial) style="lc rgb '#7f7f7f' lw 2 dt 3 pt 6" label="serial console alone" ;;
	flood:*)
		colour=${colours[$(((c - 3) / 2 % ${#colours[@]}))]}
		style="lc rgb '$colour' lw 2 dt 1 pt 7" label="${name#flood:} netconsole flood (sent)"
		;;
	blast:*)
		colour=${colours[$(((c - 4) / 2 % ${#colours[@]}))]}
		style="lc rgb '$colour' lw 2 dt 2 pt 5" label="${name#blast:} ceiling (blast, frames/s)"
		;;
	esac
	plots+=("'$data' using 1:$c with linespoints $style title '$label'")
done
xtics=$(awk 'NR > 1 { printf "%s%s", sep, $1; sep = ", " }' "$data")

plot=$(
	IFS=,
	echo "${plots[*]}"
)
gnuplot <<EOF || die "gnuplot failed"
set terminal svg size 900,600 dynamic enhanced font "sans,12" background rgb "white"
set output '$svg'
set datafile missing "NaN"
set title "${title//\"/\\\"}"
set xlabel "record size (bytes of console line per UDP payload)"
set ylabel "records/s"
set logscale xy
set xtics ($xtics)
set format y "10^{%L}"
set grid xtics ytics mytics
set key below box
set xrange [48:1400]
plot $plot
EOF
[ -s "$svg" ] || die "gnuplot wrote no $svg"
