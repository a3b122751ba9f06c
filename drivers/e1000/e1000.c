#include "drivers/e1000/e1000.h"

#include "drivers/e1000/ring.h"
#include "kernel/crash_point.h"
#include "kernel/io.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"

#define E1000_POLL_STEP_US 10
#define E1000_RESET_TIMEOUT_US 10000
#define E1000_EEPROM_TIMEOUT_US 10000
#define E1000_TX_FULL_TIMEOUT_US 10000
#define E1000_EEPROM_MAC_WORDS 3

#define E1000_IRQ_CAUSES \
	(E1000_INT_TXDW | E1000_INT_LSC | E1000_INT_RXDMT0 | E1000_INT_RXO | E1000_INT_RXT0)

static struct e1000 *to_e1000(struct net_device *dev)
{
	return dev->priv;
}

static uint32_t rd(struct e1000 *nic, uint32_t reg)
{
	return mmio_read32(nic->regs, reg);
}

static void wr(struct e1000 *nic, uint32_t reg, uint32_t value)
{
	mmio_write32(nic->regs, reg, value);
}

static uint64_t dma_address(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

struct reg_wait {
	struct e1000 *nic;
	uint32_t reg, mask, want;
};

static bool reg_matches(void *arg)
{
	const struct reg_wait *w = arg;
	return (rd(w->nic, w->reg) & w->mask) == w->want;
}

/* Waits until (reg & mask) == want, polling every few microseconds. */
static bool wait_reg(struct e1000 *nic, uint32_t reg, uint32_t mask, uint32_t want,
		     uint32_t timeout_us)
{
	struct reg_wait w = {nic, reg, mask, want};
	return netdev_wait(reg_matches, &w, timeout_us, E1000_POLL_STEP_US);
}

static int reset(struct e1000 *nic)
{
	wr(nic, E1000_IMC, E1000_INT_ALL);
	wr(nic, E1000_CTRL, rd(nic, E1000_CTRL) | E1000_CTRL_RST);
	/* The manual asks for a pause before the first access after reset. */
	udelay(E1000_POLL_STEP_US);
	if (!wait_reg(nic, E1000_CTRL, E1000_CTRL_RST, 0, E1000_RESET_TIMEOUT_US))
		return -ETIMEDOUT;
	/* Reset re-enables nothing, but causes latched before it may remain. */
	wr(nic, E1000_IMC, E1000_INT_ALL);
	rd(nic, E1000_ICR);
	return 0;
}

static bool eeprom_read(struct e1000 *nic, uint8_t word, uint16_t *out)
{
	wr(nic, E1000_EERD, (uint32_t)word << E1000_EERD_ADDR_SHIFT | E1000_EERD_START);
	if (!wait_reg(nic, E1000_EERD, E1000_EERD_DONE, E1000_EERD_DONE, E1000_EEPROM_TIMEOUT_US))
		return false;
	*out = (uint16_t)(rd(nic, E1000_EERD) >> E1000_EERD_DATA_SHIFT);
	return true;
}

static bool mac_is_valid(const uint8_t *mac)
{
	static const uint8_t zero[ETH_ALEN];

	/* Multicast (which includes all-ones) cannot be a station address. */
	return !(mac[0] & 1) && memcmp(mac, zero, ETH_ALEN) != 0;
}

static int read_mac(struct e1000 *nic, uint8_t *mac)
{
	uint32_t ral = rd(nic, E1000_RAL0), rah = rd(nic, E1000_RAH0);

	for (unsigned i = 0; i < 4; i++)
		mac[i] = (uint8_t)(ral >> (8 * i));
	mac[4] = (uint8_t)rah;
	mac[5] = (uint8_t)(rah >> 8);
	if ((rah & E1000_RAH_AV) && mac_is_valid(mac))
		return 0;

	for (uint8_t word = 0; word < E1000_EEPROM_MAC_WORDS; word++) {
		uint16_t value;

		if (!eeprom_read(nic, word, &value))
			return -ETIMEDOUT;
		mac[2 * word] = (uint8_t)value;
		mac[2 * word + 1] = (uint8_t)(value >> 8);
	}
	return mac_is_valid(mac) ? 0 : -ENODEV;
}

int e1000_init(struct e1000 *nic, volatile void *regs)
{
	int err;

	nic->regs = regs;
	err = reset(nic);
	if (err) {
		pr_err("e1000: controller stays in reset\n");
		return err;
	}
	err = read_mac(nic, nic->netdev.mac);
	if (err)
		pr_err("e1000: no valid MAC address\n");
	return err;
}

uint32_t e1000_read_interrupt_cause(struct e1000 *nic)
{
	return rd(nic, E1000_ICR);
}

static void program_mac(struct e1000 *nic, const uint8_t *mac)
{
	wr(nic, E1000_RAL0,
	   mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
	wr(nic, E1000_RAH0, mac[4] | (uint32_t)mac[5] << 8 | E1000_RAH_AV);
}

static void setup_tx(struct e1000 *nic)
{
	uint64_t base = dma_address(nic->tx_ring);

	for (unsigned i = 0; i < E1000_TX_DESCS; i++) {
		nic->tx_ring[i].addr = dma_address(nic->tx_buf[i]);
		nic->tx_ring[i].length = 0;
		nic->tx_ring[i].cmd = 0;
		nic->tx_ring[i].status = 0;
	}
	nic->tx_head = 0;
	nic->tx_tail = 0;
	nic->tx_kicked = 0;
	wr(nic, E1000_TDBAL, (uint32_t)base);
	wr(nic, E1000_TDBAH, (uint32_t)(base >> 32));
	wr(nic, E1000_TDLEN, sizeof(nic->tx_ring));
	wr(nic, E1000_TDH, 0);
	wr(nic, E1000_TDT, 0);
	wr(nic, E1000_TCTL,
	   E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT << E1000_TCTL_CT_SHIFT |
		   E1000_TCTL_COLD_FULL_DUPLEX << E1000_TCTL_COLD_SHIFT);
	wr(nic, E1000_TIPG,
	   E1000_TIPG_IPGT | E1000_TIPG_IPGR1 << E1000_TIPG_IPGR1_SHIFT |
		   E1000_TIPG_IPGR2 << E1000_TIPG_IPGR2_SHIFT);
}

static void setup_rx(struct e1000 *nic)
{
	uint64_t base = dma_address(nic->rx_ring);

	for (unsigned i = 0; i < E1000_RX_DESCS; i++) {
		nic->rx_ring[i].addr = dma_address(nic->rx_buf[i]);
		nic->rx_ring[i].status = 0;
	}
	nic->rx_next = 0;
	nic->rx_discarding = false;
	wr(nic, E1000_RDBAL, (uint32_t)base);
	wr(nic, E1000_RDBAH, (uint32_t)(base >> 32));
	wr(nic, E1000_RDLEN, sizeof(nic->rx_ring));
	wr(nic, E1000_RDH, 0);
	/* The descriptor at RDT is never the NIC's: it keeps one back. */
	wr(nic, E1000_RDT, E1000_RX_DESCS - 1);
	wr(nic, E1000_RDTR, 0);
	/* Every multicast: IPv6 neighbour solicitations for our address go to
	 * its solicited-node group (33:33:ff:xx:xx:xx). */
	wr(nic, E1000_RCTL,
	   E1000_RCTL_EN | E1000_RCTL_MPE | E1000_RCTL_BAM | E1000_RCTL_BSIZE_2048 |
		   E1000_RCTL_SECRC);
}

static int e1000_open(struct net_device *dev)
{
	struct e1000 *nic = to_e1000(dev);
	int err = reset(nic);

	if (err)
		return err;
	program_mac(nic, dev->mac);
	wr(nic, E1000_CTRL,
	   (rd(nic, E1000_CTRL) | E1000_CTRL_SLU | E1000_CTRL_ASDE) &
		   ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST));
	for (unsigned i = 0; i < E1000_MTA_ENTRIES; i++)
		wr(nic, E1000_MTA + 4 * i, 0);
	setup_tx(nic);
	setup_rx(nic);
	wr(nic, E1000_IMS, E1000_IRQ_CAUSES);
	return 0;
}

static void reap_tx(struct e1000 *nic)
{
	while (!e1000_ring_empty(nic->tx_head, nic->tx_tail) &&
	       (nic->tx_ring[nic->tx_head].status & E1000_TXD_STAT_DD))
		nic->tx_head = e1000_ring_next(nic->tx_head, E1000_TX_DESCS);
}

/* Completions are reaped only when the ring is full: one pass then frees
 * many descriptors, instead of a status read on every transmit. */
static void e1000_kick(struct net_device *dev)
{
	struct e1000 *nic = to_e1000(dev);

	if (nic->tx_kicked == nic->tx_tail)
		return;
	barrier();
	wr(nic, E1000_TDT, nic->tx_tail);
	/* The NIC owns the frames, the driver has not recorded it yet:
	 * crash=irq-nic-locked faults here, with dev->lock held. */
	crash_hook(CRASH_POINT_NIC_TX_QUEUED);
	nic->tx_kicked = nic->tx_tail;
	if (e1000_ring_full(nic->tx_head, nic->tx_tail, E1000_TX_DESCS))
		crash_hook(CRASH_POINT_NIC_TX_RING_FULL);
}

static bool reaped_tx_space(void *arg)
{
	struct e1000 *nic = arg;
	reap_tx(nic);
	return !e1000_ring_full(nic->tx_head, nic->tx_tail, E1000_TX_DESCS);
}

/* A full ring may hold queued frames the NIC was never told about: they
 * are kicked first, or no wait would ever free a descriptor. */
static bool wait_tx_space(struct net_device *dev, struct e1000 *nic)
{
	if (!e1000_ring_full(nic->tx_head, nic->tx_tail, E1000_TX_DESCS))
		return true;
	e1000_kick(dev);
	return netdev_wait(reaped_tx_space, nic, E1000_TX_FULL_TIMEOUT_US, E1000_POLL_STEP_US);
}

static void *e1000_tx_buffer(struct net_device *dev)
{
	struct e1000 *nic = to_e1000(dev);

	if (!dev->up)
		return NULL;
	if (!wait_tx_space(dev, nic)) {
		netdev_tx_drop(dev, -ENOBUFS);
		return NULL;
	}
	return nic->tx_buf[nic->tx_tail];
}

/* The frame is in the buffer e1000_tx_buffer() returned. */
static int e1000_tx_commit(struct net_device *dev, size_t len)
{
	struct e1000 *nic = to_e1000(dev);
	volatile struct e1000_tx_desc *desc;
	int err = netdev_tx_admit(dev, len);

	if (err)
		return err;
	desc = &nic->tx_ring[nic->tx_tail];
	desc->length = (uint16_t)len;
	desc->cso = 0;
	desc->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	desc->status = 0;
	nic->tx_tail = e1000_ring_next(nic->tx_tail, E1000_TX_DESCS);
	dev->stats.tx_packets++;
	return 0;
}

static int e1000_queue(struct net_device *dev, const void *frame, size_t len)
{
	return netdev_tx_copy(dev, frame, len);
}

static void receive_one(struct net_device *dev, struct e1000 *nic,
			volatile struct e1000_rx_desc *desc)
{
	uint8_t status = desc->status;
	uint16_t len = desc->length;
	bool eop = status & E1000_RXD_STAT_EOP;
	bool was_discarding = nic->rx_discarding;

	/* A frame longer than one buffer is dropped whole, counted once. */
	nic->rx_discarding = !eop;
	if (was_discarding || !eop) {
		if (!was_discarding)
			dev->stats.rx_dropped++;
		return;
	}
	if (desc->errors || len == 0 || len > E1000_BUF_SIZE) {
		dev->stats.rx_dropped++;
		return;
	}
	dev->stats.rx_packets++;
	if (dev->rx_handler)
		dev->rx_handler(dev, nic->rx_buf[nic->rx_next], len);
}

static void e1000_poll(struct net_device *dev, unsigned budget)
{
	struct e1000 *nic = to_e1000(dev);

	if (!dev->up)
		return;
	reap_tx(nic);
	while (budget-- > 0) {
		volatile struct e1000_rx_desc *desc = &nic->rx_ring[nic->rx_next];
		unsigned done;

		if (!(desc->status & E1000_RXD_STAT_DD))
			break;
		receive_one(dev, nic, desc);
		desc->status = 0;
		done = nic->rx_next;
		nic->rx_next = e1000_ring_next(nic->rx_next, E1000_RX_DESCS);
		barrier();
		wr(nic, E1000_RDT, done);
	}
}

static bool e1000_link_up(struct net_device *dev)
{
	return rd(to_e1000(dev), E1000_STATUS) & E1000_STATUS_LU;
}

const struct net_device_ops e1000_ops = {
	.open = e1000_open,
	.queue = e1000_queue,
	.tx_buffer = e1000_tx_buffer,
	.tx_commit = e1000_tx_commit,
	.kick = e1000_kick,
	.poll = e1000_poll,
	.link_up = e1000_link_up,
};
