# gdb helpers for studying the netconsole core, in gdb's own command
# language (no Python): load with "source qemu/netconsole.gdb" into a gdb
# holding build/kernel.elf, attached to QEMU's gdb stub (make gdb) or opened
# on a netdump core (gdb build/kernel.elf vmcore...). They only read memory,
# except nc-continue, which resumes the guest.
#
#   nc-log [N]        the last N records of the log ring (default 10, 0 all):
#                     sequence, level, the serial console's line
#   nc-consoles       the log ring's extent and each console's position in it
#   nc-targets        every netpoll: its user, device, addresses (IPv4 or
#                     IPv6), ports, MAC
#   nc-tx [N]         ethN's transmit ring (default: netconsole's device),
#                     descriptor by descriptor, with who owns each
#   nc-frame [A [L]]  decodes the Ethernet/IPv4 or IPv6/UDP frame of L bytes at A;
#                     no arguments: the frame the selected function is about
#                     to hand to the NIC (its "frame" and "len", as in the
#                     drivers' transmit functions)
#   nc-fault [F]      the trap frame F (default: the first fault's), with
#                     the symbol its EIP falls in
#   nc-break DRIVER   breakpoints where every fault enters the oops path
#                     (oops_begin) and in DRIVER's transmit during an oops
#   nc-continue       continue, stepping off the current stop first (the
#                     stub now and then reports a breakpoint again)
#
# Names starting "nc--" are internal; every helper's state lives in
# convenience variables named $_nc_*.

# nc--ip VALUE: a host-order IPv4 address, dotted.
define nc--ip
	set $_nc_ip = (unsigned int)($arg0)
	printf "%u.%u.%u.%u", ($_nc_ip >> 24) & 255, ($_nc_ip >> 16) & 255, ($_nc_ip >> 8) & 255, $_nc_ip & 255
end

# nc--ip6 POINTER: the 16 bytes there as an IPv6 address, written as RFC
# 5952 says (lowercase hex, the first longest run of two or more zero groups
# as "::"), as the listener and Linux print it.
define nc--ip6
	set $_nc_a6 = (unsigned char *)($arg0)
	set $_nc_zbest = 8
	set $_nc_zbestlen = 0
	set $_nc_zlen = 0
	set $_nc_g = 0
	while $_nc_g < 8
		if $_nc_a6[2 * $_nc_g] == 0 && $_nc_a6[2 * $_nc_g + 1] == 0
			set $_nc_zlen = $_nc_zlen + 1
			if $_nc_zlen > $_nc_zbestlen
				set $_nc_zbestlen = $_nc_zlen
				set $_nc_zbest = $_nc_g + 1 - $_nc_zlen
			end
		else
			set $_nc_zlen = 0
		end
		set $_nc_g = $_nc_g + 1
	end
	if $_nc_zbestlen < 2
		set $_nc_zbest = 8
		set $_nc_zbestlen = 0
	end
	set $_nc_g = 0
	while $_nc_g < 8
		if $_nc_g == $_nc_zbest
			printf "::"
			set $_nc_g = $_nc_g + $_nc_zbestlen
		else
			if $_nc_g > 0 && $_nc_g != $_nc_zbest + $_nc_zbestlen
				printf ":"
			end
			printf "%x", ($_nc_a6[2 * $_nc_g] << 8) | $_nc_a6[2 * $_nc_g + 1]
			set $_nc_g = $_nc_g + 1
		end
	end
end

# nc--mac POINTER: six bytes as a MAC address.
define nc--mac
	set $_nc_m = (unsigned char *)($arg0)
	printf "%02x:%02x:%02x:%02x:%02x:%02x", $_nc_m[0], $_nc_m[1], $_nc_m[2], $_nc_m[3], $_nc_m[4], $_nc_m[5]
end

# nc--text POINTER LENGTH: LENGTH bytes of target memory as they are.
define nc--text
	eval "printf \"%%.%us\", (char *)0x%x", (unsigned int)($arg1), (unsigned int)($arg0)
end

# nc--skip-wrap: moves $_nc_pos past the dead space before the ring's wrap,
# as skip_wrap() in kernel/logring.c does.
define nc--skip-wrap
	set $_nc_off = $_nc_pos % $_nc_ring->size
	if $_nc_ring->size - $_nc_off < sizeof(struct record_header) || ((struct record_header *)($_nc_ring->buf + $_nc_off))->size == 0
		set $_nc_pos = $_nc_pos + ($_nc_ring->size - $_nc_off)
	end
end

define nc-log
	set $_nc_ring = &log_ring
	set $_nc_want = 10
	if $argc > 0
		set $_nc_want = $arg0
	end
	set $_nc_held = $_nc_ring->next_seq - $_nc_ring->first_seq
	if $_nc_want == 0 || $_nc_want > $_nc_held
		set $_nc_want = $_nc_held
	end
	set $_nc_from = $_nc_ring->next_seq - $_nc_want
	set $_nc_seq = $_nc_ring->first_seq
	set $_nc_pos = $_nc_ring->head
	# A record known to start at hint_pos saves the walk from the oldest.
	if $_nc_ring->hint_seq >= $_nc_ring->first_seq && $_nc_ring->hint_seq <= $_nc_from && $_nc_ring->hint_seq < $_nc_ring->next_seq
		set $_nc_seq = $_nc_ring->hint_seq
		set $_nc_pos = $_nc_ring->hint_pos
	end
	while $_nc_seq < $_nc_ring->next_seq
		nc--skip-wrap
		set $_nc_h = (struct record_header *)($_nc_ring->buf + $_nc_pos % $_nc_ring->size)
		if $_nc_h->seq != $_nc_seq
			printf "nc-log: the ring walk lost its way: record %llu expected at position %llu, found %llu\n", $_nc_seq, $_nc_pos, $_nc_h->seq
			loop_break
		end
		if $_nc_seq >= $_nc_from
			set $_nc_us = $_nc_h->ts_ns / 1000
			printf "%6llu <%u> [%5u.%06u] ", $_nc_h->seq, $_nc_h->level, (unsigned int)($_nc_us / 1000000), (unsigned int)($_nc_us % 1000000)
			set $_nc_text = (char *)($_nc_h + 1)
			nc--text $_nc_text $_nc_h->len
			printf "\n"
		end
		set $_nc_pos = $_nc_pos + $_nc_h->size
		set $_nc_seq = $_nc_seq + 1
	end
end
document nc-log
nc-log [N]: the last N records of the kernel log ring (default 10, 0 for
every record held), one per line: sequence number, <level>, then the line
the serial console printed for it ([seconds.micros] text).
end

define nc-consoles
	set $_nc_ring = &log_ring
	printf "log ring: records %llu..%llu held (next %llu), %llu of %u bytes in use, console_loglevel %d\n", $_nc_ring->first_seq, $_nc_ring->next_seq - 1, $_nc_ring->next_seq, $_nc_ring->tail - $_nc_ring->head, $_nc_ring->size, console_loglevel
	set $_nc_con = consoles
	while $_nc_con
		printf "console %-8s next record %llu, %llu behind", $_nc_con->name, $_nc_con->next_seq, $_nc_ring->next_seq - $_nc_con->next_seq
		if $_nc_con->replay
			printf ", replays the ring"
		end
		if $_nc_con->flush
			printf ", flush "
			info symbol $_nc_con->flush
		else
			printf "\n"
		end
		set $_nc_con = $_nc_con->next
	end
	printf "oops_in_progress %d\n", oops_in_progress
end
document nc-consoles
nc-consoles: the log ring's first and next sequence numbers and each
registered console's position in it (the next record it is to receive, and
how many it is behind).
end

# nc--netpoll-user NETPOLL: who set this netpoll up.
define nc--netpoll-user
	set $_nc_user = 0
	set $_nc_j = 0
	while $_nc_j < 'netconsole.c'::target_count
		if $arg0 == &'netconsole.c'::targets[$_nc_j]
			if 'netconsole.c'::extended_targets[$_nc_j].np
				printf "netconsole target %u (extended)", $_nc_j
			else
				printf "netconsole target %u", $_nc_j
			end
			set $_nc_user = 1
		end
		set $_nc_j = $_nc_j + 1
	end
	if !$_nc_user && $arg0 == &dump_np
		printf "netdump"
		set $_nc_user = 1
	end
	if !$_nc_user && $arg0 == &echo_netpoll
		printf "echo service"
		set $_nc_user = 1
	end
	if !$_nc_user
		printf "unknown user"
	end
end

define nc-targets
	printf "%u netpoll(s)\n", netpoll_count
	set $_nc_i = 0
	while $_nc_i < netpoll_count
		set $_nc_np = netpolls[$_nc_i]
		printf "netpoll %u (", $_nc_i
		nc--netpoll-user $_nc_np
		printf ") on %s: ", $_nc_np->dev->name
		if $_nc_np->ipv6
			printf "["
			nc--ip6 &$_nc_np->local_ip6[0]
			printf "]:%u -> [", $_nc_np->local_port
			nc--ip6 &$_nc_np->remote_ip6[0]
			printf "]:%u, next hop MAC ", $_nc_np->remote_port
			nc--mac $_nc_np->remote_mac
			if $_nc_np->arp_pending
				printf ", neighbour solicitation pending"
			end
		else
			nc--ip $_nc_np->local_ip
			printf ":%u -> ", $_nc_np->local_port
			nc--ip $_nc_np->remote_ip
			printf ":%u, next hop MAC ", $_nc_np->remote_port
			nc--mac $_nc_np->remote_mac
			printf ", next IP id %u", $_nc_np->ip_id
			if $_nc_np->arp_pending
				printf ", ARP pending for "
				nc--ip $_nc_np->arp_ip
			end
		end
		printf "\n"
		set $_nc_i = $_nc_i + 1
	end
end
document nc-targets
nc-targets: every netpoll (netconsole's targets, netdump's, the echo
service's): its user, device, source and destination address and port
(IPv6 ones in brackets), the next hop's MAC address and, for IPv4, the id
its next packet gets.
end

# nc--be16 OFFSET: the big-endian 16-bit word at OFFSET of the frame held
# in $_nc_f.
define nc--be16
	set $_nc_w = ($_nc_f[$arg0] << 8) | $_nc_f[$arg0 + 1]
end

# nc--be32 OFFSET: the big-endian 32-bit word at OFFSET of $_nc_f, in $_nc_w32.
define nc--be32
	set $_nc_w32 = ((unsigned int)$_nc_f[$arg0] << 24) | ($_nc_f[$arg0 + 1] << 16) | ($_nc_f[$arg0 + 2] << 8) | $_nc_f[$arg0 + 3]
end

# nc--csum FROM TO: adds the big-endian words of $_nc_f[FROM..TO) to
# $_nc_sum (an odd last byte padded with zero, RFC 1071).
define nc--csum
	set $_nc_k = $arg0
	while $_nc_k + 1 < $arg1
		set $_nc_sum = $_nc_sum + ($_nc_f[$_nc_k] << 8) + $_nc_f[$_nc_k + 1]
		set $_nc_k = $_nc_k + 2
	end
	if $_nc_k < $arg1
		set $_nc_sum = $_nc_sum + ($_nc_f[$_nc_k] << 8)
	end
end

# nc--csum-verdict: prints whether $_nc_sum folds to all ones.
define nc--csum-verdict
	while $_nc_sum >> 16
		set $_nc_sum = ($_nc_sum & 0xffff) + ($_nc_sum >> 16)
	end
	if $_nc_sum == 0xffff
		printf "valid"
	else
		printf "INVALID: sums to 0x%04x", $_nc_sum
	end
end

# nc--load ADDRESS LENGTH: copies the frame into $_nc_f with one read; a
# LENGTH of 0 takes it from the IPv4 or IPv6 header (60 when it is neither).
define nc--load
	set $_nc_fa = (unsigned char *)($arg0)
	set $_nc_fl = (unsigned int)($arg1)
	if $_nc_fl == 0
		set $_nc_fl = 60
		if $_nc_fa[12] == 8 && $_nc_fa[13] == 0
			set $_nc_fl = 14 + ($_nc_fa[16] << 8) + $_nc_fa[17]
		end
		if $_nc_fa[12] == 0x86 && $_nc_fa[13] == 0xdd
			set $_nc_fl = 14 + 40 + ($_nc_fa[18] << 8) + $_nc_fa[19]
		end
		if $_nc_fl < 60
			set $_nc_fl = 60
		end
	end
	if $_nc_fl > 1514
		set $_nc_fl = 1514
	end
	set $_nc_f = *$_nc_fa@$_nc_fl
end

# nc--l3: the one place that reads the network layer of the frame in $_nc_f:
# $_nc_type (the ethertype), $_nc_ipv (4, 6, or 0 for neither), $_nc_proto
# (the IPv4 protocol or IPv6 next header; the kernel adds no extension
# header) and $_nc_u (where the transport header starts).
define nc--l3
	nc--be16 12
	set $_nc_type = $_nc_w
	set $_nc_ipv = 0
	if $_nc_type == 0x0800
		set $_nc_ipv = 4
		set $_nc_ihl = ($_nc_f[14] & 15) * 4
		set $_nc_u = 14 + $_nc_ihl
		set $_nc_proto = $_nc_f[23]
	end
	if $_nc_type == 0x86dd
		set $_nc_ipv = 6
		set $_nc_u = 14 + 40
		set $_nc_proto = $_nc_f[20]
	end
end

# nc--l3-address WHICH: the frame's source (0) or destination (1) IP address.
define nc--l3-address
	if $_nc_ipv == 4
		nc--be32 26+4*$arg0
		nc--ip $_nc_w32
	else
		nc--ip6 $_nc_fa+22+16*$arg0
	end
end

# nc--endpoint WHICH: source (0) or destination (1) address and UDP port,
# "10.0.7.5:6665" or "[fd00:7::5]:6665".
define nc--endpoint
	if $_nc_ipv == 6
		printf "["
	end
	nc--l3-address $arg0
	if $_nc_ipv == 6
		printf "]"
	end
	nc--be16 $_nc_u+2*$arg0
	printf ":%u", $_nc_w
end

# nc--udp-summary ADDRESS LENGTH: one line's worth of the frame (no newline).
define nc--udp-summary
	nc--load $arg0 $arg1
	nc--l3
	if $_nc_ipv && $_nc_proto == 17
		nc--endpoint 0
		printf " > "
		nc--endpoint 1
		if $_nc_ipv == 4
			nc--be16 18
			printf " id %u", $_nc_w
		end
		nc--be16 $_nc_u+4
		set $_nc_plen = $_nc_w - 8
		if $_nc_plen > 0 && $_nc_f[$_nc_u + 8 + $_nc_plen - 1] == 10
			set $_nc_plen = $_nc_plen - 1
		end
		if $_nc_plen > 48
			set $_nc_plen = 48
		end
		printf " \""
		nc--text $_nc_fa+$_nc_u+8 $_nc_plen
		printf "\""
	else
		if $_nc_type == 0x0806
			printf "ARP"
		else
			if $_nc_ipv == 6 && $_nc_proto == 58
				printf "ICMPv6 type %u", $_nc_f[$_nc_u]
			else
				if $_nc_type == 0
					printf "empty"
				else
					printf "ethertype 0x%04x", $_nc_type
				end
			end
		end
	end
end

define nc-frame
	if $argc == 0
		nc--load frame len
	end
	if $argc == 1
		nc--load $arg0 0
	end
	if $argc == 2
		nc--load $arg0 $arg1
	end
	printf "frame at 0x%x, %u bytes\n", $_nc_fa, $_nc_fl
	printf "  ethernet  "
	nc--mac $_nc_fa+6
	printf " > "
	nc--mac $_nc_fa
	nc--l3
	printf ", type 0x%04x", $_nc_type
	if $_nc_ipv == 0
		printf " (neither IPv4 nor IPv6)\n"
	end
	if $_nc_ipv == 4
		printf " (IPv4)\n"
		nc--be16 16
		set $_nc_iplen = $_nc_w
		printf "  ipv4      "
		nc--l3-address 0
		printf " > "
		nc--l3-address 1
		nc--be16 18
		printf ", id %u, ttl %u, protocol %u", $_nc_w, $_nc_f[22], $_nc_proto
		if $_nc_proto == 17
			printf " (UDP)"
		end
		printf ", total length %u", $_nc_iplen
		nc--be16 24
		printf ", header checksum 0x%04x (", $_nc_w
		set $_nc_sum = 0
		nc--csum 14 14+$_nc_ihl
		nc--csum-verdict
		printf ")\n"
	end
	if $_nc_ipv == 6
		printf " (IPv6)\n"
		nc--be16 18
		printf "  ipv6      "
		nc--l3-address 0
		printf " > "
		nc--l3-address 1
		printf ", hop limit %u, next header %u", $_nc_f[21], $_nc_proto
		if $_nc_proto == 17
			printf " (UDP)"
		end
		if $_nc_proto == 58
			printf " (ICMPv6)"
		end
		printf ", payload length %u\n", $_nc_w
	end
	if $_nc_ipv && $_nc_proto == 17
		nc--be16 $_nc_u+4
		set $_nc_ulen = $_nc_w
		printf "  udp       port "
		nc--be16 $_nc_u
		printf "%u > ", $_nc_w
		nc--be16 $_nc_u+2
		printf "%u, length %u", $_nc_w, $_nc_ulen
		nc--be16 $_nc_u+6
		printf ", checksum 0x%04x (", $_nc_w
		if $_nc_w == 0 && $_nc_ipv == 4
			printf "none)\n"
		else
			# The pseudo-header: addresses, protocol, UDP length; IPv6
			# forbids leaving the checksum out, so 0 there is checked too.
			set $_nc_sum = 17 + $_nc_ulen
			if $_nc_ipv == 4
				nc--csum 26 34
			else
				nc--csum 22 54
			end
			nc--csum $_nc_u $_nc_u+$_nc_ulen
			nc--csum-verdict
			printf ")\n"
		end
		set $_nc_plen = $_nc_ulen - 8
		printf "  payload   %u bytes: \"", $_nc_plen
		if $_nc_plen > 0 && $_nc_f[$_nc_u + 8 + $_nc_plen - 1] == 10
			nc--text $_nc_fa+$_nc_u+8 $_nc_plen-1
			printf "\\n\"\n"
		else
			nc--text $_nc_fa+$_nc_u+8 $_nc_plen
			printf "\"\n"
		end
	end
end
document nc-frame
nc-frame [ADDRESS [LENGTH]]: decodes an Ethernet frame: MAC addresses,
type; for IPv4 the addresses, id, TTL, protocol and header checksum
(recomputed), for IPv6 the addresses, hop limit, next header and payload
length; for UDP the ports, length, checksum (recomputed over the family's
pseudo-header) and the payload. Without arguments it takes "frame" and
"len" of the selected function (the frame a driver's transmit is about to
hand to the NIC); without LENGTH the IP header gives it.
end

# nc--in-ring INDEX FROM TO SIZE: $_nc_in = INDEX lies in [FROM, TO) of a
# ring of SIZE slots.
define nc--in-ring
	set $_nc_in = (($arg0 + $arg3 - $arg1) % $arg3) < (($arg2 + $arg3 - $arg1) % $arg3)
end

define nc--tx-e1000
	set $_nc_nic = (struct e1000 *)$_nc_dev->priv
	set $_nc_n = sizeof($_nc_nic->tx_ring) / sizeof($_nc_nic->tx_ring[0])
	printf "%s (e1000) transmit ring, %u descriptors: head %u (oldest not reaped), kicked %u (tail last written to TDT), tail %u (next to fill)\n", $_nc_dev->name, $_nc_n, $_nc_nic->tx_head, $_nc_nic->tx_kicked, $_nc_nic->tx_tail
	printf "  NIC: handed over by TDT, not done; done: the NIC set DD, not reaped yet; queued: filled, TDT not yet moved past it; free: the driver's\n"
	set $_nc_i = 0
	while $_nc_i < $_nc_n
		set $_nc_d = &$_nc_nic->tx_ring[$_nc_i]
		nc--in-ring $_nc_i $_nc_nic->tx_head $_nc_nic->tx_tail $_nc_n
		set $_nc_used = $_nc_in
		nc--in-ring $_nc_i $_nc_nic->tx_head $_nc_nic->tx_kicked $_nc_n
		if !$_nc_used
			printf "  [%2u] free  ", $_nc_i
		else
			if !$_nc_in
				printf "  [%2u] queued", $_nc_i
			else
				if $_nc_d->status & 1
					printf "  [%2u] done  ", $_nc_i
				else
					printf "  [%2u] NIC   ", $_nc_i
				end
			end
		end
		printf " len %4u cmd 0x%02x status 0x%02x", $_nc_d->length, $_nc_d->cmd, $_nc_d->status
		if $_nc_d->length
			printf " "
			nc--udp-summary $_nc_nic->tx_buf[$_nc_i] $_nc_d->length
		end
		if $_nc_i == $_nc_nic->tx_head
			printf " <- head"
		end
		if $_nc_i == $_nc_nic->tx_kicked
			printf " <- kicked"
		end
		if $_nc_i == $_nc_nic->tx_tail
			printf " <- tail"
		end
		printf "\n"
		set $_nc_i = $_nc_i + 1
	end
end

define nc--tx-rtl8139
	set $_nc_nic = (struct rtl8139 *)$_nc_dev->priv
	set $_nc_n = sizeof($_nc_nic->tx_buf) / sizeof($_nc_nic->tx_buf[0])
	printf "%s (rtl8139) transmit descriptors, %u used round robin: next %u, busy 0x%x\n", $_nc_dev->name, $_nc_n, $_nc_nic->tx_next, $_nc_nic->tx_busy
	printf "  NIC: its TSD written (handed over), not yet seen done; free: the driver's (the length is the IP header's)\n"
	set $_nc_i = 0
	while $_nc_i < $_nc_n
		if $_nc_nic->tx_busy & (1 << $_nc_i)
			printf "  [%u] NIC  ", $_nc_i
		else
			printf "  [%u] free ", $_nc_i
		end
		nc--load $_nc_nic->tx_buf[$_nc_i] 0
		printf " len %4u ", $_nc_fl
		nc--udp-summary $_nc_nic->tx_buf[$_nc_i] 0
		if $_nc_i == $_nc_nic->tx_next
			printf " <- next"
		end
		printf "\n"
		set $_nc_i = $_nc_i + 1
	end
end

define nc-tx
	if $argc > 0
		set $_nc_dev = 'netdev.c'::devices[$arg0]
	else
		if 'netconsole.c'::target_count > 0
			set $_nc_dev = 'netconsole.c'::targets[0].dev
		else
			set $_nc_dev = 'netdev.c'::devices[0]
		end
	end
	if !$_nc_dev
		printf "nc-tx: no such device\n"
	else
		if $_nc_dev->ops == &e1000_ops
			nc--tx-e1000
		else
			if $_nc_dev->ops == &rtl8139_ops
				nc--tx-rtl8139
			else
				printf "nc-tx: %s: no transmit ring view for driver ops at 0x%x\n", $_nc_dev->name, $_nc_dev->ops
			end
		end
	end
end
document nc-tx
nc-tx [N]: ethN's transmit descriptors (default: the device of netconsole's
first target) as the driver and the NIC left them: for each, who owns it,
its length and a summary of the frame in its buffer (ports, IPv4 id,
payload), and where the driver's indexes point.
end

define nc-fault
	if $argc > 0
		set $_nc_tf = (struct trap_frame *)($arg0)
	else
		set $_nc_tf = 'oops.c'::fault_frame
	end
	if !$_nc_tf
		printf "nc-fault: no fault recorded yet (stopped at oops_begin's entry? try: nc-fault frame)\n"
	else
		printf "vector %u, error code 0x%04x, EIP %08x, CS %04x, EFLAGS %08x\n", $_nc_tf->vector, $_nc_tf->error_code, $_nc_tf->eip, $_nc_tf->cs, $_nc_tf->eflags
		printf "EAX %08x EBX %08x ECX %08x EDX %08x ESI %08x EDI %08x EBP %08x\n", $_nc_tf->eax, $_nc_tf->ebx, $_nc_tf->ecx, $_nc_tf->edx, $_nc_tf->esi, $_nc_tf->edi, $_nc_tf->ebp
		printf "EIP is in "
		info symbol $_nc_tf->eip
	end
end
document nc-fault
nc-fault [TRAP_FRAME]: the registers a fault trapped with and the symbol its
EIP lies in. Default: the first fault the oops path recorded; at the
breakpoint in oops_begin, before it records one, use "nc-fault frame".
end

define nc--transmit-break-e1000
	break e1000_queue if oops_in_progress
end

define nc--transmit-break-rtl8139
	break rtl8139_transmit if oops_in_progress
end

define nc-break
	break oops_begin
	nc--transmit-break-$arg0
end
document nc-break
nc-break DRIVER: a breakpoint in oops_begin, where every fault enters the
oops path, and one in DRIVER's transmit (e1000 or rtl8139) that stops only
once an oops or panic is in progress.
end

define nc-continue
	set $_nc_from = $pc
	set $_nc_steps = 0
	while $pc == $_nc_from && $_nc_steps < 8
		stepi
		set $_nc_steps = $_nc_steps + 1
	end
	continue
end
document nc-continue
Continue, first stepping off the instruction the guest stopped at, again
while a step leaves the program counter where it was: now and then QEMU
7.2's stub answers gdb's step over a breakpoint without running it, and a
plain "continue" then reports the same breakpoint again (README).
end
