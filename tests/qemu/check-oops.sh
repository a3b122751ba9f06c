#!/bin/bash
# Validates one oops transcript (serial log or network transcript) against the
# kernel ELF it came from: the line sequence the oops contract prescribes for
# the crash site, and every symbol, size, offset and code byte against nm and
# the ELF image. Prints one line per problem; exits 1 if there is any.
# usage: check-oops.sh LOG ELF SITE
#   SITE: init-null init-divzero init-bug init-panic irq-timer irq-nic
#   $NM, $OBJDUMP override the binutils; $SRCDIR the tree holding kernel/crash.c.
set -u

usage() {
	echo "usage: $0 LOG ELF SITE" >&2
	exit 2
}
[ $# -eq 3 ] || usage
log=$1 elf=$2 site=$3
case $site in
init-null | init-divzero | init-bug | init-panic | irq-timer | irq-nic) ;;
*)
	echo "$0: unknown site '$site'" >&2
	usage
	;;
esac
NM=${NM:-i686-linux-gnu-nm}
OBJDUMP=${OBJDUMP:-i686-linux-gnu-objdump}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}

[ -r "$log" ] || {
	echo "cannot read log $log"
	exit 1
}
[ -r "$elf" ] || {
	echo "cannot read ELF $elf"
	exit 1
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-oops.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
"$NM" -S "$elf" >"$scratch/nm" || {
	echo "$NM -S $elf failed"
	exit 1
}
"$OBJDUMP" -h "$elf" >"$scratch/sections" || {
	echo "$OBJDUMP -h $elf failed"
	exit 1
}

awk -v site="$site" -v elf="$elf" -v src="$SRCDIR/kernel/crash.c" \
	-v nmfile="$scratch/nm" -v secfile="$scratch/sections" -v q="'" '
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

function problem(msg) {
	print msg
	problems++
}

function quote_line(k) {
	return "line " lineno[k] ": \"" L[k] "\""
}

# Finds the next line matching re from the cursor. Lines skipped before the
# first anchor are the boot log; inside the oops any skipped line is wrong.
function expect(re, what, anchor,   k) {
	for (k = cur; k <= n; k++)
		if (L[k] ~ re)
			break
	if (k > n) {
		problem("missing " what (cur > 1 ? " after " quote_line(cur - 1) : ""))
		return 0
	}
	if (!anchor && k > cur)
		problem(what " is not where expected: " (k - cur) " unexpected line(s) before it, first " quote_line(cur))
	cur = k + 1
	return k
}

# Checks name+0xOFF/0xSIZE against nm -S; returns the address it denotes.
# A return address may equal the size: like Linux %pB, the trace looks up
# ret-1 so that a noreturn call ending a function names that function; that
# is only honest when the function really ends in a call.
function resolve(text, where, is_return,   parts, name, off, size, k, found, end) {
	if (!match(text, /^[A-Za-z_.$][A-Za-z0-9_.$]*\+0x[0-9a-f]+\/0x[0-9a-f]+$/)) {
		problem(where ": malformed symbol reference \"" text "\"")
		return -1
	}
	split(text, parts, /\+|\//)
	name = parts[1]
	off = hexval(parts[2])
	size = hexval(parts[3])
	if (!(name in symcount)) {
		problem(where ": " name " is not a text symbol in the ELF")
		return -1
	}
	found = 0
	for (k = 1; k <= symcount[name]; k++)
		if (symsize[name, k] == size) {
			found = k
			break
		}
	if (!found) {
		problem(where ": " name " size " parts[3] " disagrees with nm -S (" symsizes[name] ")")
		return -1
	}
	end = symaddr[name, found] + size
	if (is_return && off == size && size >= 5) {
		read_image(end - 5, 5, end - 1)
		if (ELFBYTE[end - 5] != "e8" && !(ELFBYTE[end - 2] == "ff" && ELFBYTE[end - 1] ~ /^d[0-7]$/))
			problem(where ": return address at the end of " name ", which does not end in a call")
	} else if (off >= size) {
		problem(where ": offset " parts[2] " is not inside " name " (size " parts[3] ")")
		return -1
	}
	return symaddr[name, found] + off
}

# Reads len bytes of the loaded image from address addr into ELFBYTE[];
# addresses outside the section that holds anchor are left unset.
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
	cmd = sprintf("od -An -tx1 -v -j %.0f -N %.0f %s%s%s", secoff[k] + first - secvma[k],
		      last - first + 1, q, elf, q)
	at = first
	while ((cmd | getline line) > 0) {
		nf = split(line, f, " ")
		for (i = 1; i <= nf; i++)
			ELFBYTE[at++] = f[i]
	}
	close(cmd)
	return at > first
}

function check_code(k, eip,   toks, ntok, i, marked, nmarked, tok, start, mism) {
	ntok = split(substr(L[k], 7), toks, " ")
	nmarked = 0
	for (i = 1; i <= ntok; i++) {
		tok = toks[i]
		if (tok ~ /^<[0-9a-f][0-9a-f]>$/) {
			nmarked++
			marked = i
			toks[i] = substr(tok, 2, 2)
		} else if (tok !~ /^[0-9a-f][0-9a-f]$/) {
			problem("Code: token \"" tok "\" is not a hex byte, " quote_line(k))
			return
		}
	}
	if (nmarked != 1) {
		problem("Code: line has " nmarked " marked <xx> bytes, want exactly 1, " quote_line(k))
		return
	}
	if (eip < 0)
		return
	start = eip - (marked - 1)
	if (!read_image(start, ntok, eip) || !((eip) in ELFBYTE)) {
		problem(sprintf("Code: EIP address 0x%x is in no section of the ELF with contents", eip))
		return
	}
	if (ELFBYTE[eip] != toks[marked])
		problem(sprintf("Code: marked byte <%s> but the ELF has %s at EIP 0x%x", toks[marked],
				ELFBYTE[eip], eip))
	mism = 0
	for (i = 1; i <= ntok; i++)
		if (i != marked && (start + i - 1) in ELFBYTE && ELFBYTE[start + i - 1] != toks[i])
			mism++
	if (mism)
		problem("Code: " mism " unmarked byte(s) differ from the ELF around EIP, " quote_line(k))
}

function check_regline(k, re, what) {
	if (k && L[k] !~ re)
		problem(what " register line malformed, " quote_line(k))
}

# Walks " name+0xOFF/0xSIZE" frames and " <IRQ>"/" </IRQ>" markers after
# "Call Trace:"; records their layout in the globals below.
function walk_trace(   k, t, body) {
	nframes = 0
	irq_open = irq_close = 0
	irq_first = 0
	frames_in_irq = frames_after_irq = 0
	has_kernel_main = 0
	for (k = cur; k <= n && L[k] ~ /^ /; k++) {
		t = L[k]
		if (t == " <IRQ>") {
			irq_open++
			if (k == cur)
				irq_first = 1
			if (irq_close)
				problem("<IRQ> after </IRQ>, " quote_line(k))
			continue
		}
		if (t == " </IRQ>") {
			irq_close++
			if (!irq_open)
				problem("</IRQ> before any <IRQ>, " quote_line(k))
			continue
		}
		body = substr(t, 2)
		if (body ~ /^ /) {
			problem("frame line must have exactly one leading space, " quote_line(k))
			continue
		}
		nframes++
		frame_names[body]++
		if (body ~ /^kernel_main\+/)
			has_kernel_main = 1
		if (irq_open && !irq_close)
			frames_in_irq++
		else if (irq_close)
			frames_after_irq++
		resolve(body, "frame " quote_line(k), 1)
	}
	cur = k
}

FILENAME == nmfile {
	if (NF == 4 && $3 ~ /^[TtWw]$/) {
		symcount[$4]++
		symaddr[$4, symcount[$4]] = hexval($1)
		symsize[$4, symcount[$4]] = hexval($2)
		symsizes[$4] = symsizes[$4] (symsizes[$4] == "" ? "" : " ") "0x" $2
	} else if (NF == 3 && $2 ~ /^[TtWw]$/) {
		symcount[$3]++
		symaddr[$3, symcount[$3]] = hexval($1)
		symsize[$3, symcount[$3]] = -1
		symsizes[$3] = symsizes[$3] (symsizes[$3] == "" ? "" : " ") "none"
	}
	next
}

FILENAME == secfile {
	if ($1 ~ /^[0-9]+$/ && NF >= 7) {
		pending = $2
		psize = hexval($3)
		pvma = hexval($4)
		poff = hexval($6)
	} else if (pending != "" && $0 ~ /CONTENTS/) {
		nsec++
		secvma[nsec] = pvma
		secsize[nsec] = psize
		secoff[nsec] = poff
		pending = ""
	} else
		pending = ""
	next
}

{
	sub(/\r+$/, "")
	sub(/^\[ *[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]\] /, "")
	n++
	L[n] = $0
	lineno[n] = FNR
}

END {
	H8 = "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
	H4 = "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
	in_irq = site ~ /^irq-/
	null_site = site == "init-null" || in_irq
	fn = "crash_" site
	gsub(/-/, "_", fn)
	if (n == 0) {
		problem("log is empty")
		exit 1
	}

	for (k = 1; k <= n; k++) {
		if (tolower(L[k]) ~ /double fault/)
			problem("double fault reported, " quote_line(k))
		if (L[k] ~ /[Rr]ecursive fault/)
			problem("recursive fault reported, " quote_line(k))
		if (L[k] ~ /\[#[0-9]+\]/)
			n_oops_no++
		if (L[k] ~ /\[#[02-9][0-9]*\]/)
			problem("nested oops, " quote_line(k))
		if (L[k] ~ /^Kernel panic - not syncing:/)
			n_panic++
		if (L[k] ~ /^---\[ end Kernel panic - not syncing:/)
			n_panic_end++
		if (L[k] ~ /^Call Trace:$/)
			n_trace++
		if (L[k] ~ /^BUG: /)
			n_bug_title++
		if (L[k] ~ /^Oops:/)
			n_oops_title++
	}
	if (n_panic != 1)
		problem(n_panic + 0 " \"Kernel panic - not syncing:\" lines, want 1")
	if (n_panic_end != 1)
		problem(n_panic_end + 0 " \"---[ end Kernel panic\" lines, want 1")
	if (n_trace != 1)
		problem(n_trace + 0 " \"Call Trace:\" lines, want 1")
	if (n_oops_no != (site == "init-panic" ? 0 : 1))
		problem(n_oops_no + 0 " oops counter \"[#N]\" lines, want " (site == "init-panic" ? 0 : 1))
	if (n_bug_title != (null_site ? 1 : 0))
		problem(n_bug_title + 0 " \"BUG: \" title lines, want " (null_site ? 1 : 0))
	if (n_oops_title != (null_site ? 1 : 0))
		problem(n_oops_title + 0 " \"Oops:\" lines, want " (null_site ? 1 : 0))

	cur = 1
	if (site == "init-panic") {
		k = expect("^Kernel panic - not syncing: ", "\"Kernel panic - not syncing: <message>\"", 1)
		message = k ? substr(L[k], 29) : ""
		if (k && (message ~ /^ *$/ || message ~ /^Fatal exception/))
			problem("panic message should be the crash site text, " quote_line(k))
		expect("^CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ ", "CPU: line", 0)
	} else {
		if (site == "init-bug") {
			expect("^------------\\[ cut here \\]------------$", "\"------------[ cut here ]------------\"", 1)
			k = expect("^kernel BUG at ", "\"kernel BUG at kernel/crash.c:NN!\"", 0)
			if (k) {
				if (L[k] !~ /^kernel BUG at kernel\/crash\.c:[0-9]+!$/)
					problem("BUG location must be kernel/crash.c:NN!, " quote_line(k))
				else {
					want = L[k]
					sub(/^kernel BUG at kernel\/crash\.c:/, "", want)
					sub(/!$/, "", want)
					want += 0
					srcline = ""
					for (i = 1; i <= want && (getline srcline < src) > 0; i++)
						;
					close(src)
					if (i <= want)
						problem("kernel/crash.c has no line " want " (" src ")")
					else if (srcline !~ /(^|[^A-Za-z0-9_])BUG\(\)/)
						problem("kernel/crash.c:" want " has no BUG(): \"" srcline "\"")
				}
			}
			expect("^invalid opcode: 0000 \\[#1\\]( .*)?$", "\"invalid opcode: 0000 [#1]\"", 0)
		} else if (site == "init-divzero") {
			expect("^divide error: 0000 \\[#1\\]( .*)?$", "\"divide error: 0000 [#1]\"", 1)
		} else {
			expect("^BUG: kernel NULL pointer dereference, address: 00000000$",
			       "\"BUG: kernel NULL pointer dereference, address: 00000000\"", 1)
			expect("^#PF: supervisor write access in kernel mode$",
			       "\"#PF: supervisor write access in kernel mode\"", 0)
			expect("^#PF: error_code\\(0x0002\\) - not-present page$",
			       "\"#PF: error_code(0x0002) - not-present page\"", 0)
			# Linux x86_32 also shows the page-table walk here; the contract omits it.
			if (L[cur] ~ "^\\*pde = " H8 "( \\*pte = " H8 ")? ?$")
				cur++
			expect("^Oops: 0002 \\[#1\\]( .*)?$", "\"Oops: 0002 [#1]\"", 0)
		}
		expect("^CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ ", "CPU: line", 0)

		eip = -1
		k = expect("^EIP: ", "EIP: line", 0)
		if (k) {
			ref = substr(L[k], 6)
			if (index(ref, fn "+") != 1)
				problem("EIP is not in " fn ", " quote_line(k))
			else
				eip = resolve(ref, "EIP " quote_line(k), 0)
		}
		k = expect("^Code: ", "Code: line", 0)
		if (k)
			check_code(k, eip)
		check_regline(expect("^EAX: ", "EAX: line", 0),
			      "^EAX: " H8 " EBX: " H8 " ECX: " H8 " EDX: " H8 "$", "EAX/EBX/ECX/EDX")
		check_regline(expect("^ESI: ", "ESI: line", 0),
			      "^ESI: " H8 " EDI: " H8 " EBP: " H8 " ESP: " H8 "$", "ESI/EDI/EBP/ESP")
		check_regline(expect("^DS: ", "DS: line", 0),
			      "^DS: " H4 " ES: " H4 " FS: " H4 " GS: " H4 " SS: " H4 " EFLAGS: " H8 "$",
			      "DS/ES/FS/GS/SS/EFLAGS")
		k = expect("^CR0: ", "CR0: line", 0)
		check_regline(k, "^CR0: " H8 " CR2: " H8 " CR3: " H8 " CR4: " H8 "$", "CR0/CR2/CR3/CR4")
		if (k && null_site && L[k] !~ / CR2: 00000000 /)
			problem("CR2 must be 00000000 for a NULL dereference, " quote_line(k))
		message = "Fatal exception" (in_irq ? " in interrupt" : "")
	}

	if (expect("^Call Trace:$", "\"Call Trace:\"", 0)) {
		walk_trace()
		if (nframes < 1)
			problem("Call Trace: has no frames")
		if (in_irq) {
			if (irq_open != 1 || irq_close != 1)
				problem("want one \" <IRQ>\" and one \" </IRQ>\" line in the trace, found " irq_open " and " irq_close)
			else {
				if (!irq_first)
					problem("the trace must open with \" <IRQ>\" (the fault is in IRQ context)")
				if (frames_in_irq < 1)
					problem("no frames between <IRQ> and </IRQ>")
				if (frames_after_irq < 1)
					problem("no interrupted-context frames after </IRQ>")
			}
		} else {
			if (irq_open || irq_close)
				problem("<IRQ>/</IRQ> markers in the trace of an init site")
			if (!has_kernel_main)
				problem("the trace does not reach kernel_main")
		}
		if (site == "init-panic") {
			found = 0
			for (f in frame_names)
				if (index(f, fn "+") == 1)
					found = 1
			if (!found)
				problem("the trace does not include " fn)
		}
	}
	if (site != "init-panic") {
		expect("^---\\[ end trace [0-9a-f]+ \\]---$", "\"---[ end trace ... ]---\"", 0)
		expect("^Kernel panic - not syncing: ", "\"Kernel panic - not syncing: " message "\"", 0)
		if (cur > 1 && L[cur - 1] ~ /^Kernel panic/ && L[cur - 1] != "Kernel panic - not syncing: " message)
			problem("want \"Kernel panic - not syncing: " message "\", " quote_line(cur - 1))
	}
	# panic=N>0 announces the reboot as Linux does.
	if (L[cur] ~ /^Rebooting in [0-9]+ seconds\.\.$/)
		cur++
	endline = "---[ end Kernel panic - not syncing: " message " ]---"
	k = expect("^---\\[ end Kernel panic - not syncing: ", "\"" endline "\"", 0)
	if (k) {
		if (L[k] != endline)
			problem("want \"" endline "\", " quote_line(k))
		if (k < n)
			problem((n - k) " line(s) after the end line, first " quote_line(k + 1))
	}
	exit(problems ? 1 : 0)
}
' "$scratch/nm" "$scratch/sections" "$log"
