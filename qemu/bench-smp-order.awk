# Checks the listener's transcript of bench=smp-flood:COUNT:SIZE
# (kernel/harness/bench.c): each of CPUS CPUs printed the records
# "bench-smp CPU SEQ" with SEQ from 0 to COUNT - 1, so each CPU's must all
# arrive, once each and in order, and the run's "bench: smp-flood" result
# line after them. Prints "received N0 N1 ..." (records per CPU), then one
# line per problem (the first 10, then how many more); exits 1 when there
# is any, 2 on bad arguments.
# usage: awk -v cpus=2 -v count=COUNT -f bench-smp-order.awk TRANSCRIPT
BEGIN {
	if (cpus !~ /^[1-9][0-9]*$/ || count !~ /^[1-9][0-9]*$/) {
		print "bench-smp-order.awk: cpus= and count= must be positive whole numbers"
		bad_usage = 1
		exit 2
	}
	for (c = 0; c < cpus; c++)
		next_seq[c] = received[c] = 0
}

function problem(text) {
	if (++problems <= 10)
		print text
}

function missing(cpu, from, to) {
	if (from == to)
		return sprintf("CPU %d: record %d missing", cpu, from)
	return sprintf("CPU %d: records %d to %d missing", cpu, from, to)
}

{
	for (i = 1; i <= NF - 2; i++)
		if ($i == "bench-smp")
			break
	if (i > NF - 2) {
		if (index($0, "bench: smp-flood "))
			result = 1
		next
	}
	cpu = $(i + 1)
	seq = $(i + 2)
	if (cpu !~ /^[0-9]+$/ || cpu + 0 >= cpus || seq !~ /^[0-9]+$/) {
		problem("a record of no CPU 0.." cpus - 1 ": " $0)
		next
	}
	cpu += 0
	seq += 0
	received[cpu]++
	if (result)
		problem(sprintf("CPU %d: record %d after the result line", cpu, seq))
	if (seq >= count)
		problem(sprintf("CPU %d: record %d, beyond the %d it printed", cpu, seq, count))
	else if (seq > next_seq[cpu])
		problem(missing(cpu, next_seq[cpu], seq - 1) " (record " seq " came next)")
	else if (seq < next_seq[cpu])
		problem(sprintf("CPU %d: record %d after record %d (out of order or repeated)", cpu, seq,
			next_seq[cpu] - 1))
	if (seq >= next_seq[cpu])
		next_seq[cpu] = seq + 1
}

END {
	if (bad_usage)
		exit 2
	for (c = 0; c < cpus; c++)
		if (next_seq[c] < count)
			problem(missing(c, next_seq[c], count - 1) " at the end")
	if (!result)
		problem("no \"bench: smp-flood\" result line")
	printf "received"
	for (c = 0; c < cpus; c++)
		printf " %d", received[c]
	printf "\n"
	if (problems > 10)
		printf "... and %d more problems\n", problems - 10
	exit problems > 0
}
