# Prints the kernel's crash-site table, one name a line, as read out of the
# kernel ELF given as the only argument (see elf.awk): the list that the
# tests and the README are checked against.
# usage: awk -v nm=NM -v objdump=OBJDUMP -f elf.awk -f crash-sites.awk ELF
BEGIN {
	if (ARGC != 2) {
		print "usage: awk -v nm=NM -v objdump=OBJDUMP -f elf.awk -f crash-sites.awk ELF" > "/dev/stderr"
		exit 2
	}
	if (!elf_load(ARGV[1])) {
		print "crash-sites: " nm " -S or " objdump " -h failed on " ARGV[1] > "/dev/stderr"
		exit 1
	}
	n = elf_crash_sites()
	if (!n) {
		print "crash-sites: " ARGV[1] " has no readable site_names[] table" > "/dev/stderr"
		exit 1
	}
	for (k = 1; k <= n; k++)
		print crash_site[k]
	exit 0
}
