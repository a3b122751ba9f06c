/* Intel 82540EM driver state. e1000.c holds the net_device ops, which only
 * touch the NIC's registers and rings, never lock and never wait without
 * bound (normal, IRQ and oops context); e1000_pci.c binds the PCI device at
 * boot and owns the interrupt handler. Errors are negative (kernel/errno.h). */
#ifndef DRIVERS_E1000_E1000_H
#define DRIVERS_E1000_E1000_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/e1000/regs.h"
#include "drivers/netdev.h"

/* 32 descriptors of 16 bytes keep each ring length a multiple of 128. */
#define E1000_TX_DESCS 32
#define E1000_RX_DESCS 32
#define E1000_BUF_SIZE 2048
#define E1000_MAX_DEVICES 2

struct e1000 {
	volatile struct e1000_tx_desc tx_ring[E1000_TX_DESCS] __attribute__((aligned(128)));
	volatile struct e1000_rx_desc rx_ring[E1000_RX_DESCS] __attribute__((aligned(128)));
	uint8_t tx_buf[E1000_TX_DESCS][E1000_BUF_SIZE] __attribute__((aligned(16)));
	uint8_t rx_buf[E1000_RX_DESCS][E1000_BUF_SIZE] __attribute__((aligned(16)));
	volatile void *regs;
	unsigned tx_head; /* oldest descriptor not yet reaped */
	unsigned tx_tail; /* next descriptor to fill */
	unsigned tx_kicked; /* the tail last written to TDT */
	unsigned rx_next; /* next descriptor the NIC will complete */
	bool rx_discarding; /* inside a frame that spilled over one buffer */
	struct net_device netdev;
};

extern const struct net_device_ops e1000_ops;

/* Boot: resets the NIC, masks its interrupts and reads its MAC address into
 * nic->netdev.mac. Returns 0, -ETIMEDOUT when the NIC does not come out of
 * reset or its EEPROM does not answer, or -ENODEV when it has no valid
 * address. */
int e1000_init(struct e1000 *nic, volatile void *regs);
/* IRQ context: reads (and so acknowledges) the interrupt causes. */
uint32_t e1000_read_interrupt_cause(struct e1000 *nic);

#endif
