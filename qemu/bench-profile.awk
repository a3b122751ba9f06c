# make bench's profile table, from bench.sh's raw.txt lines
#   profile NIC SIZE FORMAT COUNT NS LOST STAGE=CYCLES...
# (bench=profile's result line: each stage's TSC cycles over the whole
# flood, kernel/profile.h). Prints each stage's cycles per record, the
# profiled flood's time per record and the TSC rate the two imply.
# usage: awk -v nics="e1000 rtl8139" -v sizes="64 256 1000" -f bench-profile.awk raw.txt
$1 == "profile" {
	key = $2 " " $3 " " $4
	count[key] = $5
	ns[key] = $6
	lost[key] = $7
	total[key] = 0
	for (i = 8; i <= NF; i++) {
		split($i, kv, "=")
		if (!(kv[1] in known)) {
			known[kv[1]] = 1
			stage[++nstages] = kv[1]
		}
		cycles[key, kv[1]] = kv[2]
		total[key] += kv[2]
	}
	seen++
}
END {
	if (!seen)
		exit
	print "Per-stage profile (bench=profile, console=null): TSC cycles per record by stage;"
	print "the stages add up to the profiled flood, which sends as many records as the flood above:"
	printf "  %-8s %5s %-8s |", "nic", "size", "format"
	for (s = 1; s <= nstages; s++)
		printf " %8s", stage[s]
	printf " | %8s %8s %6s %5s\n", "cycles", "us/rec", "MHz", "lost"
	nn = split(nics, N, " ")
	ns_ = split(sizes, S, " ")
	for (j = 1; j <= nn; j++)
		for (i = 1; i <= ns_; i++)
			for (f = 1; f <= 2; f++) {
				fmt = f == 1 ? "plain" : "extended"
				key = N[j] " " S[i] " " fmt
				if (!(key in count) || count[key] <= 0)
					continue
				printf "  %-8s %5d %-8s |", N[j], S[i], fmt
				for (s = 1; s <= nstages; s++)
					printf " %8.0f", cycles[key, stage[s]] / count[key]
				printf " | %8.0f %8.2f %6.0f %5d\n", total[key] / count[key],
					ns[key] / count[key] / 1e3,
					(ns[key] > 0 ? total[key] / ns[key] * 1e3 : 0), lost[key]
			}
	print ""
}
