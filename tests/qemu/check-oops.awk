# Validates one oops transcript (serial log or network transcript, the input)
# against the kernel ELF it came from (see elf.awk): the line sequence the oops
# contract prescribes for the crash site, and every symbol, size, offset and
# code byte against nm, objdump and the ELF image. Prints one line per
# problem; exits 1 if there is any, 2 for an unknown site.
# With cpulog, QEMU's interrupt log of the run (-d int), the emulated CPU
# must have taken each reported fault (and no other exception). With
# hardware, the SMBIOS description QEMU was given (-smbios), the
# "Hardware name:" lines must show exactly it.
# Run by check-oops.sh: awk -v site=SITE -v elfpath=ELF -v srcdir=TREE
#   -v nm=NM -v objdump=OBJDUMP [-v cpulog=FILE] [-v hardware=TEXT]
#   -f elf.awk -f check-oops.awk LOG

# What each site of the kernel's crash-site table must show: the fault it
# takes (null: a write through NULL; divzero: a division by zero; bug: BUG();
# guard: a write into the stack guard page; panic: no fault, a panic() call;
# warn: WARN_ON(), reported, and the kernel goes on; gpf: a null selector
# loaded into SS; int3: a breakpoint trap; ro: a write into the kernel's
# read-only text; canary: a stack-protector panic; softlockup: a loop the
# watchdog reports from the timer interrupt; hardlockup: a loop with
# interrupts off the NMI watchdog reports from its NMI).
# The irq-* and smp-irq-* sites fault in an interrupt handler. The kernel's table and this
# one must name the same sites.
function site_rules() {
	rule_fault["init-null"] = "null"
	rule_fault["init-divzero"] = "divzero"
	rule_fault["init-bug"] = "bug"
	rule_fault["init-panic"] = "panic"
	rule_fault["irq-timer"] = "null"
	rule_fault["irq-nic"] = "null"
	rule_fault["irq-nic-locked"] = "null"
	rule_fault["nested"] = "null"
	rule_fault["stack-overflow"] = "guard"
	rule_fault["early"] = "null"
	rule_fault["flood-then-oops"] = "null"
	rule_fault["warn"] = "warn"
	rule_fault["gpf"] = "gpf"
	rule_fault["irq-bug"] = "bug"
	rule_fault["int3"] = "int3"
	rule_fault["write-ro"] = "ro"
	rule_fault["corrupt-stack"] = "canary"
	rule_fault["softlockup"] = "softlockup"
	rule_fault["smp-tx-held"] = "null"
	rule_fault["smp-irq-nic"] = "null"
	rule_fault["smp-log-held"] = "null"
	rule_fault["smp-both"] = "null"
	rule_fault["hardlockup"] = "hardlockup"
}

BEGIN {
	site_rules()
	if (!elf_load(elfpath) || !elf_disassemble()) {
		print "cannot read ELF " elfpath " with " nm " -S and " objdump " -h and -d"
		exit_now = 1
		exit 1
	}
	if (cpulog != "")
		load_cpu_log(cpulog)
	nsites = elf_crash_sites()
	if (!nsites)
		problem("the ELF has no crash-site table (site_names[])")
	for (k = 1; k <= nsites; k++)
		if (crash_site[k] != "none" && !(crash_site[k] in rule_fault))
			problem("the kernel's crash site " crash_site[k] " has no rule in check-oops.awk")
	for (s in rule_fault)
		if (nsites && !(s in is_crash_site))
			problem("check-oops.awk has a rule for " s ", which the kernel's crash-site table lacks")
	if (!(site in rule_fault) || (nsites && !(site in is_crash_site))) {
		print "unknown site '" site "'" > "/dev/stderr"
		exit_now = 2
		exit 2
	}
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

# Checks name+0xOFF/0xSIZE against nm -S; returns the address it denotes and
# leaves the start of its function in res_func.
# A return address may equal the size: like Linux %pB, the trace looks up
# ret-1 so that a noreturn call ending a function names that function
# (check_frame_address sees that a call ends there).
function resolve(text, where, is_return,   parts, name, off, size, k, found) {
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
	res_func = symaddr[name, found]
	if (off > size || (off == size && !is_return)) {
		problem(where ": offset " parts[2] " is not inside " name " (size " parts[3] ")")
		return -1
	}
	return symaddr[name, found] + off
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

# Whether the call instruction before return address ret calls func: a frame
# may repeat only in a recursion, anything else is the unwinder counting a
# frame twice.
function calls_itself(ret, func,   f) {
	if (!(ret in insn_ending_at) || split(insn_text[insn_ending_at[ret]], f, " ") < 2)
		return 0
	return f[1] ~ /^call/ && f[2] ~ /^[0-9a-f]+$/ && hexval(f[2]) == func
}

function in_entry_code(addr) {
	return ("trap_entry_start" in symcount) && ("trap_entry_end" in symcount) &&
	       addr >= symaddr["trap_entry_start", 1] && addr < symaddr["trap_entry_end", 1]
}

# A frame is a return address: in the ELF's disassembly a call instruction
# ends exactly there. Only the frame after one in the trap entry code is the
# trap frame's EIP, the interrupted instruction, which must start an
# instruction.
function check_frame_address(addr, interrupted, k) {
	if (interrupted) {
		if (!(addr in insn_text))
			problem(sprintf("frame %s: interrupted EIP 0x%x starts no instruction in the ELF's disassembly",
					quote_line(k), addr))
	} else if (!(addr in insn_ending_at) || insn_text[insn_ending_at[addr]] !~ /^call/)
		problem(sprintf("frame %s: no call instruction ends at 0x%x (%s), so it is no return address",
				quote_line(k), addr,
				(addr in insn_ending_at) ? "after " insn_text[insn_ending_at[addr]] : "not after an instruction"))
}

# Walks " name+0xOFF/0xSIZE" frames and " <IRQ>"/" </IRQ>" markers after
# "Call Trace:"; records the frames in fr_text[], fr_name[] and fr_zone[]
# ("irq" inside <IRQ>, "task" after </IRQ>, "" without markers) and the
# layout in the globals below.
function walk_trace(   k, t, body, prev, ret, after_entry) {
	nframes = 0
	trace_cut = 0
	after_entry = 0
	irq_open = irq_close = 0
	irq_first = 0
	frames_in_irq = frames_after_irq = 0
	has_kernel_main = 0
	has_ap_main = 0
	prev = ""
	for (k = cur; k <= n && L[k] ~ /^ /; k++) {
		t = L[k]
		if (t == " <IRQ>") {
			irq_open++
			if (k == cur)
				irq_first = 1
			if (irq_close)
				problem("<IRQ> after </IRQ>, " quote_line(k))
			prev = ""
			continue
		}
		if (t == " ... (more frames beyond 32 not shown)") {
			trace_cut++
			if (L[k + 1] ~ /^ /)
				problem("frames after the cut marker, " quote_line(k + 1))
			continue
		}
		if (t == " </IRQ>") {
			irq_close++
			if (!irq_open)
				problem("</IRQ> before any <IRQ>, " quote_line(k))
			prev = ""
			continue
		}
		body = substr(t, 2)
		if (body ~ /^ /) {
			problem("frame line must have exactly one leading space, " quote_line(k))
			continue
		}
		nframes++
		fr_text[nframes] = body
		fr_name[nframes] = body
		sub(/\+.*/, "", fr_name[nframes])
		fr_zone[nframes] = ""
		frame_names[body]++
		if (body ~ /^kernel_main\+/)
			has_kernel_main = 1
		if (body ~ /^ap_main\+/)
			has_ap_main = 1
		if (irq_open && !irq_close) {
			frames_in_irq++
			fr_zone[nframes] = "irq"
		} else if (irq_close) {
			frames_after_irq++
			fr_zone[nframes] = "task"
		}
		ret = resolve(body, "frame " quote_line(k), !after_entry)
		if (ret >= 0)
			check_frame_address(ret, after_entry, k)
		# By the call: a noreturn call ending the function linked just
		# before the entry code returns to its first byte.
		after_entry = ret >= 0 && in_entry_code(ret - 1)
		if (body == prev && ret >= 0 && !calls_itself(ret, res_func))
			problem("frame repeated though the call before it is no recursion, " quote_line(k))
		prev = body
	}
	cur = k
	# The unwinder stops at 32 frames and says so when more exist: a trace
	# that ends there short of kernel_main was cut.
	if (trace_cut && (nframes != 32 || has_kernel_main))
		problem("the trace says frames were cut, but it has " nframes " frames" (has_kernel_main ? " and reaches kernel_main" : ""))
	if (!trace_cut && nframes == 32 && !has_kernel_main)
		problem("the trace stops at 32 frames short of kernel_main without saying frames were left out")
}

# "CPU: N PID: P Comm: swapper/N ...": the idle task of CPU N, named as
# Linux names it; then the machine, as QEMU's -smbios gave it when known.
function check_task_lines(   k) {
	# Sets rep_cpu; the task must be that CPU's idle task swapper/N.
	check_cpu_line(expect("^CPU: [0-9]+ PID: [0-9]+ Comm: [^ ]+ ", "CPU: line", 0))
	k = expect("^Hardware name: ", "\"Hardware name:\" line", 0)
	if (k && hardware != "" && L[k] != "Hardware name: " hardware)
		problem("want \"Hardware name: " hardware "\" (QEMU's -smbios), " quote_line(k))
	else if (k && L[k] !~ /^Hardware name: [ -~]+$/)
		problem("Hardware name: line empty or not printable, " quote_line(k))
}

# The recursion's frame size from its prologue in the disassembly: the
# return address, each push, and the sub from ESP; 0 when unknown.
function frame_bytes(func, eip,   a, bytes, n, sub_seen) {
	bytes = 4
	sub_seen = 0
	for (a = func; a < eip; a++) {
		if (!(a in insn_text))
			continue
		n = parse_insn(insn_text[a])
		if (insn_op ~ /^push[lw]?$/)
			bytes += 4
		else if (insn_op ~ /^sub[lw]?$/ && n == 2 && insn_args[2] == "%esp" && insn_args[1] ~ /^\$0x[0-9a-f]+$/) {
			bytes += hexval(substr(insn_args[1], 4))
			sub_seen = 1
		}
	}
	return sub_seen ? bytes : 0
}

# The frames first..last of the trace must name the functions of the list
# want in that order; other frames may come between them unless exact.
function check_frames(first, last, want, exact, what,   w, nw, i, j) {
	nw = split(want, w, " ")
	if (exact) {
		if (last - first + 1 != nw) {
			problem(what ": " (last - first + 1) " frames, want " nw " (" want ")")
			return i
		}
		for (j = 1; j <= nw; j++)
			if (fr_name[first + j - 1] != w[j]) {
				problem(what ": frame " j " is " fr_text[first + j - 1] ", want " w[j])
				return 0
			}
		return 1
	}
	j = 1
	for (i = first; i <= last && j <= nw; i++)
		if (fr_name[i] == w[j])
			j++
	if (j <= nw) {
		problem(what ": no " w[j] " frame" (j > 1 ? " after " w[j - 1] : "") " (want in order: " want ")")
		return 0
	}
	return 1
}

# The stack of CPU cpu per the ELF, as cs_lo..cs_hi (inclusive): the boot
# stack for CPU 0, slot cpu of ap_stacks (8 slots, the kernel's
# SMP_MAX_CPUS, each a guard page and the stack above it) for the others.
function cpu_stack(cpu,   slot) {
	if (cpu == 0) {
		if (!("boot_stack_bottom" in datasym) || !("boot_stack_top" in datasym))
			return i
		cs_lo = datasym["boot_stack_bottom"]
		cs_hi = datasym["boot_stack_top"] - 1
		return 1
	}
	if (!("ap_stacks" in datasym) || datasize["ap_stacks"] <= 0 || cpu >= 8)
		return 0
	slot = datasize["ap_stacks"] / 8
	cs_lo = datasym["ap_stacks"] + cpu * slot + 4096
	cs_hi = datasym["ap_stacks"] + (cpu + 1) * slot - 1
	return 1
}

# "CPU: N PID: 0 Comm: swapper/N ...": sets rep_cpu (-1 when malformed).
function check_cpu_line(k,   f) {
	rep_cpu = -1
	if (!k)
		return
	split(L[k], f, " ")
	if (f[2] !~ /^[0-9]+$/ || f[6] != "swapper/" f[2]) {
		problem("CPU: line must name CPU N and its idle task swapper/N, " quote_line(k))
		return
	}
	rep_cpu = f[2] + 0
	if (!cpu_stack(rep_cpu))
		problem("the ELF has no stack for CPU " rep_cpu ", " quote_line(k))
}

# The reported ESP (which the QEMU log check ties to the CPU's own) must lie
# on the stack of the CPU the CPU: line names (or its guard page, for a
# stack overflow): the witness that the report names the faulting CPU.
function check_esp_on_cpu_stack(guard_ok) {
	if (rep_cpu < 0 || rep_esp < 0 || !cpu_stack(rep_cpu))
		return
	if (rep_esp >= cs_lo && rep_esp <= cs_hi + 1)
		return
	if (guard_ok && rep_esp >= cs_lo - 4096 && rep_esp < cs_lo)
		return
	problem(sprintf("ESP %08x is not on CPU %d's stack %08x..%08x", rep_esp, rep_cpu, cs_lo, cs_hi))
}

# "BUG: stack guard page was hit at G (stack is B..T)": B..T must be the
# stack of one CPU in the ELF (guard_cpu) and G in the guard page right below it.
function check_guard_line(k,   s, cpu) {
	if (L[k] !~ "^BUG: stack guard page was hit at " H8 " \\(stack is " H8 "\\.\\." H8 "\\)$") {
		problem("guard page line malformed, " quote_line(k))
		return
	}
	guard_addr = hexval(substr(L[k], 34, 8))
	stack_lo = hexval(substr(L[k], 53, 8))
	stack_hi = hexval(substr(L[k], 63, 8))
	guard_cpu = -1
	for (cpu = 0; cpu < 8 && guard_cpu < 0; cpu++)
		if (cpu_stack(cpu) && stack_lo == cs_lo && stack_hi == cs_hi)
			guard_cpu = cpu
	if (guard_cpu < 0) {
		s = cpu_stack(0) ? sprintf("%08x..%08x", cs_lo, cs_hi) : "none in the ELF"
		problem("stack range is no CPU's stack (boot_stack_bottom..boot_stack_top-1 is " s "), " quote_line(k))
	}
	if (!(guard_addr >= stack_lo - 4096 && guard_addr < stack_lo))
		problem("guard page address is not in the page below the stack, " quote_line(k))
}

# Fills regs["eax"] ... regs["esp"] from a register line of the report.
function read_registers(k,   f, nf, i) {
	if (!k)
		return
	nf = split(L[k], f, " ")
	for (i = 1; i < nf; i += 2)
		if (f[i] ~ /^E[A-Z][A-Z]:$/ && f[i + 1] ~ "^" H8 "$")
			regs[tolower(substr(f[i], 1, 3))] = hexval(f[i + 1])
}

# The value of a register (32-, 16- or 8-bit name) in the report, or -1.
function reg_value(r) {
	sub(/^%/, "", r)
	if (r == "eiz")
		return 0
	if (r in regs)
		return regs[r]
	if (("e" r) in regs)
		return regs["e" r] % 65536
	if (r ~ /^[abcd]l$/ && ("e" substr(r, 1, 1) "x") in regs)
		return regs["e" substr(r, 1, 1) "x"] % 256
	if (r ~ /^[abcd]h$/ && ("e" substr(r, 1, 1) "x") in regs)
		return int(regs["e" substr(r, 1, 1) "x"] / 256) % 256
	return -1
}

# Splits an instruction's text (AT&T syntax) into its mnemonic insn_op and
# its operands insn_args[1..n], the destination last; returns n.
function parse_insn(text,   i, c, depth, arg, n) {
	while (text ~ /^(lock|rep|repz|repnz|repe|repne|data16|addr16) /)
		sub(/^[a-z0-9]+ /, "", text)
	insn_op = text
	sub(/ .*/, "", insn_op)
	text = index(text, " ") ? substr(text, index(text, " ") + 1) : ""
	sub(/ <.*$/, "", text)
	n = depth = 0
	arg = ""
	for (i = 1; i <= length(text); i++) {
		c = substr(text, i, 1)
		depth += c == "(" ? 1 : c == ")" ? -1 : 0
		if (c == "," && !depth) {
			insn_args[++n] = arg
			arg = ""
		} else
			arg = arg c
	}
	if (arg != "")
		insn_args[++n] = arg
	return n
}

# The address a memory operand (disp(base,index,scale) or an absolute
# address) denotes with the report's registers; -1 for a register or an
# immediate, or when a register is not in the report.
function operand_address(op,   p, disp, parts, a, v, i) {
	sub(/^%[c-gs]s:/, "", op)
	if (op ~ /^[$%*]/)
		return -1
	p = index(op, "(")
	disp = p ? substr(op, 1, p - 1) : op
	a = disp == "" ? 0 : disp ~ /^-/ ? -hexval(substr(disp, 2)) : hexval(disp)
	if (p) {
		split(substr(op, p + 1, length(op) - p - 1), parts, ",")
		for (i = 1; i <= 2; i++) {
			if (parts[i] == "")
				continue
			v = reg_value(parts[i])
			if (v < 0)
				return -1
			a += v * (i == 2 && parts[3] != "" ? parts[3] : 1)
		}
	}
	return (a % 2 ^ 32 + 2 ^ 32) % 2 ^ 32
}

# The instruction at EIP, decoded from the ELF, must be one that faults the
# way the report says: ud2 for BUG(), a div/idiv by a register that holds 0,
# a write to memory at the address CR2 holds for a NULL write, a write into
# the guard page below the stack for a stack overflow (where CR2 may instead
# hold ESP-4: pushing the exception frame faulted too).
function check_fault_insn(kind, eip,   text, n, v, ea, what) {
	if (!(eip in insn_text)) {
		problem(sprintf("EIP 0x%x starts no instruction in the ELF's disassembly", eip))
		return
	}
	# Any instruction of the loop may be where the timer (or the NMI)
	# interrupted it.
	if (kind == "softlockup" || kind == "hardlockup")
		return
	text = insn_text[eip]
	n = parse_insn(text)
	what = sprintf("the instruction at EIP 0x%x, %s,", eip, text)
	if (kind == "bug" || kind == "warn") {
		if (insn_op != "ud2")
			problem(what " is not ud2")
		return
	}
	# A trap: EIP is the instruction after the int3.
	if (kind == "int3") {
		if (!(eip in insn_ending_at) || insn_text[insn_ending_at[eip]] != "int3")
			problem(sprintf("the instruction before EIP 0x%x is %s, not int3", eip,
					(eip in insn_ending_at) ? insn_text[insn_ending_at[eip]] : "none"))
		return
	}
	# #GP(0) from a segment load: a null selector into SS.
	if (kind == "gpf") {
		if (insn_op !~ /^movw?$/ || n != 2 || insn_args[2] != "%ss")
			problem(what " loads no selector into SS")
		else if ((v = reg_value(insn_args[1])) != 0)
			problem(what " loads " (v < 0 ? "no register of the report" : sprintf("the selector %s = %04x", insn_args[1], v)) ", not the null selector")
		return
	}
	if (kind == "divzero") {
		if (insn_op !~ /^i?div[bwl]?$/ || n != 1)
			problem(what " is not a div or idiv")
		else if ((v = reg_value(insn_args[1])) != 0)
			problem(what " divides by " (v < 0 ? "no register of the report" : sprintf("%s = %x", insn_args[1], v)))
		return
	}
	ea = -1
	if (insn_op ~ /^(push|call)[lw]?$/ && ("esp" in regs))
		ea = (regs["esp"] - 4 + 2 ^ 32) % 2 ^ 32
	else if (n && insn_op ~ /^(mov|add|sub|and|or|xor|adc|sbb|inc|dec|neg|not|sh[lr]|sa[lr]|ro[lr]|xchg|set[a-z]+)[bwl]?$/)
		ea = operand_address(insn_args[n])
	if (ea < 0) {
		problem(what " writes no memory at an address the registers give")
		return
	}
	if ((kind == "null" || kind == "ro") && ea != rep_cr2)
		problem(sprintf("%s with the reported registers writes to %08x, but CR2 is %08x", what, ea, rep_cr2))
	if (kind == "guard" && guard_addr != "") {
		if (!(ea >= stack_lo - 4096 && ea < stack_lo))
			problem(sprintf("%s with the reported registers writes to %08x, outside the guard page", what, ea))
		else if (rep_cr2 != ea && rep_cr2 != (regs["esp"] - 4 + 2 ^ 32) % 2 ^ 32)
			problem(sprintf("%s writes to %08x, but CR2 is %08x (neither that nor ESP-4)", what, ea, rep_cr2))
	}
}

# Reads QEMU's interrupt log (-d int): the timer interrupts (vector 0x20,
# the PIT's; 0xf0, a local APIC timer's),
# their instruction address and registers in timer_pc[], timer_reg[i, "eax"]
# for 1..ntimer; the NMIs (vector 2) in nmi_pc[], nmi_sp[], nmi_efl[] and
# nmi_reg[i, "eax"] for 1..nnmi; every hardware interrupt's vector and
# address in hw_vec[], hw_pc[] for 1..nhw; and the exceptions the emulated CPU took
# (vectors below 32), in order, with the instruction address, error code, CR2
# and the registers at entry: cpu_vec[], cpu_pc[], cpu_err[], cpu_cr2[] (-1
# when not logged),
# cpu_reg[i, "eax"] ... for 1..ncpu.
function load_cpu_log(path,   line, f, nf, i, v) {
	ncpu = 0
	v = -1
	while ((getline line < path) > 0) {
		if (line ~ /^ *[0-9]+: v=[0-9a-f][0-9a-f] e=/) {
			v = hexval(substr(line, index(line, "v=") + 2, 2))
			# The PIT's (vector 0x20) and, on the other CPUs, the
			# local APIC timer's (0xf0).
			if (v == 32 || v == 240) {
				ntimer++
				timer_pc[ntimer] = hexval(substr(line, index(line, " pc=") + 4, 8))
			}
			# An NMI (the panic stopping a CPU, the NMI watchdog) is no
			# fault, nor a timer interrupt.
			if (v == 2) {
				v = 256
				nnmi++
				nmi_pc[nnmi] = hexval(substr(line, index(line, " pc=") + 4, 8))
				nmi_sp[nnmi] = hexval(substr(line, index(line, " SP=") + 9, 8))
			} else if (v >= 32) {
				nhw++
				hw_vec[nhw] = v
				hw_pc[nhw] = hexval(substr(line, index(line, " pc=") + 4, 8))
			}
			if (v >= 32)
				continue
			ncpu++
			cpu_vec[ncpu] = v
			cpu_pc[ncpu] = hexval(substr(line, index(line, " pc=") + 4, 8))
			cpu_err[ncpu] = hexval(substr(line, index(line, " e=") + 3, 4))
			cpu_cr2[ncpu] = index(line, " CR2=") ? hexval(substr(line, index(line, " CR2=") + 5, 8)) : -1
		} else if (v == 256 && line ~ /^E[A-Z][A-Z]=[0-9a-f]+ /) {
			nf = split(line, f, " ")
			for (i = 1; i <= nf; i++)
				if (f[i] ~ /^E(AX|BX|CX|DX|SI|DI|BP|SP)=[0-9a-f]+$/)
					nmi_reg[nnmi, tolower(substr(f[i], 1, 3))] = hexval(substr(f[i], 5))
				else if (f[i] ~ /^EFL=[0-9a-f]+$/)
					nmi_efl[nnmi] = hexval(substr(f[i], 5))
		} else if ((v == 32 || v == 240) && line ~ /^E[A-Z][A-Z]=[0-9a-f]+ /) {
			nf = split(line, f, " ")
			for (i = 1; i <= nf; i++)
				if (f[i] ~ /^E(AX|BX|CX|DX|SI|DI|BP|SP)=[0-9a-f]+$/)
					timer_reg[ntimer, tolower(substr(f[i], 1, 3))] = hexval(substr(f[i], 5))
		} else if (v >= 0 && v < 32 && line ~ /^E[A-Z][A-Z]=[0-9a-f]+ /) {
			nf = split(line, f, " ")
			for (i = 1; i <= nf; i++)
				if (f[i] ~ /^E(AX|BX|CX|DX|SI|DI|BP|SP)=[0-9a-f]+$/)
					cpu_reg[ncpu, tolower(substr(f[i], 1, 3))] = hexval(substr(f[i], 5))
		} else if (v >= 0 && v < 32 && line ~ /^ CR2=[0-9a-f]+$/) {
			# The rest of an exception's header line: with several vCPUs
			# (multi-threaded TCG) another CPU's log line can land inside it.
			cpu_cr2[ncpu] = hexval(substr(line, 6, 8))
		} else if (line !~ /^(E[A-Z][A-Z]|[A-Z][A-Z0-9]*) ?=/)
			v = -1
	}
	close(path)
	return ncpu
}

function vector_name(v) {
	return v == 0 ? "#DE" : v == 3 ? "#BP" : v == 6 ? "#UD" : v == 8 ? "#DF" : v == 13 ? "#GP" : v == 14 ? "#PF" : sprintf("vector %d", v)
}

# The emulated CPU is the witness that report [#nr] is a real fault: its
# nr-th exception (a #DF that follows a #PF belongs to that #PF) has the
# vector the report's kind implies, at the reported EIP, with the reported
# registers and, for a NULL write, the reported CR2.
function check_cpu_exception(kind, nr, eip,   want, i, seen, r, bad) {
	want = kind == "divzero" ? 0 : kind == "bug" || kind == "warn" ? 6 : kind == "gpf" ? 13 : kind == "int3" ? 3 : 14
	seen = 0
	for (i = 1; i <= ncpu && seen < nr; i++)
		if (!(cpu_vec[i] == 8 && i > 1 && cpu_vec[i - 1] == 14))
			seen++
	i--
	# CPUs that fault at once log in either order: the report's ESP (each
	# CPU has its own stack) picks its exception.
	if (site == "smp-both")
		for (i = 1; i <= ncpu; i++)
			if (cpu_pc[i] == eip && (i, "esp") in cpu_reg && cpu_reg[i, "esp"] == regs["esp"])
				break
	if (seen < nr || i > ncpu) {
		problem(sprintf("QEMU's interrupt log has no CPU exception for report [#%d] (EIP 0x%x)", nr, eip))
		return
	}
	# QEMU logs a software interrupt at the int3, the report the next EIP.
	if (cpu_vec[i] != want || cpu_pc[i] != eip - (kind == "int3")) {
		problem(sprintf("report [#%d] is a %s at 0x%x, but the CPU took %s at 0x%x", nr, vector_name(want),
				eip, vector_name(cpu_vec[i]), cpu_pc[i]))
		return
	}
	if (kind == "guard" && !(i < ncpu && cpu_vec[i + 1] == 8))
		problem(sprintf("report [#%d]: the CPU took no #DF after its #PF at 0x%x", nr, eip))
	if (kind == "ro" && cpu_err[i] != 3)
		problem(sprintf("report [#%d] has error code 0003, the CPU's #PF had %04x", nr, cpu_err[i]))
	if (kind == "gpf" && cpu_err[i] != 0)
		problem(sprintf("report [#%d] has error code 0000, the CPU's #GP had %04x", nr, cpu_err[i]))
	if ((kind == "null" || kind == "ro") && cpu_cr2[i] != rep_cr2)
		problem(sprintf("report [#%d] has CR2 %08x, the CPU's #PF had CR2 %08x", nr, rep_cr2, cpu_cr2[i]))
	bad = ""
	for (r in regs)
		if ((i, r) in cpu_reg && cpu_reg[i, r] != regs[r])
			bad = bad sprintf(" %s %08x (CPU: %08x)", toupper(r), regs[r], cpu_reg[i, r])
	if (bad != "")
		problem(sprintf("report [#%d]: registers differ from the CPU's at the fault:%s", nr, bad))
}

# "BUG: unable to handle page fault for address: A": A must lie in what the
# ELF maps read-only, __kernel_start..__ro_end (text, read-only data).
function check_ro_address(k) {
	ro_addr = -1
	if (L[k] !~ "^BUG: unable to handle page fault for address: " H8 "$") {
		problem("page fault title malformed, " quote_line(k))
		return
	}
	ro_addr = hexval(substr(L[k], 47, 8))
	if (!("__kernel_start" in symcount) || !("__ro_end" in datasym))
		problem("the ELF has no __kernel_start/__ro_end symbols")
	else if (ro_addr < symaddr["__kernel_start", 1] || ro_addr >= datasym["__ro_end"])
		problem(sprintf("address %08x is outside the read-only image %08x..%08x, ", ro_addr,
				symaddr["__kernel_start", 1], datasym["__ro_end"] - 1) quote_line(k))
}

# The last of the n interrupts in QEMU's log (their EIPs in pc, registers in
# reg) that came at eip with the reported registers: its index, or 0 after
# naming the problem (kind: "timer interrupt", "NMI").
function interrupt_at(kind, pc, reg, n, eip,   i, r, same, at_eip) {
	at_eip = 0
	for (i = n; i >= 1; i--) {
		if (pc[i] != eip)
			continue
		at_eip++
		same = 1
		for (r in regs)
			if ((i, r) in reg && reg[i, r] != regs[r])
				same = 0
		if (same)
			return i
	}
	problem(sprintf("QEMU's interrupt log has %s %s at EIP 0x%x%s", at_eip ? at_eip : "no", kind,
			eip, at_eip ? " but none with the reported registers" : ""))
	return 0
}

# A soft lockup is reported from the timer interrupt: among the timer
# interrupts the CPU took, one came at the reported EIP with the reported
# registers.
function check_cpu_timer(eip) {
	interrupt_at("timer interrupt", timer_pc, timer_reg, ntimer, eip)
}

# A hard lockup is reported from the NMI watchdog's NMI: among the NMIs the
# CPUs took, one came at the reported EIP with the reported registers, with
# interrupts off (EFLAGS.IF clear, as reported) and on the stack of the CPU
# the report names; and no hardware interrupt ever came inside the stuck
# function (fn): interrupts were off there.
function check_cpu_nmi(eip, fn,   i, lo, hi) {
	i = interrupt_at("NMI", nmi_pc, nmi_reg, nnmi, eip)
	if (i) {
		if (!(i in nmi_efl) || int(nmi_efl[i] / 512) % 2)
			problem(sprintf("the NMI at EIP 0x%x came with interrupts on (EFL %08x)", eip, nmi_efl[i]))
		else if (rep_eflags >= 0 && nmi_efl[i] != rep_eflags)
			problem(sprintf("the report's EFLAGS %08x differ from the CPU's at the NMI, %08x", rep_eflags, nmi_efl[i]))
		if (rep_cpu >= 0 && cpu_stack(rep_cpu) && !(nmi_sp[i] >= cs_lo && nmi_sp[i] <= cs_hi + 1))
			problem(sprintf("the NMI at EIP 0x%x came on SP %08x, not on CPU %d's stack %08x..%08x",
					eip, nmi_sp[i], rep_cpu, cs_lo, cs_hi))
	}
	if (!(fn in symcount))
		return
	lo = symaddr[fn, 1]
	hi = lo + symsize[fn, 1]
	for (i = 1; i <= nhw; i++)
		if (hw_pc[i] >= lo && hw_pc[i] < hi) {
			problem(sprintf("QEMU's interrupt log has a hardware interrupt (vector 0x%02x) at 0x%x inside %s: interrupts were on there",
					hw_vec[i], hw_pc[i], fn))
			return
		}
}

# The source line a BUG() or WARNING report names must hold a BUG() (or
# WARN_ON(), the ERE macro_re).
function check_bug_source(file, want, macro_re,   path, srcline, i) {
	path = srcdir "/" file
	srcline = ""
	for (i = 1; i <= want && (getline srcline < path) > 0; i++)
		;
	close(path)
	if (i <= want)
		problem(file " has no line " want " (" path ")")
	else if (srcline !~ "(^|[^A-Za-z0-9_])" macro_re)
		problem(file ":" want " has no " (macro_re ~ /WARN/ ? "WARN_ON()" : "BUG()") ": \"" srcline "\"")
}

# The ELF's line table must place the instruction at EIP on the line the BUG
# report names.
function check_bug_location(eip,   cmd, line, loc) {
	cmd = sprintf("%s -d -l --start-address=0x%x --stop-address=0x%x %s", objdump, eip, eip + 1,
		      shell_quote(elf))
	loc = ""
	while ((cmd | getline line) > 0)
		if (line ~ /^\/.*:[0-9]+( \(discriminator [0-9]+\))?$/)
			loc = line
	close(cmd)
	sub(/ \(discriminator [0-9]+\)$/, "", loc)
	if (substr(loc, length(loc) - length(bug_file ":" bug_line)) != "/" bug_file ":" bug_line)
		problem(sprintf("the ELF places EIP 0x%x at %s, not at %s:%s, ", eip, loc == "" ? "no line" : loc,
				bug_file, bug_line) quote_line(bug_k))
}

# Checks one report from its title lines to the last frame of its trace:
# the title of kind ("null", "divzero", "bug", "guard") with counter [#nr],
# CPU, EIP inside fn, Code, registers and Call Trace. Only the first title
# line may follow other lines (anchor). Leaves rep_eip_text, rep_esp and
# rep_cr2 (-1 when unknown) and the trace in fr_*[].
function check_report(kind, nr, fn, anchor,   k, ref, eip, wf) {
	rep_eip_text = ""
	rep_esp = rep_cr2 = rep_eip = ro_addr = -1
	bug_k = 0
	warn_sym = ""
	if (kind == "bug") {
		expect("^------------\\[ cut here \\]------------$", "\"------------[ cut here ]------------\"", anchor)
		k = expect("^kernel BUG at ", "\"kernel BUG at FILE:NN!\"", 0)
		if (k && (L[k] !~ /^kernel BUG at [A-Za-z0-9_][A-Za-z0-9_\/.-]*:[0-9]+!$/ || L[k] ~ /\.\./))
			problem("BUG location must be FILE:NN! with FILE in the tree, " quote_line(k))
		else if (k) {
			bug_k = k
			bug_file = bug_line = substr(L[k], 15, length(L[k]) - 15)
			sub(/:[0-9]+$/, "", bug_file)
			sub(/^.*:/, "", bug_line)
			check_bug_source(bug_file, bug_line + 0, "BUG\\(\\)")
		}
		expect("^invalid opcode: 0000 \\[#" nr "\\]( .*)?$", "\"invalid opcode: 0000 [#" nr "]\"", 0)
	} else if (kind == "warn") {
		expect("^------------\\[ cut here \\]------------$", "\"------------[ cut here ]------------\"", anchor)
		k = expect("^WARNING: ", "\"WARNING: CPU: N PID: N at FILE:NN function+0xOFF/0xSIZE\"", 0)
		if (k && (L[k] !~ /^WARNING: CPU: [0-9]+ PID: [0-9]+ at [A-Za-z0-9_][A-Za-z0-9_\/.-]*:[0-9]+ [^ ]+$/ || L[k] ~ /\.\./))
			problem("WARNING line must be \"WARNING: CPU: N PID: N at FILE:NN function+0xOFF/0xSIZE\" with FILE in the tree, " quote_line(k))
		else if (k) {
			bug_k = k
			split(L[k], wf, " ")
			warn_sym = wf[8]
			bug_file = bug_line = wf[7]
			sub(/:[0-9]+$/, "", bug_file)
			sub(/^.*:/, "", bug_line)
			check_bug_source(bug_file, bug_line + 0, "WARN_ON\\(")
		}
		expect("^Modules linked in:$", "\"Modules linked in:\"", 0)
	} else if (kind == "ro") {
		k = expect("^BUG: unable to handle page fault for address: ",
			   "\"BUG: unable to handle page fault for address: ...\"", anchor)
		if (k)
			check_ro_address(k)
		expect("^#PF: supervisor write access in kernel mode$",
		       "\"#PF: supervisor write access in kernel mode\"", 0)
		expect("^#PF: error_code\\(0x0003\\) - permissions violation$",
		       "\"#PF: error_code(0x0003) - permissions violation\"", 0)
		if (L[cur] ~ "^\\*pde = " H8 "( \\*pte = " H8 ")? ?$")
			cur++
		expect("^Oops: 0003 \\[#" nr "\\]( .*)?$", "\"Oops: 0003 [#" nr "]\"", 0)
	} else if (kind == "softlockup") {
		k = expect("^watchdog: BUG: soft lockup - CPU#", "\"watchdog: BUG: soft lockup - CPU#0 stuck for Ns! [comm:pid]\"", anchor)
		if (k && L[k] !~ /^watchdog: BUG: soft lockup - CPU#[0-9]+ stuck for [0-9]+s! \[[^]:]+:[0-9]+\]$/)
			problem("soft lockup title malformed, " quote_line(k))
		else if (k) {
			stuck_s = L[k]
			sub(/^.* stuck for /, "", stuck_s)
			sub(/s!.*$/, "", stuck_s)
			if (stuck_s + 0 < 2 * watchdog_thresh)
				problem("stuck for " stuck_s " s, less than twice watchdog_thresh=" watchdog_thresh ", " quote_line(k))
		}
		expect("^Modules linked in:$", "\"Modules linked in:\"", 0)
	} else if (kind == "hardlockup") {
		k = expect("^NMI watchdog: Watchdog detected hard LOCKUP on cpu ", "\"NMI watchdog: Watchdog detected hard LOCKUP on cpu N\"", anchor)
		lockup_cpu = -1
		if (k && L[k] !~ /^NMI watchdog: Watchdog detected hard LOCKUP on cpu [0-9]+$/)
			problem("hard lockup title malformed, " quote_line(k))
		else if (k)
			lockup_cpu = substr(L[k], 51) + 0
		expect("^Modules linked in:$", "\"Modules linked in:\"", 0)
	} else if (kind == "gpf") {
		expect("^general protection fault: 0000 \\[#" nr "\\]( .*)?$", "\"general protection fault: 0000 [#" nr "]\"", anchor)
	} else if (kind == "int3") {
		expect("^int3: 0000 \\[#" nr "\\]( .*)?$", "\"int3: 0000 [#" nr "]\"", anchor)
	} else if (kind == "divzero") {
		expect("^divide error: 0000 \\[#" nr "\\]( .*)?$", "\"divide error: 0000 [#" nr "]\"", anchor)
	} else if (kind == "guard") {
		k = expect("^BUG: stack guard page was hit at ", "\"BUG: stack guard page was hit at ...\"", anchor)
		if (k)
			check_guard_line(k)
		expect("^stack guard page: 0000 \\[#" nr "\\]( .*)?$", "\"stack guard page: 0000 [#" nr "]\"", 0)
	} else {
		expect("^BUG: kernel NULL pointer dereference, address: 00000000$",
		       "\"BUG: kernel NULL pointer dereference, address: 00000000\"", anchor)
		expect("^#PF: supervisor write access in kernel mode$",
		       "\"#PF: supervisor write access in kernel mode\"", 0)
		expect("^#PF: error_code\\(0x0002\\) - not-present page$",
		       "\"#PF: error_code(0x0002) - not-present page\"", 0)
		# Linux x86_32 also shows the page-table walk here; the contract omits it.
		if (L[cur] ~ "^\\*pde = " H8 "( \\*pte = " H8 ")? ?$")
			cur++
		expect("^Oops: 0002 \\[#" nr "\\]( .*)?$", "\"Oops: 0002 [#" nr "]\"", 0)
	}
	check_task_lines()
	if (kind == "hardlockup" && lockup_cpu >= 0 && rep_cpu >= 0 && lockup_cpu != rep_cpu)
		problem("the hard lockup is on cpu " lockup_cpu ", but the CPU: line names CPU " rep_cpu)
	if (kind == "guard" && guard_cpu >= 0 && rep_cpu >= 0 && guard_cpu != rep_cpu)
		problem("the guard page hit is below CPU " guard_cpu "'s stack, but the CPU: line names CPU " rep_cpu)

	eip = -1
	k = expect("^EIP: ", "EIP: line", 0)
	if (k) {
		ref = substr(L[k], 6)
		rep_eip_text = ref
		if (index(ref, fn "+") != 1)
			problem("EIP is not in " fn ", " quote_line(k))
		else
			eip = resolve(ref, "EIP " quote_line(k), 0)
		rep_func = res_func
		if (kind == "warn" && bug_k && ref != warn_sym)
			problem("EIP " ref " is not where the WARNING line says (" warn_sym "), " quote_line(k))
		if (bug_k && eip >= 0)
			check_bug_location(eip)
	}
	rep_eip = eip
	k = expect("^Code: ", "Code: line", 0)
	if (k)
		check_code(k, eip)
	for (r in regs)
		delete regs[r]
	k = expect("^EAX: ", "EAX: line", 0)
	check_regline(k, "^EAX: " H8 " EBX: " H8 " ECX: " H8 " EDX: " H8 "$", "EAX/EBX/ECX/EDX")
	read_registers(k)
	k = expect("^ESI: ", "ESI: line", 0)
	check_regline(k, "^ESI: " H8 " EDI: " H8 " EBP: " H8 " ESP: " H8 "$", "ESI/EDI/EBP/ESP")
	read_registers(k)
	if (k && L[k] ~ " ESP: " H8 "$")
		rep_esp = hexval(substr(L[k], length(L[k]) - 7))
	check_esp_on_cpu_stack(kind == "guard")
	k = expect("^DS: ", "DS: line", 0)
	check_regline(k, "^DS: " H4 " ES: " H4 " FS: " H4 " GS: " H4 " SS: " H4 " EFLAGS: " H8 "$",
		      "DS/ES/FS/GS/SS/EFLAGS")
	rep_eflags = k && L[k] ~ " EFLAGS: " H8 "$" ? hexval(substr(L[k], length(L[k]) - 7)) : -1
	k = expect("^CR0: ", "CR0: line", 0)
	check_regline(k, "^CR0: " H8 " CR2: " H8 " CR3: " H8 " CR4: " H8 "$", "CR0/CR2/CR3/CR4")
	if (k && L[k] ~ "^CR0: " H8 " CR2: " H8 " ")
		rep_cr2 = hexval(substr(L[k], 20, 8))
	if (kind == "ro" && ro_addr >= 0 && rep_cr2 >= 0 && rep_cr2 != ro_addr)
		problem(sprintf("CR2 %08x is not the address of the BUG line, %08x", rep_cr2, ro_addr))
	if (k && kind == "null" && L[k] !~ / CR2: 00000000 /)
		problem("CR2 must be 00000000 for a NULL dereference, " quote_line(k))
	if (eip >= 0)
		check_fault_insn(kind, eip)
	if (cpulog != "" && kind == "softlockup")
		check_cpu_timer(eip)
	else if (cpulog != "" && kind == "hardlockup")
		check_cpu_nmi(eip, fn)
	else if (cpulog != "")
		check_cpu_exception(kind, nr, eip)

	if (expect("^Call Trace:$", "\"Call Trace:\"", 0)) {
		walk_trace()
		if (nframes < 1)
			problem("Call Trace: has no frames")
	}
	# Linux's print_modules() follows an oops's trace; a WARN and a soft
	# lockup list the modules after their title. No modules here.
	if (kind != "warn" && kind != "softlockup" && kind != "hardlockup")
		expect("^Modules linked in:$", "\"Modules linked in:\"", 0)
}

# The trace of a fault outside interrupts: no markers, down to kernel_main on
# the boot CPU, to ap_main (its idle loop) on another.
function check_task_trace() {
	if (irq_open || irq_close)
		problem("<IRQ>/</IRQ> markers in the trace of an init site")
	if (rep_cpu > 0 && !has_ap_main)
		problem("the trace of CPU " rep_cpu " does not reach ap_main")
	else if (rep_cpu <= 0 && !has_kernel_main)
		problem("the trace does not reach kernel_main")
}

{
	sub(/\r+$/, "")
	sub(/^\[ *[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]\] /, "")
	n++
	L[n] = $0
	lineno[n] = FNR
}

# A WARN: its report and a trace down to kernel_main; then the kernel goes on
# (the end-trace line, then the init site returns and boot reaches its ready
# line), or with panic_on_warn=1 panic() follows with its own stack dump,
# which crosses the #UD's trap frame into the function that warned.
function check_warn_site(   message, i) {
	check_report("warn", 1, fn, 1)
	warn_eip = rep_eip_text
	check_task_trace()
	if (!panic_on_warn) {
		expect("^---\\[ end trace [0-9a-f]+ \\]---$", "\"---[ end trace ... ]---\"", 0)
		expect("^Kernel ready \\(crash=warn\\), idling$",
		       "\"Kernel ready (crash=warn), idling\" (the kernel went on)", 0)
		return
	}
	message = "kernel: panic_on_warn set ..."
	expect_panic_line(message)
	check_task_lines()
	if (expect("^Call Trace:$", "\"Call Trace:\" of panic()'s stack dump", 0)) {
		walk_trace()
		if (check_frames(1, nframes, "panic trap_dispatch trap_common " fn " kernel_main", 0,
				 "panic()'s trace")) {
			for (i = 1; i < nframes && fr_name[i] != "trap_common"; i++)
				;
			if (fr_text[i + 1] != warn_eip)
				problem("panic()'s trace: after trap_common comes " fr_text[i + 1] ", want the WARN's EIP " warn_eip)
		}
	}
	expect_panic_end(message)
}

# The panic's own line, "Kernel panic - not syncing: MESSAGE", next.
function expect_panic_line(message,   k) {
	k = expect("^Kernel panic - not syncing: ", "\"Kernel panic - not syncing: " message "\"", 0)
	if (k && L[k] != "Kernel panic - not syncing: " message)
		problem("want \"Kernel panic - not syncing: " message "\", " quote_line(k))
}

# The end of the log: panic=N>0's "Rebooting in N seconds.." as Linux
# prints it, then "---[ end Kernel panic - not syncing: MESSAGE ]---" as the
# last line.
function expect_panic_end(message,   k, endline) {
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
}

# A soft lockup: the report of the interrupted loop, with the trace of the
# code that was stuck (no <IRQ> section: the interrupted context is no
# interrupt); with softlockup_panic=1 panic() follows from the timer
# interrupt, its trace crossing from <IRQ> into the loop.
function check_softlockup_site(   message, eip_text, i) {
	check_report("softlockup", 1, fn, 1)
	eip_text = rep_eip_text
	check_task_trace()
	if (!softlockup_panic)
		return
	message = "softlockup: hung tasks"
	expect_panic_line(message)
	check_task_lines()
	if (expect("^Call Trace:$", "\"Call Trace:\" of panic()'s stack dump", 0)) {
		walk_trace()
		if (irq_open != 1 || irq_close != 1 || !irq_first)
			problem("panic()'s trace must open with \" <IRQ>\" and close it once (the panic is in the timer interrupt)")
		else {
			# The boot CPU's tick is the PIT's, the others' their local APIC timer's.
			check_frames(1, frames_in_irq, "panic watchdog_tick " (rep_cpu > 0 ? "apic_dispatch" : "timer_interrupt irq_dispatch") " trap_dispatch trap_common", 0,
				     "panic()'s interrupt frames")
			if (fr_text[frames_in_irq + 1] != eip_text)
				problem("panic()'s trace: after </IRQ> comes " fr_text[frames_in_irq + 1] ", want the stuck EIP " eip_text)
		}
	}
	expect_panic_end(message)
}

# A hard lockup: the NMI watchdog's report of the loop that spins with
# interrupts off, with that loop's trace, then panic("Hard LOCKUP") at once
# (Linux's hardlockup_panic=1; its own stack dump left out, as after an
# oops). The panic's NMI backtraces of the other CPUs are out of L[] already.
function check_hardlockup_site(   message) {
	check_report("hardlockup", 1, fn, 1)
	check_task_trace()
	if (rep_eflags >= 0 && int(rep_eflags / 512) % 2)
		problem(sprintf("EFLAGS %08x has IF set: the loop ran with interrupts on", rep_eflags))
	message = "Hard LOCKUP"
	expect_panic_line(message)
	expect_panic_end(message)
}

# "stack-protector: Kernel stack is corrupted in: fn+0xOFF/0xSIZE": as %pB,
# the return address of a call to __stack_chk_fail in the site's function.
function check_canary_message(k, message,   ref, ret) {
	if (message !~ /^stack-protector: Kernel stack is corrupted in: /) {
		problem("want \"Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: " fn "+0x../0x..\", " quote_line(k))
		return
	}
	ref = substr(message, 48)
	if (index(ref, fn "+") != 1) {
		problem("the corrupted stack is not " fn "'s, " quote_line(k))
		return
	}
	ret = resolve(ref, "panic " quote_line(k), 1)
	if (ret < 0)
		return
	if (!(ret in insn_ending_at) || insn_text[insn_ending_at[ret]] !~ /^call .*<__stack_chk_fail>$/)
		problem(sprintf("no call to __stack_chk_fail ends at 0x%x (%s), ", ret,
				(ret in insn_ending_at) ? insn_text[insn_ending_at[ret]] : "not after an instruction") quote_line(k))
}

# The panic stops the other CPUs, and each shows where it was, as Linux's
# NMI backtrace, between the panic line and the end line: "NMI backtrace for
# cpu N", its CPU: line naming N, EIP, Code, registers, "Call Trace:" and
# frames. Each block is checked (symbols against the ELF, ESP on CPU N's
# stack, each CPU once) and taken out of L[], so the rest is checked as the
# single-CPU contract.
function take_nmi_backtraces(   k, j, m, cpu, f, ret, seen, in_block, panic_seen, rep_esp_kept) {
	m = 0
	in_block = 0
	for (k = 1; k <= n; k++) {
		if (L[k] ~ /^Kernel panic - not syncing: /)
			panic_seen = 1
		if (L[k] ~ /^NMI backtrace for cpu [0-9]+$/) {
			if (!panic_seen)
				problem("NMI backtrace before the panic line, " quote_line(k))
			cpu = substr(L[k], 23) + 0
			if (cpu in seen)
				problem("second NMI backtrace for cpu " cpu ", " quote_line(k))
			seen[cpu] = 1
			nmi_backtraces++
			in_block = 1
			# As the oops: CPU:, Hardware name:, EIP:.
			if (L[k + 1] !~ /^CPU: / || L[k + 2] !~ /^Hardware name: / || L[k + 3] !~ /^EIP: /) {
				problem("NMI backtrace without its CPU:, Hardware name: and EIP: lines, " quote_line(k))
				continue
			}
			check_cpu_line(k + 1)
			if (rep_cpu >= 0 && rep_cpu != cpu)
				problem("NMI backtrace for cpu " cpu " has the CPU: line of CPU " rep_cpu ", " quote_line(k + 1))
			resolve(substr(L[k + 3], 6), "NMI backtrace EIP " quote_line(k + 3), 0)
			k += 3
			continue
		}
		# What the stop says of a CPU that held a lock too long or did not stop.
		if (panic_seen && L[k] ~ /^smp: (CPU [0-9]+ held a lock |Failed to stop secondary CPU )/) {
			smp_notes++
			in_block = 0
			continue
		}
		if (in_block && L[k] ~ /^(---\[ end Kernel panic|Rebooting in )/)
			in_block = 0
		if (!in_block) {
			m++
			L[m] = L[k]
			lineno[m] = lineno[k]
			continue
		}
		if (L[k] ~ "^ESI: " H8 " EDI: " H8 " EBP: " H8 " ESP: " H8 "$") {
			rep_esp_kept = rep_esp
			rep_esp = hexval(substr(L[k], length(L[k]) - 7))
			check_esp_on_cpu_stack(0)
			rep_esp = rep_esp_kept
		} else if (L[k] ~ /^ [^ <]/)
			resolve(substr(L[k], 2), "NMI backtrace frame " quote_line(k), 1)
		else if (L[k] !~ /^(Code|EAX|DS|CR0): / && L[k] !~ /^Call Trace:$/ && L[k] !~ /^ <\/?IRQ>$/)
			problem("unexpected line in an NMI backtrace, " quote_line(k))
	}
	n = m
	rep_cpu = -1
}

# The frames of the transmit path below console_flush: e1000 frames wait in
# the ring for the netconsole flush to ring the doorbell (e1000_kick), the
# rtl8139 starts each frame as it is committed, built in its own buffer
# (outside an oops, where these sites fault).
function tx_path(nic)
{
	if (nic == "e1000")
		return "e1000_kick netpoll_flush netconsole_flush console_flush"
	return nic "_tx_commit transmit_udp_in_place netpoll_queue_udp netconsole_write console_flush"
}

END {
	if (exit_now)
		exit exit_now
	H8 = "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
	H4 = "[0-9a-f][0-9a-f][0-9a-f][0-9a-f]"
	take_nmi_backtraces()
	in_irq = site ~ /^(smp-)?irq-/
	null_site = rule_fault[site] == "null"
	# Sites whose report is a page fault: a BUG: title and an Oops: line.
	pf_site = null_site || rule_fault[site] == "ro"
	warn_site = rule_fault[site] == "warn"
	panic_site = rule_fault[site] == "panic" || rule_fault[site] == "canary"
	reports = panic_site || warn_site || rule_fault[site] == "softlockup" || rule_fault[site] == "hardlockup" ? 0 : site == "nested" || site == "smp-both" ? 2 : 1
	fn = "crash_" site
	gsub(/-/, "_", fn)
	# GCC may clone the recursion (crash_stack_overflow.isra.0): nm names it.
	if (!(fn in symcount))
		for (s in symcount)
			if (index(s, fn ".") == 1)
				fn = s
	if (n == 0) {
		problem("log is empty")
		exit 1
	}
	if (cpulog != "") {
		want = reports + (rule_fault[site] == "guard") + warn_site
		if (ncpu != want)
			problem("QEMU's interrupt log has " ncpu " CPU exception(s), want " want)
	}

	# panic_on_warn=1, as the kernel echoed its command line, makes a WARN
	# panic.
	panic_on_warn = 0
	for (k = 1; k <= n; k++)
		if (L[k] ~ /^Kernel command line: /)
			panic_on_warn = L[k] ~ / panic_on_warn=1( |$)/
	warn_goes_on = warn_site && !panic_on_warn
	# watchdog_thresh= and softlockup_panic=1, likewise; 1 s by default.
	softlockup_site = rule_fault[site] == "softlockup"
	watchdog_thresh = 1
	softlockup_panic = 0
	for (k = 1; k <= n; k++)
		if (L[k] ~ /^Kernel command line: /) {
			if (match(L[k], / watchdog_thresh=[0-9]+( |$)/))
				watchdog_thresh = substr(L[k], RSTART + 17, RLENGTH - 17) + 0
			softlockup_panic = L[k] ~ / softlockup_panic=1( |$)/
		}
	# Sites after which the kernel goes on: no panic.
	goes_on = warn_goes_on || (softlockup_site && !softlockup_panic)
	for (k = 1; k <= n; k++) {
		if (tolower(L[k]) ~ /double fault/)
			problem("double fault reported, " quote_line(k))
		if (L[k] ~ /[Rr]ecursive fault/)
			problem("recursive fault reported, " quote_line(k))
		if (L[k] ~ /\[#[0-9]+\]/)
			n_oops_no++
		if (L[k] ~ (reports > 1 ? "\\[#([3-9]|[0-9][0-9]+)\\]" : "\\[#([02-9]|[0-9][0-9]+)\\]"))
			problem("nested oops, " quote_line(k))
		if (L[k] ~ /^Kernel panic - not syncing:/)
			n_panic++
		if (L[k] ~ /^---\[ end Kernel panic - not syncing:/)
			n_panic_end++
		if (L[k] ~ /^---\[ end trace /)
			n_end_trace++
		if (L[k] ~ /^Call Trace:$/)
			n_trace++
		if (L[k] ~ /^watchdog: BUG: soft lockup/)
			n_softlockups++
		if (L[k] ~ /^NMI watchdog: Watchdog detected hard LOCKUP/)
			n_hardlockups++
		if (L[k] ~ /^BUG: /)
			n_bug_title++
		if (L[k] ~ /^Oops:/)
			n_oops_title++
	}
	if (n_panic != !goes_on)
		problem(n_panic + 0 " \"Kernel panic - not syncing:\" lines, want " (!goes_on))
	if (n_panic_end != !goes_on)
		problem(n_panic_end + 0 " \"---[ end Kernel panic\" lines, want " (!goes_on))
	# A WARN or soft lockup that panics shows its trace, then panic() its
	# own; a soft lockup that goes on is reported again and again.
	want = reports > 1 ? reports : (warn_site && panic_on_warn) || (softlockup_site && softlockup_panic) ? 2 : 1
	if (softlockup_site && !softlockup_panic && n_trace >= 1 && n_trace <= n_softlockups)
		want = n_trace
	if (n_trace != want)
		problem(n_trace + 0 " \"Call Trace:\" lines, want " want)
	if (softlockup_site && n_softlockups < 1)
		problem("no \"watchdog: BUG: soft lockup\" line")
	if (softlockup_site && softlockup_panic && n_softlockups != 1)
		problem(n_softlockups + 0 " soft lockup reports before softlockup_panic=1's panic, want 1")
	if (n_hardlockups != (rule_fault[site] == "hardlockup"))
		problem(n_hardlockups + 0 " hard lockup reports, want " (rule_fault[site] == "hardlockup"))
	# Each CPU's report ends its own trace; a nested one never returns to.
	want = site == "smp-both" ? 2 : reports || warn_goes_on ? 1 : 0
	if (n_end_trace != want)
		problem(n_end_trace + 0 " \"---[ end trace\" lines, want " want)
	if (n_oops_no != reports)
		problem(n_oops_no + 0 " oops counter \"[#N]\" lines, want " reports)
	want = pf_site ? reports : site == "stack-overflow" ? 1 : 0
	if (n_bug_title != want)
		problem(n_bug_title + 0 " \"BUG: \" title lines, want " want)
	want = pf_site ? reports : 0
	if (n_oops_title != want)
		problem(n_oops_title + 0 " \"Oops:\" lines, want " want)

	cur = 1
	if (warn_site) {
		check_warn_site()
		exit(problems ? 1 : 0)
	}
	if (softlockup_site) {
		check_softlockup_site()
		exit(problems ? 1 : 0)
	}
	if (rule_fault[site] == "hardlockup") {
		check_hardlockup_site()
		exit(problems ? 1 : 0)
	}
	if (panic_site) {
		k = expect("^Kernel panic - not syncing: ", "\"Kernel panic - not syncing: <message>\"", 1)
		message = k ? substr(L[k], 29) : ""
		if (k && (message ~ /^ *$/ || message ~ /^Fatal exception/))
			problem("panic message should be the crash site text, " quote_line(k))
		if (k && rule_fault[site] == "canary")
			check_canary_message(k, message)
		check_task_lines()
		if (expect("^Call Trace:$", "\"Call Trace:\"", 0)) {
			walk_trace()
			if (nframes < 1)
				problem("Call Trace: has no frames")
			check_task_trace()
			found = 0
			for (f in frame_names)
				if (index(f, fn "+") == 1)
					found = 1
			if (!found)
				problem("the trace does not include " fn)
			if (rule_fault[site] == "canary")
				check_frames(1, nframes, "panic __stack_chk_fail " fn " kernel_main", 0,
					     "stack-protector trace")
		}
	} else {
		check_report(rule_fault[site], 1, site == "nested" ? "crash_init_null" : fn, 1)
		message = "Fatal exception" (in_irq ? " in interrupt" : "")
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
		} else if (site == "stack-overflow") {
			if (irq_open || irq_close)
				problem("<IRQ>/</IRQ> markers in the trace of a stack overflow")
			if (nframes > 32)
				problem("the trace has " nframes " frames, more than the unwinder bound of 32")
			# The witness that frames were left out: the stack the
			# recursion filled holds more than 32 of its frames.
			fb = rep_eip >= 0 ? frame_bytes(rep_func, rep_eip) : 0
			if (fb && rep_esp >= 0 && guard_addr != "") {
				depth = int((stack_hi + 1 - rep_esp) / fb)
				if (depth > 32 && !trace_cut)
					problem(sprintf("the recursion fills %d frames of %d bytes (ESP %08x, stack top %08x), the trace shows %d and no cut marker", depth, fb, rep_esp, stack_hi + 1, nframes))
			}
			for (i = 1; i <= nframes; i++)
				if (fr_name[i] != fn) {
					problem("frame " i " (" fr_text[i] ") is not the recursion " fn)
					break
				}
		} else
			check_task_trace()

		if (site == "stack-overflow" && guard_addr != "") {
			if (rep_cr2 >= 0 && rep_cr2 != guard_addr)
				problem(sprintf("CR2 %08x is not the guard page address %08x", rep_cr2, guard_addr))
			# ESP is in the guard page, or at the stack's bottom when the
			# faulting instruction is the push (a call) that crossed it.
			if (rep_esp >= 0 && !(rep_esp >= stack_lo - 4096 && rep_esp <= stack_lo))
				problem(sprintf("ESP %08x is not in the guard page below the stack", rep_esp))
		}
		if (site == "early")
			check_frames(1, nframes, "crash_run_early_site kernel_main", 0, "early trace")
		# With a NIC the fault comes from the transmit path once the ring is
		# full; without one, after the last record of the flood.
		if (site == "flood-then-oops") {
			nic = fr_name[2]
			sub(/_(kick|tx_commit)$/, "", nic)
			if (fr_name[1] == "crash_point")
				check_frames(1, nframes,
					     "crash_point " tx_path(nic) " vprintk printk crash_run_init_site kernel_main",
					     0, "transmit path")
			else
				check_frames(1, nframes, "crash_run_init_site kernel_main", 0,
					     "flood trace")
		}
		if (site == "irq-nic-locked" && irq_open == 1 && irq_close == 1) {
			nic = fr_name[2]
			sub(/_interrupt$/, "", nic)
			if (nic != "e1000" && nic != "rtl8139")
				nic = "e1000"
			check_frames(1, frames_in_irq,
				     "crash_point " nic "_interrupt irq_dispatch trap_dispatch trap_common", 1,
				     "interrupt frames")
			check_frames(frames_in_irq + 1, nframes,
				     "crash_point " tx_path(nic) " vprintk printk kernel_main",
				     0, "interrupted transmit path")
		}
		# Two CPUs faulted at once: the second report follows the first
		# whole, from the other CPU.
		if (site == "smp-both") {
			first_cpu = rep_cpu
			expect("^---\\[ end trace [0-9a-f]+ \\]---$", "\"---[ end trace ... ]---\" of [#1]", 0)
			check_report("null", 2, fn, 0)
			check_task_trace()
			if (rep_cpu >= 0 && rep_cpu == first_cpu)
				problem("both reports name CPU " rep_cpu "; want two CPUs")
		}
		if (site == "nested") {
			first_eip = rep_eip_text
			check_report("null", 2, "crash_oops_nested", 0)
			check_task_trace()
			# The nested fault came from the first report: its trace
			# crosses the first trap frame into the first fault.
			if (check_frames(1, nframes,
					 "crash_point die_body oops_page_fault trap_dispatch trap_common crash_init_null crash_run_init_site kernel_main",
					 0, "[#2] trace")) {
				if (fr_name[1] != "crash_point")
					problem("[#2] trace: the first frame is " fr_text[1] ", want crash_point")
				for (i = 1; i < nframes && fr_name[i] != "trap_common"; i++)
					;
				if (fr_text[i + 1] != first_eip)
					problem("[#2] trace: after trap_common comes " fr_text[i + 1] ", want the [#1] EIP " first_eip)
			}
		}
	}
	if (!panic_site) {
		expect("^---\\[ end trace [0-9a-f]+ \\]---$", "\"---[ end trace ... ]---\"", 0)
		# Only the panic path bringing the NIC up may speak before the panic.
		if (site == "early")
			while (cur <= n && L[cur] ~ /^(eth[0-9]+|netconsole): /)
				cur++
		expect("^Kernel panic - not syncing: ", "\"Kernel panic - not syncing: " message "\"", 0)
		if (cur > 1 && L[cur - 1] ~ /^Kernel panic/ && L[cur - 1] != "Kernel panic - not syncing: " message)
			problem("want \"Kernel panic - not syncing: " message "\", " quote_line(cur - 1))
	}
	expect_panic_end(message)
	exit(problems ? 1 : 0)
}
