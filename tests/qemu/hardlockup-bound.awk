# The NMI watchdog's bounds, from one run's serial log (kernel timestamps):
# from the crash site's "crash: hardlockup: spinning with interrupts off"
# line to "NMI watchdog: Watchdog detected hard LOCKUP", no less than
# watchdog_thresh - 50 ms (the line comes just before interrupts go off) and
# at most 3 * watchdog_thresh + 1 s (the detector's own bound is
# watchdog_thresh + 1 s: two NMI periods of 500 ms); and from the report to
# the panic's end line. watchdog_thresh as the kernel echoed its command line
# (default 1). Prints one line, "hard lockup detected D ms after the lockup
# (bound LO..HI ms); panic end E ms after", and exits 1 when a bound is
# broken or a line is missing.
# usage: awk -f hardlockup-bound.awk SERIAL-LOG
function stamp(line) {
	return substr(line, 2, index(line, "]") - 2) + 0
}
/ Kernel command line: / && match($0, / watchdog_thresh=[0-9]+( |$)/) {
	thresh = substr($0, RSTART + 17, RLENGTH - 17) + 0
	thresh_given = 1
}
/\] crash: hardlockup: spinning with interrupts off on CPU [0-9]+$/ && start == "" {
	start = stamp($0)
}
/\] NMI watchdog: Watchdog detected hard LOCKUP on cpu [0-9]+$/ && found == "" {
	found = stamp($0)
}
/\] ---\[ end Kernel panic - not syncing: / && end == "" {
	end = stamp($0)
}
END {
	if (!thresh_given)
		thresh = 1
	if (start == "" || found == "" || end == "") {
		printf "hardlockup-bound.awk: missing %s line\n", start == "" ? "the site's \"spinning with interrupts off\"" : found == "" ? "the \"Watchdog detected hard LOCKUP\"" : "the panic's end"
		exit 1
	}
	lo = thresh * 1000 - 50
	hi = (3 * thresh + 1) * 1000
	d = int((found - start) * 1000 + 0.5)
	printf "hard lockup detected %d ms after the lockup (bound %d..%d ms, watchdog_thresh=%d); panic end %d ms after\n",
		d, lo, hi, thresh, int((end - found) * 1000 + 0.5)
	exit !(d >= lo && d <= hi)
}
