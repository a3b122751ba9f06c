# Reads QEMU's interrupt log of one run (qemu -d int -D FILE), the witness
# of what the emulated CPU took, independently of the kernel:
#   - once the CPU has taken its first exception (a vector below 32, not a
#     software interrupt), no hardware interrupt may be delivered until the
#     end of the log: the emergency path keeps interrupts off from the fault
#     to the end of the panic. Any delivered is printed as one problem line.
#     With resumes=V, exceptions of vector V do not start that span: the
#     kernel returns from them (a WARN's ud2, vector 6, when it goes on).
#   - with counts=1, prints "vector N COUNT" for every exception vector the
#     CPU took, for comparison with the kernel's own count.
# usage: awk [-v counts=1] [-v resumes=V] -f check-cpu-log.awk CPU-LOG
# Exits 1 when a problem was printed.
BEGIN {
	first_exception = ""
	late = 0
}

# "Servicing hardware INT=0x20" precedes the entry of a delivered hardware
# interrupt; firmware ones before the kernel's first exception do not count.
/^Servicing hardware INT=0x[0-9a-f]+/ {
	if (first_exception != "" && !late++)
		first_late = sprintf("the first, INT=%s, at line %d", substr($3, 5), NR)
	next
}

# "   N: v=0e e=0002 i=0 cpl=0 IP=0008:00104e05 pc=00104e05 ...": i=1 marks
# a software interrupt (int N), which is no exception.
/^ *[0-9]+: v=[0-9a-f][0-9a-f] e=[0-9a-f]+ i=[01] / {
	v = hex(substr($2, 3))
	if (v >= 32 || $4 != "i=0")
		next
	exceptions[v]++
	if (first_exception == "" && (resumes == "" || v != resumes))
		first_exception = sprintf("the first exception (vector %d, %s, line %d)", v, $7, NR)
}

END {
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
