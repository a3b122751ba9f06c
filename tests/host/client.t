#!/usr/bin/env bash
# TAP tests of host/netconsole-client, with host/udp-send playing the
# netconsole sender. Loopback only: the listener binds 127.0.0.1, the
# accepted sender is 127.0.0.2 and an intruder 127.0.0.3.
set -u
cd "$(dirname "$0")/../.." || exit 1

B=build/host
CLIENT=$B/netconsole-client
SEND=$B/udp-send
CFLAGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror -I.)

tests=0
failed=0
ok() { # ok CONDITION-STATUS NAME
	tests=$((tests + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tests - $2"
	else
		echo "not ok $tests - $2"
		failed=$((failed + 1))
	fi
}
diag() { sed 's/^/# /' "$@"; }

# Rebuilds when the binary is missing or older than a source; builds under
# a private name first so parallel runs never execute a half-written file.
build() { # build OUTPUT SOURCES...
	local out=$1 src stale=0
	shift
	[ -x "$out" ] || stale=1
	for src in "$@" host/client-*.h; do
		[ "$src" -nt "$out" ] && stale=1
	done
	[ $stale -eq 0 ] && return 0
	mkdir -p "$B" && cc "${CFLAGS[@]}" -o "$out.$$" "$@" && mv -f "$out.$$" "$out"
}
FLOOD=$B/hostile-flood
if ! build "$CLIENT" host/netconsole-client.c host/client-*.c || ! build "$SEND" host/udp-send.c ||
	! build "$FLOOD" tests/host/hostile-flood.c; then
	echo "1..0 # SKIP cannot build the host tools"
	exit 1
fi
planned=38
echo "1..$planned"

T=$(mktemp -d)
cleanup() {
	local job
	# Only our own listeners still running, by PID.
	for job in $(jobs -p); do
		kill "$job" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# Distinct high ports per run, so parallel runs do not collide.
port_base=$((20000 + ($$ * 16) % 40000))
next_port=$port_base
new_port() { port=$next_port; next_port=$((next_port + 1)); }

# start NAME ARGS...: runs the listener in the background with its output
# under $T/NAME.*, and waits until its socket is bound.
start() {
	local name=$1 i
	shift
	"$CLIENT" --ready-file "$T/$name.ready" "$@" >"$T/$name.stdout" 2>"$T/$name.stderr" &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		[ -e "$T/$name.ready" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	echo "# listener $name never became ready"
	diag "$T/$name.stderr"
	return 1
}
# finish: waits for the last started listener and sets rc.
finish() {
	wait "$pid"
	rc=$?
}
send() { # send FROM-IP ARGS...
	local from=$1
	shift
	"$SEND" --from "$from:0" --to "127.0.0.1:$port" "$@"
}

# 1. The transcript is the payloads, over many packets, including a
#    3000-byte record split across three packets, with control bytes escaped
#    as on the terminal; --raw keeps them byte for byte.
new_port
long=$(printf '%03000d' 7)
packets=("[    0.000000] Linux version 2.4.10-netconsole" $'\n' "[    0.012345] tab\there"$'\n'
	"[    0.020000] ${long:0:985}" "${long:985:1000}" "${long:1985}"$'\n'
	$'[    0.030000] ctl \x01\x1b[2J\x7f\xff\r\n' $'[    0.040000] MARK-END\n')
printf '%s' "${packets[@]}" >"$T/want.raw"
printf '%s' "${packets[@]:0:6}" '[    0.030000] ctl \x01\x1b[2J\x7f\xff\x0d' $'\n' "${packets[7]}" \
	>"$T/want.transcript"
start transcript --client 127.0.0.1 --port "$port" --output "$T/transcript.out" \
	--raw "$T/transcript.raw" --expect MARK-END --timeout 5 --quiet
send 127.0.0.2 -- "${packets[@]}"
finish
ok $rc "listener exits 0 once the expected text arrives"
cmp -s "$T/want.transcript" "$T/transcript.out"
ok $? "transcript equals the concatenated payloads, control bytes escaped"
cmp -s "$T/want.raw" "$T/transcript.raw"
ok $? "--raw holds the payloads byte for byte"
[ ! -s "$T/transcript.stdout" ]
ok $? "--quiet prints nothing to stdout"

# 2. udp-send --file: one datagram per line, the transcript is the file.
new_port
printf '[    1.000000] line one\n[    1.000001] line two\nno newline at end' >"$T/lines"
start file --client 127.0.0.1 --port "$port" --output "$T/file.out" \
	--expect 'at end' --timeout 5
send 127.0.0.2 --file "$T/lines"
finish
cmp -s "$T/lines" "$T/file.out" && [ $rc -eq 0 ]
ok $? "lines sent with --file arrive as the same bytes"
cmp -s "$T/lines" "$T/file.stdout"
ok $? "printable payloads are printed unchanged"

# 3. An expected text split across two packets still matches.
new_port
start span --client 127.0.0.1 --port "$port" --expect 'Oops: 0002 [#1]' \
	--expect 'EIP is at' --timeout 5
send 127.0.0.2 -- '[    2.000000] Oops: 00' $'02 [#1]\n' '[    2.000001] EIP' $' is at crash_init+0x1/0x10\n'
finish
ok $rc "--expect texts spanning packets are found"

# 4. Timeout: exit 1 naming the text that never came, and only that one.
new_port
start timeout --client 127.0.0.1 --port "$port" --expect never-sent-text \
	--expect 'arrived-text' --timeout 0.4
send 127.0.0.2 -- $'[    3.000000] arrived-text\n'
finish
[ $rc -eq 1 ]
ok $? "--timeout with a missing text exits 1 (got $rc)"
grep -q 'never received: "never-sent-text"' "$T/timeout.stderr" &&
	! grep -q 'arrived-text' "$T/timeout.stderr"
ok $? "stderr names exactly the missing text" || diag "$T/timeout.stderr"

# 5. The 2001 invocation form; -server drops packets from other senders.
new_port
start filter -server 127.0.0.2 -client 127.0.0.1 -port "$port" --output "$T/filter.out" \
	--expect good --timeout 5
send 127.0.0.3 -- $'[    4.000000] intruder\n'
send 127.0.0.2 -- $'[    4.000001] good\n'
finish
[ $rc -eq 0 ] && [ "$(cat "$T/filter.out")" = "[    4.000001] good" ]
ok $? "-server 127.0.0.2 keeps only the accepted sender's packet"
! grep -q intruder "$T/filter.stdout" && grep -q 'ignored 1 packet' "$T/filter.stderr"
ok $? "the dropped packet is not shown but is counted" || diag "$T/filter.stderr"

new_port
start gnu --server=127.0.0.3 --client 127.0.0.1 --port="$port" --expect x --timeout 0.3
send 127.0.0.2 -- $'x\n'
finish
[ $rc -eq 1 ] && grep -q 'ignored 1 packet' "$T/gnu.stderr"
ok $? "--server=IP (GNU style) filters too"

# 6. Escaping: control bytes reach stdout as \xNN, never raw.
new_port
start escape --client 127.0.0.1 --port "$port" --output "$T/escape.out" --expect red --timeout 5
send 127.0.0.2 -- $'[    5.000000] a\x1b[31mred\x7f\r\tb\n'
finish
printf '%s\n' '[    5.000000] a\x1b[31mred\x7f\x0d	b' >"$T/want.escape"
cmp -s "$T/want.escape" "$T/escape.stdout"
ok $? "ESC, DEL and CR are printed as \\xNN, tab and newline kept" || diag "$T/escape.stdout"
cmp -s "$T/want.escape" "$T/escape.out"
ok $? "the transcript holds what the terminal showed, no raw ESC byte"

# 7. SIGTERM and SIGINT end the listener cleanly with the transcript on disk.
for sig in TERM INT; do
	new_port
	start "sig$sig" --client 127.0.0.1 --port "$port" --output "$T/sig$sig.out" --timeout 5 --quiet
	send 127.0.0.2 -- $'[    6.000000] before the signal\n'
	for ((i = 0; i < 200; i++)); do
		[ -s "$T/sig$sig.out" ] && break
		sleep 0.01
	done
	kill -"$sig" "$pid"
	finish
	[ $rc -eq 0 ] && [ "$(cat "$T/sig$sig.out")" = "[    6.000000] before the signal" ]
	ok $? "SIG$sig: exit 0 with the transcript complete (rc $rc)"
done
new_port
start sigexpect --client 127.0.0.1 --port "$port" --expect never-sent-text --timeout 5
kill -TERM "$pid"
finish
[ $rc -eq 1 ] && grep -q 'stopped by signal; never received: "never-sent-text"' "$T/sigexpect.stderr"
ok $? "a signal with texts outstanding exits 1 naming them"

# 8. Bad arguments: exit 2 with a message naming the problem.
bad() { # bad EXPECTED-MESSAGE ARGS...
	local want=$1 code
	shift
	"$CLIENT" "$@" >/dev/null 2>"$T/bad.stderr"
	code=$?
	[ $code -eq 2 ] && grep -qF -- "$want" "$T/bad.stderr" && grep -q '^usage:' "$T/bad.stderr"
	ok $? "bad arguments ($*) exit 2: $want" || diag "$T/bad.stderr"
}
bad "unknown option '--bogus'" --bogus
bad "unknown option '-port=1'" -port=1
bad "--port needs a value" --port
bad "-server: '10.0.7' is not an IPv4 or IPv6 address" -server 10.0.7
bad "--client: 'localhost' is not an IPv4 or IPv6 address" --client localhost
bad "--port: '0' is not a port in 1..65535" --port 0
bad "-port: '65536' is not a port in 1..65535" -port 65536
bad "--port: 'abc' is not a port in 1..65535" --port abc
bad "--timeout: '-1' is not a time in seconds" --timeout -1
bad "--timeout: '0' is not a time in seconds" --timeout 0
bad "--timeout: '1e3' is not a time in seconds" --timeout=1e3
bad "--expect: '' is not a text" --expect ''
bad "--quiet takes no value" --quiet=yes
bad "unexpected argument 'stray'" stray
bad "unknown option '-expect' (did you mean '--expect'?)" -expect x
bad "--dump-drop: '100' is not a percentage in 0..99" --dump-drop 100

# 9. Socket errors name the address and the errno text.
new_port
start busy --client 127.0.0.1 --port "$port" --timeout 5
"$CLIENT" --client 127.0.0.1 --port "$port" --timeout 1 2>"$T/busy2.stderr"
rc2=$?
kill -TERM "$pid"
finish
[ $rc2 -eq 2 ] && grep -q "cannot bind UDP 127.0.0.1:$port: Address already in use" "$T/busy2.stderr"
ok $? "binding a busy port exits 2 naming address and error" || diag "$T/busy2.stderr"

# 10. The literal 2001 line parses: it either binds (only inside the test
#     network) or fails to bind 10.0.7.1:6666, but is never a usage error.
"$CLIENT" -server 10.0.7.5 -client 10.0.7.1 -port 6666 --timeout 0.1 --quiet 2>"$T/2001.stderr"
rc=$?
! grep -q usage: "$T/2001.stderr" &&
	{ [ $rc -eq 0 ] || grep -q 'cannot bind UDP 10.0.7.1:6666' "$T/2001.stderr"; }
ok $? "the 2001 invocation parses" || diag "$T/2001.stderr"

# 11. udp-send refuses destinations outside loopback and 10.0.7.0/24.
"$SEND" --to 192.0.2.1:6666 hello 2>"$T/refuse.stderr"
[ $? -eq 2 ] && grep -q 'refusing to send to 192.0.2.1' "$T/refuse.stderr"
ok $? "udp-send refuses a destination outside the test networks"

# 12. One transcript per sender: the first keeps --output, each further one
#     gets FILE.IP-PORT, so their records never interleave.
new_port
start persender --client 127.0.0.1 --port "$port" --output "$T/ps.out" --expect two-b \
	--timeout 5 --quiet
"$SEND" --from 127.0.0.2:6665 --to "127.0.0.1:$port" $'6,1,2,-;one-b\n' $'6,0,1,-;one-a\n'
"$SEND" --from 127.0.0.3:6665 --to "127.0.0.1:$port" $'6,0,5,-;two-a\n' $'6,1,6,-;two-b\n'
finish
[ $rc -eq 0 ] && [ "$(cat "$T/ps.out")" = $'[    0.000001] one-a\n[    0.000002] one-b' ] &&
	[ "$(cat "$T/ps.out.127.0.0.3-6665")" = $'[    0.000005] two-a\n[    0.000006] two-b' ]
ok $? "two senders, two transcripts, each in its own order" || diag "$T/persender.stderr"

# 13. Issue 19: 200,000 hostile datagrams (junk from 256 ports, sequence
#     restarts, 64 KiB records that never complete, forged dump heralds,
#     FINISH and DATA) leave the listener's peak memory under its bound,
#     104 MiB: 64 senders of at most 1.47 MiB each (a 256 KiB stream, a
#     64 KiB line buffer, 1 MiB of held bodies with 128 KiB of bitmaps, a
#     32 KiB lost list), 8 dumps of at most 272 KiB, about 4 MiB of buffers
#     and program. Before the limits it grew to 737 MB.
new_port
dump_port=$next_port
next_port=$((next_port + 1))
mkdir -p "$T/flood-dumps"
start flood --client 127.0.0.1 --port "$port" --dump-port "$dump_port" --dump-dir "$T/flood-dumps" \
	--ack --quiet --output "$T/flood.out" --timeout 120
"$FLOOD" 127.0.0.1 "$port" "$dump_port" 200000
sleep 1
peak_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
kill -TERM "$pid"
finish
echo "# listener peak memory after 200,000 hostile datagrams: ${peak_kb:-?} kB (bound 106496 kB)"
[ "${peak_kb:-999999999}" -lt 106496 ] && [ $rc -eq 0 ]
ok $? "200,000 hostile datagrams: peak memory ${peak_kb:-?} kB, under 104 MiB" ||
	diag "$T/flood.stderr"

[ $tests -eq $planned ] || echo "# planned $planned tests but ran $tests"
[ $failed -eq 0 ] && [ $tests -eq $planned ]
