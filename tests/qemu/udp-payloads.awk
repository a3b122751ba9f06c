# Reads `tcpdump -tt -n -x` output of UDP/IPv4 packets and prints one line
# per packet: "SECONDS SOURCE DESTINATION PAYLOAD", addresses as tcpdump
# shows them (10.0.7.5.6665), the payload decoded from the hex dump itself
# (IP header length from the packet, then the 8-byte UDP header, up to the
# IP total length: a frame QEMU records carries the Ethernet padding of a
# short frame, which is no part of the datagram) with every
# byte outside printable ASCII, and the backslash, as \xNN. The tests read
# what went over the wire here, not from the listener.
function flush(    ihl, start, end, out, i, b) {
	if (time == "")
		return
	ihl = hex2int(substr(bytes, 2, 1)) * 4
	start = ihl + 8
	end = hex2int(substr(bytes, 5, 4))
	if (end > nbytes)
		end = nbytes
	out = ""
	for (i = start; i < end; i++) {
		b = hex2int(substr(bytes, 2 * i + 1, 2))
		if (b >= 32 && b < 127 && b != 92)
			out = out sprintf("%c", b)
		else
			out = out sprintf("\\x%02x", b)
	}
	print time, src, dst, out
	time = ""
}
function hex2int(h,    v, i, c) {
	v = 0
	for (i = 1; i <= length(h); i++) {
		c = index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
		v = v * 16 + c
	}
	return v
}
# Every packet's first line ends the one before; only IPv4 ones are read
# (an ARP's hex lines are not a datagram's).
/^[0-9]+\.[0-9]+ / {
	flush()
	bytes = ""
	nbytes = 0
	if ($2 != "IP")
		next
	time = $1
	src = $3
	dst = $5
	sub(/:$/, "", dst)
	next
}
/^[ \t]+0x[0-9a-f]+:/ && time != "" {
	for (i = 2; i <= NF; i++) {
		bytes = bytes $i
		nbytes += length($i) / 2
	}
}
END { flush() }
