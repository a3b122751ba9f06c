/* The RTL8139's receive ring and transmit descriptor arithmetic: read
 * pointer advance and wrap, the CAPR value, receive header checks, and the
 * round robin over the four transmit descriptors. Pure; any context, and
 * host-testable. */
#ifndef DRIVERS_RTL8139_RING_H
#define DRIVERS_RTL8139_RING_H

#include <stdint.h>

#include "drivers/rtl8139/regs.h"

#define RTL8139_RX_RING_LEN 8192
#define RTL8139_RX_HEADER_LEN 4
#define RTL8139_CRC_LEN 4
#define RTL8139_TX_DESCS 4
#define RTL8139_TX_ALL_BUSY ((1u << RTL8139_TX_DESCS) - 1)
#define RTL8139_ETH_HEADER_LEN 14
/* Largest frame without FCS the ring may hold: 1514 plus a VLAN tag. */
#define RTL8139_RX_FRAME_MAX 1518

enum rtl8139_rx_verdict {
	RTL8139_RX_GOOD,
	RTL8139_RX_TOO_BIG, /* sane header, frame longer than the caller takes */
	RTL8139_RX_CORRUPT, /* the ring no longer makes sense: restart receive */
};

/* Offset of the next header: past this header and frame (which includes
 * the CRC), rounded up to 4 bytes, wrapped into the ring. */
static inline uint32_t rtl8139_rx_advance(uint32_t offset, uint16_t length)
{
	uint32_t next = (offset + RTL8139_RX_HEADER_LEN + length + 3) & ~3u;

	return next % RTL8139_RX_RING_LEN;
}

/* The NIC reads CAPR as 16 bytes behind the read pointer. */
static inline uint16_t rtl8139_capr(uint32_t offset)
{
	return (uint16_t)(offset - 16);
}

/* Judges the header's status and length (which counts the CRC); for good
 * frames *frame_len is the length without CRC. max_frame is the largest
 * frame the caller accepts. */
static inline enum rtl8139_rx_verdict rtl8139_rx_check(uint16_t status, uint16_t length,
						       uint16_t max_frame, uint16_t *frame_len)
{
	if (!(status & RTL8139_RXS_ROK) || (status & RTL8139_RXS_ERRORS))
		return RTL8139_RX_CORRUPT;
	if (length < RTL8139_ETH_HEADER_LEN + RTL8139_CRC_LEN ||
	    length > RTL8139_RX_FRAME_MAX + RTL8139_CRC_LEN)
		return RTL8139_RX_CORRUPT;
	*frame_len = (uint16_t)(length - RTL8139_CRC_LEN);
	return *frame_len > max_frame ? RTL8139_RX_TOO_BIG : RTL8139_RX_GOOD;
}

static inline unsigned rtl8139_tx_next(unsigned desc)
{
	return (desc + 1) % RTL8139_TX_DESCS;
}

#endif
