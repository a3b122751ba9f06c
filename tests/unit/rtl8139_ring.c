/* Host tests of the RTL8139 receive ring arithmetic, receive header checks
 * and transmit descriptor round robin. */
#include "drivers/rtl8139/ring.h"

#include "tap.h"

int main(void)
{
	plan(29);
	uint16_t frame_len = 0;

	/* Read pointer: header (4) + length (with CRC), rounded up to 4. */
	is_int(rtl8139_rx_advance(0, 64), 68, "64-byte frame from 0");
	is_int(rtl8139_rx_advance(0, 65), 72, "odd length rounds up to 4");
	is_int(rtl8139_rx_advance(0, 46), 52, "46-byte frame rounds up");
	is_int(rtl8139_rx_advance(100, 60), 164, "from a non-zero offset");
	is_int(rtl8139_rx_advance(8100, 64), 8168, "just before the end stays inside");
	is_int(rtl8139_rx_advance(8124, 64), 0, "ending exactly at 8192 wraps to 0");
	is_int(rtl8139_rx_advance(8188, 1518), (8188 + 4 + 1518 + 3) / 4 * 4 - 8192,
	       "a frame run past the end wraps to the remainder");
	ok(rtl8139_rx_advance(4000, 99) % 4 == 0, "always 4-byte aligned");

	/* CAPR trails the read pointer by 16 and wraps as a 16-bit value. */
	is_int(rtl8139_capr(0), 0xfff0, "CAPR for offset 0 is 0xfff0");
	is_int(rtl8139_capr(16), 0, "CAPR for offset 16 is 0");
	is_int(rtl8139_capr(68), 52, "CAPR for offset 68");

	/* Receive header checks. */
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK, 64, 1514, &frame_len), RTL8139_RX_GOOD,
	       "ROK frame is good");
	is_int(frame_len, 60, "frame length drops the CRC");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK | (1u << 13), 1518, 1514, &frame_len),
	       RTL8139_RX_GOOD, "broadcast-flagged full-size frame is good");
	is_int(frame_len, 1514, "full-size frame length");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK, 1522, 1514, &frame_len), RTL8139_RX_TOO_BIG,
	       "VLAN-sized frame is sane but too big");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK, 1523, 1514, &frame_len), RTL8139_RX_CORRUPT,
	       "longer than any frame means the ring is corrupt");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK, 17, 1514, &frame_len), RTL8139_RX_CORRUPT,
	       "shorter than an Ethernet header plus CRC is corrupt");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK, 18, 1514, &frame_len), RTL8139_RX_GOOD,
	       "Ethernet header plus CRC is the shortest good frame");
	is_int(rtl8139_rx_check(0, 64, 1514, &frame_len), RTL8139_RX_CORRUPT,
	       "missing ROK is corrupt");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK | RTL8139_RXS_CRC, 64, 1514, &frame_len),
	       RTL8139_RX_CORRUPT, "CRC error flag is corrupt");
	is_int(rtl8139_rx_check(RTL8139_RXS_ROK | RTL8139_RXS_ISE, 64, 1514, &frame_len),
	       RTL8139_RX_CORRUPT, "invalid symbol flag is corrupt");
	is_int(rtl8139_rx_check(0xfff0, 0xfff0, 1514, &frame_len), RTL8139_RX_CORRUPT,
	       "garbage header is corrupt");

	/* Transmit descriptors are used round robin. */
	unsigned desc = 0, seen[RTL8139_TX_DESCS] = {0};
	for (unsigned i = 0; i < 2 * RTL8139_TX_DESCS; i++) {
		seen[desc]++;
		desc = rtl8139_tx_next(desc);
	}
	for (unsigned i = 0; i < RTL8139_TX_DESCS; i++)
		is_int(seen[i], 2, "descriptor %u used twice in two rounds", i);
	is_int(rtl8139_tx_next(3), 0, "descriptor 3 is followed by 0");
	is_int(rtl8139_tx_next(1), 2, "descriptor 1 is followed by 2");

	return done_testing();
}
