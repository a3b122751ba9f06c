# shellcheck shell=bash disable=SC2154,SC2034 # outdir, netcfg, nics, sizes, here: bench.sh sets them; it reads smp_bench_failed
# make bench on several CPUs (sourced by qemu/bench.sh, after its helpers
# run_guest, bench_field, pcap_span and die, with outdir and netcfg set):
#   - the two-CPU flood: bench=smp-flood:COUNT:SIZE on -smp 2, CPUs 0 and 1
#     printing COUNT records each at once; records/s as sent (guest TSC, both
#     CPUs together and each alone) and as received (tcpdump on the tap), and
#     the listener's transcript checked per CPU (qemu/bench-smp-order.awk):
#     every record once, in order. A loss, a record out of order or a
#     missing result line is an error that names it; the run's figures stay
#     in the table and bench.sh exits 1 at the end (smp_bench_failed).
#   - time to oops (init-null) on -smp 1 and -smp 4 side by side, measured as
#     bench.sh's oops runs are: QEMU start to the panic line on the tap, and
#     in the guest fault entry to the last oops packet (bench=oops).
# Each appends lines to raw.txt: "smp-flood NIC SIZE COUNT NS CPU0_NS
# CPU1_NS TX_DROPPED RECEIVED0 RECEIVED1 ok|bad PCAP_COUNT FIRST LAST" and
# "oops-cpus NIC CPUS SECONDS FAULT_TO_LAST_NS"; smp_bench_table prints
# their tables (qemu/bench-smp.awk).

# "bench-sm" at the text's start, after the 15-byte timestamp.
SMP_FLOOD_FILTER="udp[23:4] = 0x62656e63 and udp[27:4] = 0x682d736d"
smp_bench_failed=""

# smp_flood_run NIC SIZE COUNT: one two-CPU flood, console=null.
smp_flood_run() {
	local nic=$1 size=$2 count=$3 dir what out order=ok ns received span
	dir="$outdir/runs/smp-flood-$nic-$size"
	what="two-CPU flood on $nic, size $size"
	guest_cpus=2 run_guest "$dir" "$nic" "$netcfg console=null bench=smp-flood:$count:$size" \
		"bench: smp-flood " || die "$what: QEMU did not end within ${RUN_TIMEOUT_S}s (see $dir)"
	[ "$(cat "$dir/qemu.rc")" = "$BENCH_EXIT_STATUS" ] ||
		die "$what: QEMU exited with $(cat "$dir/qemu.rc") (see $dir)"
	ns=$(bench_field "$dir/transcript.log" smp-flood ns)
	[ -n "$ns" ] || die "$what: no 'bench: smp-flood' result line at the listener (see $dir)"
	if ! out=$(awk -v cpus=2 -v count="$count" -f "$here/bench-smp-order.awk" "$dir/transcript.log"); then
		order=bad
		echo "bench: $what: the listener's transcript is not every record of each CPU in order (see $dir):" >&2
		grep -v '^received ' <<<"$out" | sed 's/^/bench:   /' >&2
		smp_bench_failed=1
	fi
	received=$(sed -n 's/^received //p' <<<"$out")
	span=$(pcap_span "$dir" "$SMP_FLOOD_FILTER")
	echo "smp-flood $nic $size $count $ns $(bench_field "$dir/transcript.log" smp-flood cpu0_ns)" \
		"$(bench_field "$dir/transcript.log" smp-flood cpu1_ns)" \
		"$(bench_field "$dir/transcript.log" smp-flood tx_dropped) ${received:-0 0} $order $span" \
		>>"$outdir/raw.txt"
}

smp_bench_table() {
	awk -v nics="$nics" -v sizes="$sizes" -f "$here/bench-smp.awk" "$outdir/raw.txt"
}
