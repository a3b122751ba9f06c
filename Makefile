# Netconsole unikernel test harness.
#   make            kernel ELF and GRUB ISO under build/
#   make test       every test (host unit tests, then the QEMU scenarios)
#   make qemu-test  the QEMU crash scenarios, over the best network backend here
#   make run CRASH=irq-timer   boot one crash and watch the listener live
# Every output goes under build/.

ifeq ($(origin CROSS),undefined)
CROSS := $(if $(shell command -v i686-elf-gcc 2>/dev/null),i686-elf-,i686-linux-gnu-)
endif
KCC := $(CROSS)gcc
NM := $(CROSS)nm
ADDR2LINE := $(CROSS)addr2line
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump
# The tests read the kernel ELF with the same binutils (tests/qemu/check-oops.sh).
export NM OBJDUMP ADDR2LINE
HOSTCC ?= cc
# ip, tc and tcpdump live in /usr/sbin on Debian, which an ordinary user's PATH
# lacks.
ifeq ($(filter /usr/sbin,$(subst :, ,$(PATH))),)
export PATH := $(PATH):/usr/sbin:/sbin
endif

CMDLINE ?= netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/ crash=none panic=0

B := build
KCFLAGS := -std=c11 -m32 -march=i686 -ffreestanding -fno-builtin -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-shrink-wrap -fno-optimize-sibling-calls \
	-fno-tree-loop-distribute-patterns -fno-delete-null-pointer-checks -fno-ipa-icf -mno-sse -mno-mmx -mno-80387 \
	-fno-asynchronous-unwind-tables \
	-O2 -g -Wall -Wextra -Werror -I. -MMD -MP
KASFLAGS := -m32 -g -I. -MMD -MP
KLDFLAGS := -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-T,boot/linker.ld
HOSTCFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -I.

KSRCS := $(wildcard boot/*.S kernel/*.c kernel/*.S kernel/*/*.c drivers/*.c drivers/*/*.c netconsole/*.c)
KOBJS := $(patsubst %,$(B)/k/%.o,$(KSRCS))

.PHONY: all kernel iso deps test unit-test qemu-test run gdb bench fuzz clean format print-binutils
all: kernel iso

# The compiler and flags every kernel object and link was made with: a change
# (a flag changed here, or CROSS= on the command line) rebuilds the
# kernel instead of mixing objects of two builds.
$(B)/kernel-flags: export KERNEL_FLAGS := $(KCC) $(KCFLAGS) | $(KASFLAGS) | $(KLDFLAGS)
$(B)/kernel-flags: FORCE
	@mkdir -p $(B)
	@printf '%s\n' "$$KERNEL_FLAGS" | cmp -s - $@ || printf '%s\n' "$$KERNEL_FLAGS" > $@

kernel: $(B)/kernel.elf $(B)/crash-sites.txt

$(B)/k/%.c.o: %.c $(B)/kernel-flags
	@mkdir -p $(dir $@)
	$(KCC) $(KCFLAGS) -c $< -o $@

# The crash sites' file may protect a function with the stack protector
# (__attribute__((stack_protect))), against the global canary
# (kernel/stackprotector.c); nothing else is built with it.
$(B)/k/kernel/harness/crash.c.o: KCFLAGS += -fstack-protector-explicit -mstack-protector-guard=global

$(B)/k/%.S.o: %.S $(B)/kernel-flags
	@mkdir -p $(dir $@)
	$(KCC) $(KASFLAGS) -c $< -o $@

# Two link passes, the way kallsyms does it: the first links with an empty
# symbol table, the second embeds the table generated from the first. The
# table lives after .rodata, so no function moves between the passes; the
# last step checks that.
$(B)/kallsyms-empty.c: $(B)/host/kallsyms
	$(B)/host/kallsyms < /dev/null > $@

$(B)/k/kallsyms-%.o: $(B)/kallsyms-%.c $(B)/kernel-flags
	@mkdir -p $(dir $@)
	$(KCC) $(KCFLAGS) -c $< -o $@

$(B)/kernel.pass1.elf: $(KOBJS) $(B)/k/kallsyms-empty.o boot/linker.ld $(B)/kernel-flags
	$(KCC) $(KLDFLAGS) -o $@ $(KOBJS) $(B)/k/kallsyms-empty.o -lgcc

$(B)/kallsyms-full.c: $(B)/kernel.pass1.elf $(B)/host/kallsyms
	$(NM) -n -S --defined-only $< | $(B)/host/kallsyms > $@

$(B)/kernel.elf: $(KOBJS) $(B)/k/kallsyms-full.o boot/linker.ld $(B)/kernel-flags
	$(KCC) $(KLDFLAGS) -o $@ $(KOBJS) $(B)/k/kallsyms-full.o -lgcc
	@$(NM) -S $(B)/kernel.pass1.elf | grep -i ' [tw] ' > $(B)/syms.pass1
	@$(NM) -S $@ | grep -i ' [tw] ' > $(B)/syms.pass2
	@cmp -s $(B)/syms.pass1 $(B)/syms.pass2 || \
		{ echo "kallsyms: functions moved between link passes"; rm -f $@; exit 1; }

# The crash-site table, read out of the kernel itself (site_names[] in
# kernel/harness/crash.c): the one list that the tests and the README are
# checked against, so a new site is added in one place.
CRASH_SITES_AWK := tests/qemu/elf.awk tests/qemu/crash-sites.awk
$(B)/crash-sites.txt: $(B)/kernel.elf $(CRASH_SITES_AWK)
	awk -v nm=$(NM) -v objdump=$(OBJDUMP) $(addprefix -f ,$(CRASH_SITES_AWK)) $< > $@.tmp
	mv $@.tmp $@

# The binutils the tests use when run by hand (make exports them otherwise).
print-binutils:
	@echo "NM=$(NM) OBJDUMP=$(OBJDUMP) ADDR2LINE=$(ADDR2LINE)"

# The ISO's command line is fixed at build time; a changed CMDLINE rebuilds it.
# It reaches the shell through the environment, so no character of it is
# shell syntax; boot/mkiso.sh carries it byte for byte or says why not.
iso: $(B)/kernel.iso
$(B)/iso-cmdline: export CMDLINE := $(CMDLINE)
$(B)/iso-cmdline: FORCE
	@mkdir -p $(B)
	@printf '%s\n' "$$CMDLINE" | cmp -s - $@ || printf '%s\n' "$$CMDLINE" > $@
$(B)/kernel.iso: $(B)/kernel.elf boot/grub.cfg boot/grub-args.awk boot/mkiso.sh $(B)/iso-cmdline
	sh boot/mkiso.sh $(B)/kernel.elf "$$(cat $(B)/iso-cmdline)" $@
FORCE:

# Host tools and tests.
$(B)/host/kallsyms: host/kallsyms.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

CLIENT_SRCS := host/netconsole-client.c $(wildcard host/client-*.c)
$(B)/host/netconsole-client: $(CLIENT_SRCS) $(wildcard host/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $(CLIENT_SRCS)

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%.t,$(wildcard tests/unit/*.c))
$(B)/tests/%.t: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -Itests/unit -o $@ $<

$(B)/host/udp-send: host/udp-send.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

$(B)/host/udp-echo-check: host/udp-echo-check.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

$(B)/host/serial-sysrq: host/serial-sysrq.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

$(B)/host/tsc-rate: host/tsc-rate.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

HOST_TOOLS := $(B)/host/netconsole-client $(B)/host/kallsyms $(B)/host/udp-send $(B)/host/udp-echo-check \
	$(B)/host/tsc-rate $(B)/host/serial-sysrq

deps:
	@sh qemu/deps.sh

unit-test: $(UNIT_TESTS) $(HOST_TOOLS) $(B)/crash-sites.txt
	prove $(UNIT_TESTS) $(wildcard tests/host/*.t)

# LIST=1 prints the case names, SHARD=I/N runs the I-th of N stable slices,
# JUNIT=FILE also writes JUnit XML; NET=netns|userns|user picks the network
# backend (tests/qemu/run-suite.sh, qemu/backend.sh).
qemu-test: deps
	@$(MAKE) --no-print-directory $(if $(LIST),-s) all $(HOST_TOOLS)
	@bash tests/qemu/run-suite.sh

test: deps
	@$(MAKE) --no-print-directory unit-test
	@$(MAKE) --no-print-directory qemu-test

CRASH ?= irq-timer
NIC ?= e1000
run: all $(HOST_TOOLS)
	bash qemu/run-crash.sh --nic $(NIC) --crash $(CRASH) --live

# Study mode: the run of make run held at its first instruction under gdb,
# with qemu/netconsole.gdb's helpers and breakpoints, the listener and the
# packets beside it. GDB_BATCH="CMD; CMD" runs the commands from the first
# breakpoint instead, prints, and lets the run finish.
gdb: export GDB_BATCH := $(GDB_BATCH)
gdb: all $(HOST_TOOLS)
	bash qemu/run-crash.sh --nic $(NIC) --crash $(CRASH) $(if $(BOOT),--boot $(BOOT)) \
		$(if $(GDB_BATCH),--gdb-batch "$$GDB_BATCH",--gdb)

# Throughput and time-to-oops figures (minutes; never part of make test).
bench:
	@sh qemu/deps.sh --bench
	@$(MAKE) --no-print-directory all $(HOST_TOOLS)
	bash qemu/bench.sh

# libFuzzer over the listener's record handling with its ncrx replies
# (client_ext_fuzz) and over its netdump receiver (client_dump_fuzz), under
# ASan and UBSan, FUZZ_SECONDS per target (never part of make test). Needs
# clang, which it installs as root on Debian; findings land in build/fuzz/.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := client_ext_fuzz client_dump_fuzz
FUZZ_CFLAGS := $(filter-out -O2,$(HOSTCFLAGS)) -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
fuzz:
	@command -v clang >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get install -y clang; } || { echo "fuzz: needs clang (apt-get install clang)"; exit 1; }
	@mkdir -p $(B)/fuzz/client_ext_fuzz.corpus $(B)/fuzz/client_dump_fuzz.corpus $(B)/fuzz/dump-seeds
	$(HOSTCC) $(HOSTCFLAGS) -o $(B)/fuzz/dump_seeds tests/fuzz/dump_seeds.c
	$(B)/fuzz/dump_seeds $(B)/fuzz/dump-seeds
	set -e; for target in $(FUZZ_TARGETS); do \
		clang $(FUZZ_CFLAGS) -o $(B)/fuzz/$$target tests/fuzz/$$target.c; \
	done
	cd $(B)/fuzz && ./client_ext_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=70000 \
		client_ext_fuzz.corpus $(CURDIR)/tests/fuzz/corpus
	cd $(B)/fuzz && ./client_dump_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -max_len=70000 \
		client_dump_fuzz.corpus dump-seeds

clean:
	rm -rf $(B)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(B) -name '*.d' 2>/dev/null)
