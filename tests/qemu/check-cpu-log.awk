# Reads QEMU's interrupt log of one run (qemu -d int -D FILE), the witness
# of what the emulated CPU took, independently of the kernel:
#   - once the CPU has taken its first exception (a vector below 32, not a
#     software interrupt), no hardware interrupt may be delivered until the
#     end of the log: the emergency path keeps interrupts off from the fault
#     to the end of the panic. Any delivered is printed as one problem line.
#     With resumes=V, exceptions of vector V do not start that span: the
#     kernel returns from them (a WARN's ud2, vector 6, when it goes on).
#     An NMI (vector 2) never starts it: the NMI watchdog's come every
#     500 ms to every CPU and return, and the panic's stop NMI ends the CPU
#     it stops, which takes nothing after it anyway.
#   - with several CPUs the rule is per CPU: the panic stops the others by
#     IPI, which they take after the faulting CPU's exception. QEMU's lines
#     do not name the vCPU (multi-threaded TCG interleaves them), so each
#     entry is given to the CPU whose stack holds its SP (the interrupted
#     context's): stacks="LO-HI LO-HI ..." lists, in hex and in CPU order,
#     each CPU's stack with the guard page below it (tests/qemu/smp.t reads
#     them from the ELF). An interrupt on no listed stack counts against
#     every CPU that has faulted. Without stacks, one CPU as above.
#   - with counts=1, prints "vector N COUNT" for every exception vector the
#     CPUs took, for comparison with the kernel's own count.
# usage: awk [-v counts=1] [-v resumes=V] [-v stacks=RANGES] -f check-cpu-log.awk CPU-LOG
# Exits 1 when a problem was printed.
BEGIN {
	first_exception = ""
	late = 0
	nstacks = split(stacks, range, " ")
	for (c = 0; c < nstacks; c++) {
		if (range[c + 1] !~ /^[0-9a-f]+-[0-9a-f]+$/) {
			printf "check-cpu-log.awk: bad stack range '%s' (want LO-HI in hex)\n", range[c + 1]
			bad_usage = 1
			exit 2
		}
		stack_lo[c] = hex(substr(range[c + 1], 1, index(range[c + 1], "-") - 1))
		stack_hi[c] = hex(substr(range[c + 1], index(range[c + 1], "-") + 1))
	}
}

# "Servicing hardware INT=0x20" precedes the entry of a delivered hardware
# interrupt; firmware ones before the kernel's first exception do not count.
# With several CPUs the entry line that follows is counted instead.
/^Servicing hardware INT=0x[0-9a-f]+/ {
	if (!nstacks && first_exception != "" && !late++)
		first_late = sprintf("the first, INT=%s, at line %d", substr($3, 5), NR)
	next
}

# "   N: v=0e e=0002 i=0 cpl=0 IP=0008:00104e05 pc=00104e05 SP=0010:0011de5c
# ...": i=1 marks a software interrupt (int N), which is no exception.
/^ *[0-9]+: v=[0-9a-f][0-9a-f] e=[0-9a-f]+ i=[01] / {
	v = hex(substr($2, 3))
	if ($4 != "i=0")
		next
	if (nstacks) {
		per_cpu_entry(v)
		next
	}
	if (v >= 32)
		next
	exceptions[v]++
	if (first_exception == "" && v != 2 && (resumes == "" || v != resumes))
		first_exception = sprintf("the first exception (vector %d, %s, line %d)", v, $7, NR)
}

# Several CPUs: the entry's CPU by its SP; a hardware interrupt (vector 32
# and up) on a CPU after that CPU's first exception is late.
function per_cpu_entry(v,   sp, cpu, c) {
	sp = $8 ~ /^SP=[0-9a-f]+:[0-9a-f]+$/ ? hex(substr($8, index($8, ":") + 1)) : -1
	cpu = -1
	for (c = 0; c < nstacks; c++)
		if (sp >= stack_lo[c] && sp <= stack_hi[c])
			cpu = c
	if (v < 32) {
		exceptions[v]++
		if (cpu >= 0 && !(cpu in faulted) && v != 2 && (resumes == "" || v != resumes)) {
			faulted[cpu] = sprintf("CPU %d's first exception (vector %d, %s, line %d)", cpu, v, $7, NR)
			if (first_exception == "")
				first_exception = faulted[cpu]
		}
		return
	}
	if (cpu >= 0 && !(cpu in faulted))
		return
	if (cpu < 0 && first_exception == "")
		return
	if (late++)
		return
	first_late = sprintf("the first, INT=0x%02x on %s, at line %d", v,
			     cpu >= 0 ? "CPU " cpu : "no CPU's stack (" $8 ")", NR)
	if (cpu >= 0)
		first_exception = faulted[cpu]
}

END {
	if (bad_usage)
		exit 2
	if (late)
		printf "QEMU's interrupt log: %d hardware interrupts delivered after %s; %s\n",
			late, first_exception, first_late
	if (counts)
		for (v = 0; v < 32; v++)
			if (v in exceptions)
				printf "vector %d %d\n", v, exceptions[v]
	exit late > 0
}

function hex(s,   n, i) {
	n = 0
	for (i = 1; i <= length(s); i++)
		n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return n
}
