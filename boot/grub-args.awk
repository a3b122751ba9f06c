# Prints the kernel command line in ENVIRON["CMDLINE"] as the arguments of
# GRUB's multiboot command, for boot/mkiso.sh: one single-quoted GRUB word
# per space-separated word, an empty one ('') for each extra space, so that
# GRUB, which joins the arguments with one space, rebuilds the line byte for
# byte. Inside single quotes GRUB takes every character literally except
# the quote itself, which is written '\''.
BEGIN {
	n = split(ENVIRON["CMDLINE"], words, /[ ]/)
	for (i = 1; i <= n; i++) {
		word = words[i]
		gsub(/'/, "'\\''", word)
		printf "%s'%s'", (i > 1 ? " " : ""), word
	}
}
