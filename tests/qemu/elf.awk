# The kernel ELF as a witness, for awk programs run with -f beside this file:
# its text symbols, its sections and the bytes of its loaded image, read with
# the binutils the Makefile chose (awk variables nm and objdump) and od.
# Call elf_load(path) first; it returns 0 when a tool fails.

function hexval(s,   i, d, v) {
	s = tolower(s)
	sub(/^0x/, "", s)
	if (s == "")
		return -1
	v = 0
	for (i = 1; i <= length(s); i++) {
		d = index("0123456789abcdef", substr(s, i, 1))
		if (d == 0)
			return -1
		v = v * 16 + d - 1
	}
	return v
}

function shell_quote(s) {
	gsub(/'/, "'\\''", s)
	return "'" s "'"
}

# Fills symcount[name], symaddr[name, k], symsize[name, k] and symsizes[name]
# for the text symbols (a static name may be defined more than once; size -1
# when nm gives none), datasym[name] and datasize[name] for the others, and
# the sections with contents: secvma[], secsize[], secoff[] for 1..nsec.
function elf_load(path,   cmd, line, f, nf, pending, psize, pvma, poff, ok) {
	elf = path
	cmd = nm " -S " shell_quote(elf)
	ok = 0
	while ((cmd | getline line) > 0) {
		ok = 1
		nf = split(line, f, " ")
		if (nf == 4 && f[3] ~ /^[TtWw]$/) {
			symcount[f[4]]++
			symaddr[f[4], symcount[f[4]]] = hexval(f[1])
			symsize[f[4], symcount[f[4]]] = hexval(f[2])
			symsizes[f[4]] = symsizes[f[4]] (symsizes[f[4]] == "" ? "" : " ") "0x" f[2]
		} else if (nf == 3 && f[2] ~ /^[TtWw]$/) {
			symcount[f[3]]++
			symaddr[f[3], symcount[f[3]]] = hexval(f[1])
			symsize[f[3], symcount[f[3]]] = -1
			symsizes[f[3]] = symsizes[f[3]] (symsizes[f[3]] == "" ? "" : " ") "none"
		} else if (nf >= 3) {
			datasym[f[nf]] = hexval(f[1])
			datasize[f[nf]] = nf == 4 ? hexval(f[2]) : -1
		}
	}
	if (close(cmd) || !ok)
		return 0
	cmd = objdump " -h " shell_quote(elf)
	ok = 0
	while ((cmd | getline line) > 0) {
		ok = 1
		nf = split(line, f, " ")
		if (f[1] ~ /^[0-9]+$/ && nf >= 7) {
			pending = f[2]
			psize = hexval(f[3])
			pvma = hexval(f[4])
			poff = hexval(f[6])
		} else if (pending != "" && line ~ /CONTENTS/) {
			nsec++
			secvma[nsec] = pvma
			secsize[nsec] = psize
			secoff[nsec] = poff
			pending = ""
		} else
			pending = ""
	}
	return !close(cmd) && ok
}

# Reads len bytes of the loaded image from address addr into ELFBYTE[] (two
# hex digits each); addresses outside the section that holds anchor are left
# unset. Returns whether any byte was read.
function read_image(addr, len, anchor,   k, first, last, cmd, line, nf, f, i, at) {
	for (k in ELFBYTE)
		delete ELFBYTE[k]
	for (k = 1; k <= nsec; k++)
		if (secvma[k] <= anchor && anchor < secvma[k] + secsize[k])
			break
	if (k > nsec)
		return 0
	first = addr < secvma[k] ? secvma[k] : addr
	last = addr + len - 1
	if (last >= secvma[k] + secsize[k])
		last = secvma[k] + secsize[k] - 1
	cmd = sprintf("od -An -tx1 -v -j %.0f -N %.0f %s", secoff[k] + first - secvma[k],
		      last - first + 1, shell_quote(elf))
	at = first
	while ((cmd | getline line) > 0) {
		nf = split(line, f, " ")
		for (i = 1; i <= nf; i++)
			ELFBYTE[at++] = f[i]
	}
	close(cmd)
	return at > first
}

# The little-endian 32-bit word at addr of the image, or -1.
function read_word(addr,   i, v) {
	if (!read_image(addr, 4, addr) || !((addr + 3) in ELFBYTE))
		return -1
	v = 0
	for (i = 3; i >= 0; i--)
		v = v * 256 + hexval(ELFBYTE[addr + i])
	return v
}

# The NUL-terminated string at addr of the image (at most 64 bytes), or "".
function read_string(addr,   s, i) {
	s = ""
	if (!read_image(addr, 64, addr))
		return s
	for (i = addr; (i in ELFBYTE) && ELFBYTE[i] != "00"; i++)
		s = s sprintf("%c", hexval(ELFBYTE[i]))
	return s
}

# The kernel's crash-site table, read from the image: the array of name
# pointers site_names[] in kernel/harness/crash.c. Fills crash_site[1..n] and
# is_crash_site[name]; returns n, 0 when the ELF has no such table.
function elf_crash_sites(   n, k, name, ptr) {
	if (!("site_names" in datasym) || datasize["site_names"] <= 0)
		return 0
	n = 0
	for (k = 0; k < datasize["site_names"]; k += 4) {
		ptr = read_word(datasym["site_names"] + k)
		name = ptr > 0 ? read_string(ptr) : ""
		if (name !~ /^[a-z0-9][a-z0-9-]*$/)
			return 0
		crash_site[++n] = name
		is_crash_site[name] = 1
	}
	return n
}

# Disassembles the ELF's code with objdump -d: insn_len[addr] and
# insn_text[addr] ("mnemonic operands") for every instruction, and
# insn_ending_at[end] = addr. Returns the number of instructions.
function elf_disassemble(   cmd, line, f, b, a, nb, n) {
	cmd = objdump " -d -w " shell_quote(elf)
	n = 0
	while ((cmd | getline line) > 0) {
		if (line !~ /^ *[0-9a-f]+:\t/ || split(line, f, "\t") < 3)
			continue
		sub(/^ +/, "", f[1])
		a = hexval(substr(f[1], 1, length(f[1]) - 1))
		nb = split(f[2], b, " ")
		gsub(/ +/, " ", f[3])
		sub(/ $/, "", f[3])
		insn_len[a] = nb
		insn_text[a] = f[3]
		insn_ending_at[a + nb] = a
		n++
	}
	close(cmd)
	return n
}
