# Checks the extended-netconsole recovery a capture shows, from the lines
# tests/qemu/udp-payloads.awk prints (the wire, not the listener's word).
# Prints one line per failed assertion, and with -v note=1 one line
# "note: ..." describing what happened.
#
#   -v check=missing -v seqs="0 5 6"   each listed record came back
#        unmarked after an ncrx reply that named it missing, within
#        recover_ms of the first such reply to reach the guest, with every
#        fragment of it, and no ncemg=1 copy came before that
#   -v check=emergency   in the panic's linger the kernel resent every
#        unacknowledged record marked ncemg=1, on the schedule below, up to
#        netconsole_linger (linger_ms) after the panic's end line, and
#        nothing unmarked that no reply asked for
#
# Common variables: guest (the guest's address), end_text (the panic's last
# record), oops_text (the oops's first record: replies that come between it
# and the end line wait for the linger), slack_ms (how late a round may be),
# host_mhz and guest_mhz (the host's TSC rate as build/host/tsc-rate
# measures it, and the rate the kernel calibrated: under TCG the guest's
# TSC is the host's, so their ratio converts the kernel's milliseconds).
function ms(t) { return t * 1000 }
function packet_from_guest(src) { return index(src, guest ".") == 1 }
BEGIN {
	if (slack_ms == "")
		slack_ms = 200
	# Generous: the kernel polls every millisecond in the linger, but a
	# loaded host can stop the guest for longer (a resend that waited for
	# the emergency rounds is caught by its ncemg=1 mark, not by time).
	if (recover_ms == "")
		recover_ms = 1000
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
		# For the guest's clock: its timestamp on first copies up to the
		# end line.
		if (t_end == "" || t == t_end)
			if (!emg[n] && field[3] + 0 > 0 && !(seq[n] in ts_of)) {
				ts_of[seq[n]] = field[3] / 1000
				tx_of[seq[n]] = t
			}
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
function check_missing(    s, list, i, j, o, k, first_ask, resent, first_emg, frags_first, frags_again, late) {
	k = split(seqs, list, " ")
	for (i = 1; i <= k; i++) {
		s = list[i] + 0
		first_ask = resent = first_emg = ""
		delete frags_first
		delete frags_again
		for (j = 1; j <= n; j++) {
			if (kind[j] == "ack" && first_ask == "" && index(missing[j], " " s " "))
				first_ask = time[j]
			if (kind[j] != "rec" || seq[j] != s)
				continue
			if (emg[j]) {
				if (first_emg == "")
					first_emg = time[j]
			} else if (first_ask == "") {
				frags_first[frag[j]] = 1
			} else {
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
			print "record " s " never came again unmarked after ncrx named it missing" (first_emg != "" ? " (only ncemg=1 copies: the emergency rounds, not the missing list)" : "")
			continue
		}
		# A marked copy after the unmarked one is a round that ran before
		# the kernel read the acknowledgement; one before it means the
		# emergency rounds, not the missing list, brought the record back.
		if (first_emg != "" && first_emg < resent)
			print "record " s " came back marked ncemg=1, " int(first_emg - t_end) " ms after the end line, before the missing list brought it"
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

# Without the TSC rates: host milliseconds per guest millisecond, from the
# records' timestamps
# against their capture times: a record goes out some time after it is
# stamped (a little, or long when it waited for netconsole to start), so
# the least delayed record in each half of the span is taken. 1 when the
# span is under 500 ms.
function guest_clock_scale(    q, lo, hi, mid, a, b, best_a, best_b, d) {
	lo = hi = ""
	for (q in ts_of) {
		if (lo == "" || ts_of[q] < lo)
			lo = ts_of[q]
		if (hi == "" || ts_of[q] > hi)
			hi = ts_of[q]
	}
	if (lo == "" || hi - lo < 500)
		return 1
	mid = (lo + hi) / 2
	a = b = ""
	for (q in ts_of) {
		d = tx_of[q] - ts_of[q]
		if (ts_of[q] < mid && (a == "" || d < best_a)) {
			a = q
			best_a = d
		} else if (ts_of[q] >= mid && (b == "" || d < best_b)) {
			b = q
			best_b = d
		}
	}
	if (a == "" || b == "" || ts_of[b] - ts_of[a] < 250)
		return 1
	return (tx_of[b] - tx_of[a]) / (ts_of[b] - ts_of[a])
}

# Replays the kernel's rule on the capture: a stall starts when the
# acknowledged mark last moved or, when all had
# been acknowledged, when a new record went out; its first round is due 200
# ms later, each next one 400, 800, 1600, 1600... ms after the round before
# (the first may be later by as long as a reply that came during the oops
# waited to be read), in the guest's milliseconds, which the capture
# converts: its records carry the guest's timestamps.
# Rounds in the linger (after the end line) are checked against that, each
# at most slack_ms late; rounds before it run only when the kernel writes a
# record, so they only move the schedule on.
function check_emergency(    j, tt, tt_late, progress_late, out_late, late, replied, k_acked, sent_hi, out, out_since, progress, since, stall, wait_ms, due, rounds, last, r_start, linger_end, s, got, first_round, asked, in_linger, note_rounds) {
	replied = 0
	k_acked = 0
	sent_hi = -1
	out = 0
	progress = stall = due = -1
	rounds = 0
	first_round = 0
	note_rounds = ""
	# The kernel times its rounds by its own clock (the TSC as it
	# calibrated it, off when a loaded host disturbed that): host
	# milliseconds per guest millisecond.
	if (host_mhz + 0 > 0 && guest_mhz + 0 > 0)
		scale = guest_mhz / host_mhz
	else
		scale = guest_clock_scale()
	linger_end = t_end + linger_ms * scale
	for (j = 1; j <= n; j++) {
		if (kind[j] == "ack") {
			# A reply that comes during the oops is read by the transmit
			# path's polling or at the latest when the linger starts.
			tt = time[j]
			tt_late = (t_oops != "" && time[j] >= t_oops && time[j] < t_end) ? t_end - time[j] : 0
			if (!replied || acked[j] > k_acked) {
				progress = tt
				progress_late = tt_late
				if (acked[j] > k_acked)
					k_acked = acked[j]
			}
			replied = 1
			if (k_acked > sent_hi)
				out = 0
			else if (!out) {
				out = 1
				out_since = tt
				out_late = tt_late
			}
			m = split(missing[j], w, " ")
			for (i = 1; i <= m; i++)
				asked[w[i] + 0] = 1
		} else if (kind[j] == "rec" && !emg[j]) {
			if (seq[j] <= sent_hi && frag[j] == "" && !(seq[j] in asked))
				print "record " seq[j] " was sent again without ncemg=1, " int(time[j] - t_end) " ms after the end line, though no reply asked for it"
			if (seq[j] > sent_hi)
				sent_hi = seq[j]
			if (replied && k_acked <= sent_hi && !out) {
				out = 1
				out_since = time[j]
				out_late = 0
			}
		} else if (kind[j] == "rec" && emg[j]) {
			if (rounds && time[j] - last <= 50) {
				last = time[j]
				if (first_round == rounds)
					got[seq[j]] = 1
				continue
			}
			rounds++
			last = time[j]
			in_linger = time[j] >= t_end
			if (in_linger && !first_round) {
				first_round = rounds
				got[seq[j]] = 1
				for (s = k_acked; s <= sent_hi && s < k_acked + 32; s++)
					want_first[s] = 1
				first_acked = k_acked
			}
			if (in_linger) {
				note_rounds = note_rounds sprintf(" +%d", time[j] - stall)
				if (due < 0)
					print "an ncemg=1 round " int(time[j] - t_end) " ms after the end line, with no stall to time it from"
				else if (time[j] > linger_end + slack_ms)
					print "an ncemg=1 round " int(time[j] - t_end) " ms after the end line, after the linger (" linger_ms " ms)"
				else if (time[j] < due - 10 || time[j] > due + slack_ms + late)
					print "ncemg=1 round " rounds " came " int(time[j] - stall) " ms into the stall, due at " int(due - stall) " (+" slack_ms ")"
			}
			if (wait_ms < 1600)
				wait_ms *= 2
			due = time[j] + wait_ms * scale
			late = 0
			continue
		}
		since = out && out_since > progress ? out_since : progress
		if (replied && out && since != stall) {
			stall = since
			wait_ms = 200
			due = since + 200 * scale
			# How much later the kernel may have read the reply.
			late = out && out_since > progress ? out_late : progress_late
		}
	}
	if (!first_round) {
		print "no record was resent marked ncemg=1 after the end line"
		return
	}
	for (s in want_first)
		if (!(s in got))
			print "the first ncemg=1 round of the linger left out record " s " (unacknowledged: " first_acked " to " sent_hi ")"
	for (s in got)
		if (!(s in want_first))
			print "the first ncemg=1 round of the linger resent record " s ", acknowledged or never sent (want " first_acked " to " sent_hi ")"
	if (out && due >= 0 && due < linger_end - slack_ms)
		print "ncemg=1 round missing: due " int(due - stall) " ms into the stall, " int(linger_end - due) " ms before the linger ends"
	if (note)
		printf "note: stall from %d ms after the end line, records from %d unacknowledged, guest ms = %.3f host ms; linger rounds at%s\n", stall - t_end, first_acked, scale, note_rounds
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
