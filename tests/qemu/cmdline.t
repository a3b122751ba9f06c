#!/usr/bin/env bash
# Bad kernel command lines (TAP): each case boots a line with one parameter
# the kernel cannot use as given, through qemu/run-crash.sh (e1000, -kernel
# or, for *-iso cases, the GRUB ISO; crash=init-null). It passes when the serial log holds the case's warning
# line exactly, the kernel went on to the crash site (the oops's end line),
# and, where netconsole= is good, netconsole still carried the run to the
# listener. A clean line gives none of these warnings. The "cut" case is a
# line longer than the kernel keeps: the parameter the limit cuts is named
# and dropped, never parsed as typed, and no record of the printed line
# passes the 1024-byte log record limit.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib-cases.sh
. "$here/lib-cases.sh"

COMMAND_LINE_MAX=2047 # COMMAND_LINE_SIZE - 1, kernel/cmdline.h
LOG_TEXT_MAX=1024     # kernel/logring.h
ARP_NETCONSOLE="netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/"

# name|--config|--append|the warning ("" for none)
cases=(
	"clean|linux||"
	"ip-garbage|linux|ip=garbage|netconsole: bad client address \"garbage\" in ip=garbage; ignored, every target has its source address"
	"2001-beside-netconsole|linux|dev=eth0 target_ip=0x0a000701|netconsole: netconsole= given, ignoring dev= target_ip="
	"2001-without-target-ip|none|ip=10.0.7.5 dev=eth0 source_port=6666 target_port=6666|netconsole: target_ip= missing, needed by dev= source_port= target_port="
	"target-zero|none|netconsole=6665@10.0.7.5/eth0,6666@0.0.0.0/|netconsole: bad target IP \"0.0.0.0\" in netconsole=6665@10.0.7.5/eth0,6666@0.0.0.0/"
	"target-zero-2001|none|ip=10.0.7.5 target_ip=0.0.0.0|netconsole: bad target IP \"0.0.0.0\" in target_ip=0.0.0.0"
	"netdump-without-netconsole|none|netdump=6667@10.0.7.1|netdump: needs a working netconsole= for its device and address"
	"netdump-bad-without-netconsole|none|netdump=10.0.7|netdump: bad host address \"10.0.7\" in netdump="
	"netdump-with-bad-netconsole|none|netconsole=6665@10.0.7.5/eth0,66x6@10.0.7.1/ netdump=6667@10.0.7.1|netdump: needs a working netconsole= for its device and address"
	"bench-blast-without-netconsole|none|bench=blast:10:100|bench: blast needs netconsole= with an open device; not run, booting on"
	"unknown|linux|crahs=init-divzero quiet|Unknown kernel command line parameters \"crahs=init-divzero quiet\", ignored"
	"unknown-iso|linux|crahs=init-divzero quiet|Unknown kernel command line parameters \"crahs=init-divzero quiet\", ignored"
	"ip-alone|none|ip=10.0.7.5|netconsole: ip= without netconsole= or target_ip=, ignored"
	"cut|linux-arp|@cut|@cut"
)

# The cut case: QEMU's Multiboot command line is the -kernel path as given,
# a space and -append's text; run-crash.sh runs QEMU from the kernel's
# directory with -kernel kernel.elf, and puts netconsole=, crash= and panic=
# first.
# Pad parameters of up to 100 bytes put the limit 12 bytes into a last crash=
# (after "crash=init-d", itself a valid-looking prefix), so the kernel must
# keep crash=init-null.
cut_head() {
	echo "$(basename "${NC_KERNEL:-$root/build/kernel.elf}") $ARP_NETCONSOLE crash=init-null panic=-1"
}
cut_pad() {
	local head
	head=$(cut_head)
	awk -v n=$((COMMAND_LINE_MAX - ${#head} - 14)) 'BEGIN {
		while (n > 0) {
			w = n > 100 ? 100 : n
			if (n - w > 0 && n - w < 6) w = n - 6
			word = "pad="; while (length(word) < w) word = word "x"
			printf "%s%s", word, (n > w ? " " : "")
			n -= w + (n > w)
		}
	}'
}
CUT_LAST="crash=init-divzero"

case_field() { # CASE N
	local f1 f2 f3 f4
	IFS='|' read -r f1 f2 f3 f4 <<<"$1"
	case $2 in 1) echo "$f1" ;; 2) echo "$f2" ;; 3) echo "$f3" ;; 4) echo "$f4" ;; esac
}

case_name() {
	case_field "$1" 1
}

case_args() {
	local append
	append=$(case_field "$1" 3)
	[ "$append" = @cut ] && append="$(cut_pad) $CUT_LAST"
	local boot=kernel
	# GRUB 2 puts no path before the parameters, QEMU's -kernel does.
	case $(case_field "$1" 1) in *-iso) boot=iso ;; esac
	run_args=(--nic e1000 --boot "$boot" --crash init-null --config "$(case_field "$1" 2)")
	[ -n "$append" ] && run_args+=(--append "$append")
}

# The serial log's records without their timestamps.
records() { # DIR
	sed -e 's/\r$//' -e 's/^\[ *[0-9]*\.[0-9]*\] //' "$1/serial.log"
}

check_cut() { # DIR
	local dir=$1 head kept printed len
	head=$(cut_head)
	kept="$head $(cut_pad)"
	len=$((${#kept} + 1 + ${#CUT_LAST}))
	want="Kernel command line longer than $COMMAND_LINE_MAX bytes ($len): 1 parameter ignored, from \"$CUT_LAST\" on"
	records "$dir" | grep -qxF -- "$want" || echo "no line: $want"
	printed=$(records "$dir" | sed -n 's/^Kernel command line\( (continued)\)\{0,1\}: //p' | paste -sd ' ')
	[ "$printed" = "$kept" ] ||
		echo "the printed command line (${#printed} bytes) is not the kept one (${#kept} bytes, up to the cut crash=)"
	records "$dir" | awk -v max=$LOG_TEXT_MAX 'length($0) > max { print "a record of " length($0) " bytes: " substr($0, 1, 60) "..."; exit }'
	grep -qF "BUG: kernel NULL pointer dereference" "$dir/serial.log" ||
		echo "no NULL pointer oops: crash=init-null was not the crash site kept"
}

check_case() {
	local dir=$2 want config
	want=$(case_field "$1" 4)
	config=$(case_field "$1" 2)
	if [ "$want" = @cut ]; then
		check_cut "$dir"
	elif [ -n "$want" ]; then
		records "$dir" | grep -qxF -- "$want" || echo "no line: $want"
	elif records "$dir" | grep -E '^(netconsole|netdump|bench): .*(ignor|missing|bad |needs)|^Kernel command line longer|^Unknown kernel command line'; then
		echo "a clean line gave the warnings above"
	fi
	nc_check_text "$dir/serial.log" "$NC_END_LINE_PREFIX" "the kernel went on to the crash site" || true
	if [ "$config" != none ]; then
		nc_check_text "$dir/transcript.log" "$NC_END_LINE_PREFIX" "netconsole carried the oops" || true
	fi
}

cases_run
