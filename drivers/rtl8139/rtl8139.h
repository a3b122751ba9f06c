/* RealTek RTL8139 driver state, driven through the classic register set.
 * The net_device ops never lock and never wait without bound (normal, IRQ
 * and oops context); probe runs at boot; the interrupt handler in IRQ
 * context. Errors are negative (kernel/errno.h). */
#ifndef DRIVERS_RTL8139_RTL8139_H
#define DRIVERS_RTL8139_RTL8139_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/netdev.h"
#include "drivers/rtl8139/ring.h"

/* With RCR.WRAP the NIC runs a frame past the ring's end instead of
 * wrapping it, so the buffer holds one more largest frame and its header. */
#define RTL8139_RX_BUF_LEN (RTL8139_RX_RING_LEN + 16 + 2048)
#define RTL8139_TX_BUF_LEN 1536
#define RTL8139_ETH_ZLEN 60 /* shortest frame without FCS; the NIC does not pad */
#define RTL8139_MAX_DEVICES 2

struct rtl8139 {
	uint8_t rx_buf[RTL8139_RX_BUF_LEN] __attribute__((aligned(16)));
	uint8_t tx_buf[RTL8139_TX_DESCS][RTL8139_TX_BUF_LEN] __attribute__((aligned(16)));
	uint16_t io;
	uint32_t rx_offset; /* next header in rx_buf */
	unsigned tx_next; /* descriptor the next frame goes to */
	uint8_t tx_busy; /* bit per descriptor handed to the NIC, not yet seen done */
	struct net_device netdev;
};

#endif
