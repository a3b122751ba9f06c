# Checks the extended-netconsole recovery a capture shows, from the lines
# tests/qemu/udp-payloads.awk prints (the wire, not the listener's word).
# Prints one line per failed assertion, and with -v note=1 one line
# "note: ..." describing what happened.
#
#   -v check=missing -v seqs="0 5 6"   each listed record came back after an
#        ncrx reply that named it missing, within recover_ms of the first
#        such reply to reach the guest, never marked ncemg=1, with every
#        fragment of it
#   -v check=emergency   after the last acknowledgement that moved, the
#        kernel resent every unacknowledged record marked ncemg=1, in rounds
#        200 ms after it and then 400, 800, 1600, 1600... ms after the round
#        before, up to netconsole_linger (linger_ms) after the panic's end
#        line, and nothing else
#
# Common variables: guest (the guest's address), end_text (the panic's last
# record), oops_text (the oops's first record: replies that come between it
# and the end line wait for the linger), slack_ms (how late a round may be).
function ms(t) { return t * 1000 }
function packet_from_guest(src) { return index(src, guest ".") == 1 }
BEGIN {
	if (slack_ms == "")
		slack_ms = 200
	if (recover_ms == "")
		recover_ms = 200
	if (linger_ms == "")
		linger_ms = 5000
	n = 0
}
{
	t = ms($1)
	payload = $0
	sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", payload)
	n++
	time[n] = t
	if (packet_from_guest($2)) {
		kind[n] = "rec"
		header = payload
		sub(/;.*/, "", header)
		split(header, field, ",")
		seq[n] = field[2] + 0
		emg[n] = index(header, ",ncemg=1") > 0
		frag[n] = ""
		if (match(header, /ncfrag=[0-9]+\//))
			frag[n] = substr(header, RSTART + 7, RLENGTH - 8) + 0
		body = payload
		sub(/^[^;]*;/, "", body)
		if (t_end == "" && index(body, end_text))
			t_end = t
		if (t_oops == "" && oops_text != "" && index(body, oops_text))
			t_oops = t
		if (highest == "" || seq[n] > highest)
			highest = seq[n]
	} else if (payload ~ /^ncrx[0-9]+/) {
		kind[n] = "ack"
		m = split(substr(payload, 5), w, " ")
		acked[n] = w[1] + 1
		missing[n] = " "
		for (i = 2; i <= m; i++) {
			missing[n] = missing[n] w[i] " "
			if (w[i] + 0 < acked[n])
				acked[n] = w[i] + 0
		}
	} else {
		kind[n] = "other"
	}
}
function check_missing(    s, list, i, j, o, copies, k, first_ask, resent, frags_first, frags_again, ok_copy, late) {
	k = split(seqs, list, " ")
	for (i = 1; i <= k; i++) {
		s = list[i] + 0
		first_ask = ""
		resent = ""
		delete frags_first
		delete frags_again
		copies = 0
		for (j = 1; j <= n; j++) {
			if (kind[j] == "ack" && first_ask == "" && index(missing[j], " " s " "))
				first_ask = time[j]
			if (kind[j] != "rec" || seq[j] != s)
				continue
			copies++
			if (emg[j])
				print "record " s " was resent marked ncemg=1 at +" int(time[j] - t_end) " ms after the end line: the missing list should have brought it back"
			if (first_ask == "")
				frags_first[frag[j]] = 1
			else {
				frags_again[frag[j]] = 1
				if (resent == "")
					resent = time[j]
			}
		}
		if (first_ask == "") {
			print "no ncrx reply named record " s " missing"
			continue
		}
		if (resent == "") {
			print "record " s " never came again after ncrx named it missing"
			continue
		}
		for (o in frags_first)
			if (!(o in frags_again))
				print "record " s ": fragment at offset " o " was not resent"
		late = resent - first_ask
		if (late > recover_ms)
			print "record " s " came back " int(late) " ms after the first ncrx naming it (at most " recover_ms ")"
		if (note)
			printf "note: record %d resent %d ms after ncrx asked, %d ms after the end line\n", s, late, resent - t_end
	}
}
function check_emergency(    j, ref, best, first_emg, r, rounds, start, last, expected, prev, wait_ms, linger_end, s, got, count) {
	first_emg = ""
	for (j = 1; j <= n && first_emg == ""; j++)
		if (kind[j] == "rec" && emg[j])
			first_emg = j
	if (first_emg == "") {
		print "no record was resent marked ncemg=1"
		return
	}
	best = -1
	ref = ""
	for (j = 1; j < first_emg; j++) {
		if (kind[j] != "ack")
			continue
		if (ref == "" || acked[j] > best) {
			best = acked[j]
			ref = time[j]
			if (t_oops != "" && ref >= t_oops && ref < t_end)
				ref = t_end
		}
	}
	if (ref == "") {
		print "the guest got no ncrx reply before its first ncemg=1 resend: nothing to time it from"
		return
	}
	# The rounds: ncemg packets less than 50 ms apart belong together.
	rounds = 0
	for (j = first_emg; j <= n; j++) {
		if (kind[j] != "rec")
			continue
		if (!emg[j]) {
			print "record " seq[j] " was sent again without ncemg=1 at +" int(time[j] - ref) " ms after the last acknowledgement (nobody asked)"
			continue
		}
		if (rounds == 0 || time[j] - last > 50) {
			rounds++
			start[rounds] = time[j]
			count[rounds] = 0
		}
		last = time[j]
		if (rounds == 1)
			got[seq[j]] = 1
	}
	for (s = best; s <= highest && s < best + 32; s++)
		if (!(s in got))
			print "the first ncemg=1 round left out record " s " (unacknowledged: " best " to " highest ")"
	for (s in got)
		if (s + 0 < best)
			print "the first ncemg=1 round resent record " s ", which was acknowledged (below " best ")"
	# Each round is due its wait after the one before (the kernel times the
	# next round from when this one ran), the first 200 ms after the last
	# acknowledgement that moved.
	linger_end = t_end + linger_ms
	prev = ref
	wait_ms = 200
	expected = 0
	for (r = 1; ; r++) {
		if (r > 1)
			prev = start[r - 1]
		if (prev + wait_ms > linger_end + slack_ms)
			break
		if (r > rounds) {
			if (prev + wait_ms < linger_end - slack_ms)
				print "round " r " of ncemg=1 resends missing: due " wait_ms " ms after " (r > 1 ? "round " r - 1 : "the last acknowledgement") ", " int(linger_end - prev - wait_ms) " ms before the linger ends"
			break
		}
		if (start[r] < prev + wait_ms - 10 || start[r] > prev + wait_ms + slack_ms)
			print "round " r " of ncemg=1 resends came " int(start[r] - prev) " ms after " (r > 1 ? "round " r - 1 : "the last acknowledgement") ", due after " wait_ms " (+" slack_ms ")"
		expected = r
		if (wait_ms < 1600)
			wait_ms *= 2
	}
	if (rounds > expected)
		print "round " rounds " of ncemg=1 resends came " int(start[rounds] - ref) " ms after the last acknowledgement, after the linger (" int(linger_end - ref) ")"
	if (note) {
		printf "note: records below %d acknowledged, %d ms after the end line; ncemg rounds at", best, ref - t_end
		for (r = 1; r <= rounds; r++)
			printf " +%d", start[r] - ref
		printf "\n"
	}
}
END {
	if (t_end == "") {
		print "the capture holds no record with '" end_text "'"
		exit
	}
	if (check == "missing")
		check_missing()
	else if (check == "emergency")
		check_emergency()
	else
		print "ncrx-check.awk: unknown check '" check "'"
}
