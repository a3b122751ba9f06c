#!/usr/bin/env bash
# TAP tests of the CI conventions of make qemu-test (tests/qemu/run-suite.sh):
# SHARD=1/4 through 4/4 together list every case of LIST=1 exactly once, and
# each slice is smaller than the whole; a bad SHARD is refused; the JUnit XML
# tests/qemu/tap-junit.awk makes of a prove -v log with a passing, a failing
# and a skipped case and a file skipped whole is valid against
# tests/host/junit.xsd (xmllint), and its failure holds the failed assertion
# and the kept logs' path. Runs no QEMU (LIST only lists).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1

echo "1..5"
T=$(mktemp -d "${TMPDIR:-/tmp}/ci-t.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

LIST=1 bash tests/qemu/run-suite.sh >"$T/all" 2>"$T/all.err"
for i in 1 2 3 4; do
	LIST=1 SHARD=$i/4 bash tests/qemu/run-suite.sh >"$T/shard$i" 2>>"$T/all.err"
done
sort "$T"/shard? >"$T/union"
total=$(grep -c . "$T/all")
if [ "$total" -gt 0 ] && [ -z "$(sort "$T/all" | uniq -d)" ] && sort "$T/all" | cmp -s - "$T/union"; then
	echo "ok 1 - SHARD=1/4..4/4 cover the $total cases of LIST=1 exactly once"
else
	echo "not ok 1 - SHARD=1/4..4/4 cover the $total cases of LIST=1 exactly once"
	echo "#   listed twice in the shards: $(uniq -d "$T/union" | head -n 3 | paste -sd ' ' -)"
	echo "#   in LIST=1, in no shard: $(sort "$T/all" | comm -23 - "$T/union" | head -n 3 | paste -sd ' ' -)"
	sed 's/^/#   /' "$T/all.err" | head -n 5
fi
smallest=$total largest=0
for i in 1 2 3 4; do
	n=$(grep -c . "$T/shard$i")
	[ "$n" -lt "$smallest" ] && smallest=$n
	[ "$n" -gt "$largest" ] && largest=$n
done
if [ "$smallest" -gt 0 ] && [ "$largest" -lt "$total" ]; then
	echo "ok 2 - every slice holds some cases and fewer than all ($smallest to $largest of $total)"
else
	echo "not ok 2 - every slice holds some cases and fewer than all ($smallest to $largest of $total)"
fi
out=$(SHARD=5/4 LIST=1 bash tests/qemu/network.t 2>&1)
if grep -q "^Bail out! SHARD='5/4'" <<<"$out"; then
	echo "ok 3 - SHARD=5/4 is refused, naming it"
else
	echo "not ok 3 - SHARD=5/4 is refused, naming it"
	echo "#   got: $out"
fi

# A prove -v log as run-suite.sh reads it.
cat >"$T/prove.log" <<'LOG'
tests/qemu/network.t ....... 
1..3
# network backend: user (netns: not root)
ok 1 - e1000-kernel-linux-init-null [net=user]
not ok 2 - e1000-kernel-linux-irq-timer [net=user]
#   network transcript differs from serial: a & b <c> "d"
#   logs: /build/test-logs/e1000-kernel-linux-irq-timer
ok 3 - reliable-e1000-loss-ack [net=user] # skip --loss needs a tap; the user backend (QEMU user-mode network) has none
# case                                         | result | seconds
# e1000-kernel-linux-init-null                 | ok   | 10.4    
# e1000-kernel-linux-irq-timer                 | fail | 12.0    
Failed 1/3 subtests 
tests/qemu/iso-cmdline.t ... skipped: grub-mkrescue not installed
LOG
awk -f tests/qemu/tap-junit.awk "$T/prove.log" >"$T/junit.xml"
if ! command -v xmllint >/dev/null 2>&1; then
	echo "ok 4 - the JUnit XML is valid against tests/host/junit.xsd # skip xmllint (libxml2-utils) not installed"
elif out=$(xmllint --noout --schema tests/host/junit.xsd "$T/junit.xml" 2>&1); then
	echo "ok 4 - the JUnit XML is valid against tests/host/junit.xsd"
else
	echo "not ok 4 - the JUnit XML is valid against tests/host/junit.xsd"
	printf '%s\n' "$out" | head -n 5 | sed 's/^/#   /'
fi
want_cases=4 want_failures=1 want_skipped=2
got_cases=$(grep -c '<testcase ' "$T/junit.xml")
got_failures=$(grep -c '<failure ' "$T/junit.xml")
got_skipped=$(grep -c '<skipped ' "$T/junit.xml")
if [ "$got_cases/$got_failures/$got_skipped" = "$want_cases/$want_failures/$want_skipped" ] &&
	grep -q 'a &amp; b &lt;c&gt; &quot;d&quot;' "$T/junit.xml" &&
	grep -q 'logs: /build/test-logs/e1000-kernel-linux-irq-timer</failure>' "$T/junit.xml" &&
	grep -q 'name="e1000-kernel-linux-init-null \[net=user\]" time="10.4"' "$T/junit.xml"; then
	echo "ok 5 - testcases, the failure's text and logs path, skips and times are all in the XML"
else
	echo "not ok 5 - testcases, the failure's text and logs path, skips and times are all in the XML"
	echo "#   cases/failures/skipped: $got_cases/$got_failures/$got_skipped (want $want_cases/$want_failures/$want_skipped)"
	sed 's/^/#   /' "$T/junit.xml"
fi
