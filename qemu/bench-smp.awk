# make bench's tables for several CPUs, from bench.sh's raw.txt (the lines
# qemu/bench-smp.sh appends, and the one-CPU flood's for comparison):
#   - the two-CPU flood per NIC and size: both CPUs' records/s and MB/s as
#     sent (guest TSC, from the start to the last CPU's end), each CPU's own
#     rate, records/s as received (tcpdump: first to last flood packet),
#     records lost (2 x COUNT - the listener's), the driver's tx_dropped,
#     whether each CPU's records arrived in order, and the one-CPU flood's
#     sent rate beside it when bench.sh ran it;
#   - time to oops by CPU count: median, min and max of QEMU start -> panic
#     line on the tap, and of fault entry -> last oops packet in the guest.
# usage: awk -v nics="e1000 rtl8139" -v sizes="64 256 1000" -f bench-smp.awk RAW
function rate(n, ns) { return ns > 0 ? n * 1e9 / ns : 0 }
function median(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
function sorted(arr, key, n, v,    i, j, t) {
	for (i = 1; i <= n; i++)
		v[i] = arr[key, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
}
$1 == "flood" { one_cpu[$2 " " $3] = rate($4, $5) }
$1 == "smp-flood" {
	key = $2 " " $3
	flood[key] = 1
	sent[key] = rate(2 * $4, $5)
	mbs[key] = sent[key] * $3 / 1e6
	cpu0[key] = rate($4, $6)
	cpu1[key] = rate($4, $7)
	txdrop[key] = $8
	lost[key] = 2 * $4 - $9 - $10
	order[key] = $11
	span = $14 - $13
	recv[key] = ($12 > 1 && span > 0) ? ($12 - 1) / span : 0
}
$1 == "oops-cpus" {
	key = $2 " " $3
	n = ++runs[key]
	seconds[key, n] = $4
	inkernel[key, n] = $5
	if (!((key) in seen)) { seen[key] = 1; cpu_list[$2] = cpu_list[$2] " " $3 }
}
END {
	ns = split(sizes, S, " ")
	nn = split(nics, N, " ")
	print "Two-CPU flood (bench=smp-flood, -smp 2, console=null: COUNT records from each of CPU 0 and 1 at once); sent = guest TSC, recv = tcpdump on the tap, lost = 2 x COUNT - listener records, in order = each CPU's records at the listener:"
	printf "  %-8s %5s | %10s %8s %10s %10s | %10s %7s %7s %8s | %10s\n", "nic", "size", "sent rec/s", "MB/s", "CPU 0", "CPU 1", "recv rec/s", "lost", "txdrop", "in order", "1-CPU sent"
	for (j = 1; j <= nn; j++)
		for (i = 1; i <= ns; i++) {
			key = N[j] " " S[i]
			if (!(key in flood))
				continue
			printf "  %-8s %5d | %10.0f %8.2f %10.0f %10.0f | %10.0f %7d %7d %8s | %10s\n", N[j], S[i], sent[key], mbs[key], cpu0[key], cpu1[key], recv[key], lost[key], txdrop[key], order[key] == "ok" ? "yes" : "NO", (key in one_cpu) ? sprintf("%.0f", one_cpu[key]) : "-"
		}
	print ""
	print "Time to oops by CPU count (init-null; QEMU start -> panic line on the tap; in the guest, fault entry -> last oops packet handed to the NIC):"
	printf "  %-8s %4s %4s | %9s %9s %9s | %11s %11s %11s\n", "nic", "cpus", "runs", "median s", "min s", "max s", "median us", "min us", "max us"
	for (j = 1; j <= nn; j++) {
		nc = split(cpu_list[N[j]], C, " ")
		for (c = 1; c <= nc; c++) {
			key = N[j] " " C[c]
			n = runs[key]
			sorted(seconds, key, n, tv)
			sorted(inkernel, key, n, kv)
			printf "  %-8s %4d %4d | %9.3f %9.3f %9.3f | %11.1f %11.1f %11.1f\n", N[j], C[c], n, median(tv, n), tv[1], tv[n], median(kv, n) / 1e3, kv[1] / 1e3, kv[n] / 1e3
		}
	}
	print ""
}
