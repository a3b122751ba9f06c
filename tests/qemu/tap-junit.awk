# prove -v's output of the QEMU tests as JUnit XML (tests/qemu/run-suite.sh):
# a testsuite per test file, a testcase per TAP result (classname the file,
# name the description), a failure holding the "#" lines that follow a
# "not ok" (the failed assertions and "logs: DIR"), a skipped element with
# the reason; a file prove skipped whole, or that died before its plan was
# done, is one testcase of its own. The case runner's summary rows give
# each case's seconds.

function xml(text) {
	gsub(/&/, "\\&amp;", text)
	gsub(/</, "\\&lt;", text)
	gsub(/>/, "\\&gt;", text)
	gsub(/"/, "\\&quot;", text)
	# Control characters other than tab and newline are not XML.
	gsub(/[\001-\010\013\014\016-\037]/, "?", text)
	return text
}

function close_case() {
	if (open_case == "")
		return
	n_cases++
	case_name[n_cases] = open_case
	case_kind[n_cases] = open_kind
	case_text[n_cases] = open_text
	open_case = ""
}

function flush_suite(   i, failures, skipped, plain, seconds) {
	close_case()
	if (suite == "")
		return
	if (planned > n_cases && !whole_skip) {
		n_cases++
		case_name[n_cases] = suite
		case_kind[n_cases] = "failure"
		case_text[n_cases] = "the file planned " planned " cases and reported " (n_cases - 1) suite_tail
	}
	failures = skipped = 0
	for (i = 1; i <= n_cases; i++) {
		if (case_kind[i] == "failure") failures++
		if (case_kind[i] == "skipped") skipped++
	}
	printf "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\">\n",
		xml(suite), n_cases, failures, skipped
	for (i = 1; i <= n_cases; i++) {
		plain = case_name[i]
		sub(/ \[net=[a-z]+\]$/, "", plain)
		seconds = (plain in row_seconds) ? sprintf(" time=\"%s\"", row_seconds[plain]) : ""
		printf "    <testcase classname=\"%s\" name=\"%s\"%s", xml(suite), xml(case_name[i]), seconds
		if (case_kind[i] == "ok") {
			print "/>"
			continue
		}
		print ">"
		if (case_kind[i] == "skipped")
			printf "      <skipped message=\"%s\"/>\n", xml(case_text[i])
		else
			printf "      <failure message=\"%s\">%s</failure>\n",
				xml(first_line(case_text[i])), xml(case_text[i])
		print "    </testcase>"
	}
	print "  </testsuite>"
	total += n_cases
	suite = ""
}

function first_line(text) {
	sub(/^\n/, "", text)
	sub(/\n.*/, "", text)
	return text == "" ? "failed" : text
}

BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<testsuites>"
}

# prove's header of a file: "tests/qemu/x.t .. ", or with a verdict on the
# same line ("skipped: REASON") when the file ran nothing.
/^tests\/qemu\/[^ ]+\.t \.+/ {
	flush_suite()
	suite = $1
	sub(/^tests\/qemu\//, "", suite)
	n_cases = planned = whole_skip = 0
	suite_tail = ""
	delete row_seconds
	if (match($0, /skipped: .*/)) {
		whole_skip = 1
		n_cases = 1
		case_name[1] = suite
		case_kind[1] = "skipped"
		case_text[1] = substr($0, RSTART + 9)
	}
	next
}
suite == "" { next }
/^1\.\.[0-9]+/ {
	planned = substr($1, 4) + 0
	next
}
/^(not )?ok [0-9]+/ {
	close_case()
	open_kind = /^not / ? "failure" : "ok"
	open_case = $0
	sub(/^(not )?ok [0-9]+( - )?/, "", open_case)
	open_text = ""
	if (match(open_case, / # [Ss][Kk][Ii][Pp]/)) {
		open_kind = "skipped"
		open_text = substr(open_case, RSTART + 8)
		sub(/^ /, "", open_text)
		open_case = substr(open_case, 1, RSTART - 1)
	}
	next
}
# A summary row of the case runner: "# name | result | seconds ...".
/^# [^ |]+ +\| [a-z]+ +\| [0-9.]+/ {
	split($0, cells, /\|/)
	name = cells[1]
	sub(/^# /, "", name)
	gsub(/ /, "", name)
	seconds = cells[3]
	sub(/^ +/, "", seconds)
	sub(/ .*/, "", seconds)
	row_seconds[name] = seconds
	next
}
/^#/ {
	if (open_case != "" && open_kind == "failure") {
		line = $0
		sub(/^#[ ]*/, "", line)
		open_text = open_text (open_text == "" ? "" : "\n") line
	}
	next
}
/^Failed |^Dubious|^Bail out!/ {
	suite_tail = suite_tail "\n" $0
}
END {
	flush_suite()
	print "</testsuites>"
}
