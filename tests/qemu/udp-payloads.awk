# Reads `tcpdump -tt -n -x` output of UDP packets over IPv4 or IPv6 and
# prints one line per packet: "SECONDS SOURCE DESTINATION PAYLOAD", addresses
# as tcpdump shows them (10.0.7.5.6665, fd00:7::5.6665), the payload decoded
# from the hex dump itself with every byte outside printable ASCII, and the
# backslash, as \xNN. The payload starts after the IP header (IPv4's length
# from the packet, IPv6's fixed 40 bytes, as the kernel adds no extension
# header) and the 8-byte UDP header, and ends where the IP header says the
# packet ends (IPv4's total length, IPv6's payload length after its 40
# bytes): a frame QEMU records carries the Ethernet padding of a short
# frame, which is no part of the datagram. The tests read what went over
# the wire here, not from the listener.
function flush(    ihl, start, end, out, i, b) {
	if (time == "")
		return
	if (substr(bytes, 1, 1) == "6") {
		ihl = 40
		end = ihl + hex2int(substr(bytes, 9, 4))
	} else {
		ihl = hex2int(substr(bytes, 2, 1)) * 4
		end = hex2int(substr(bytes, 5, 4))
	}
	start = ihl + 8
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
# Every packet's first line ends the one before; only IPv4 and IPv6 ones
# are read (an ARP's hex lines are not a datagram's).
/^[0-9]+\.[0-9]+ / {
	flush()
	bytes = ""
	nbytes = 0
	if ($2 != "IP" && $2 != "IP6")
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
