#include "drivers/rtl8139/rtl8139.h"

#include "drivers/rtl8139/regs.h"
#include "kernel/crash_point.h"
#include "kernel/io.h"
#include "kernel/pci.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/string.h"
#include "kernel/timer.h"

#define RTL8139_VENDOR_REALTEK 0x10ec
#define RTL8139_DEVICE_8139 0x8139

#define RTL8139_POLL_STEP_US 10
#define RTL8139_RESET_TIMEOUT_US 10000
#define RTL8139_TX_TIMEOUT_US 10000
/* Frames handled per interrupt, so a flood cannot hold the CPU forever. */
#define RTL8139_IRQ_BUDGET 64

#define RTL8139_IRQ_CAUSES                                                       \
	(RTL8139_INT_ROK | RTL8139_INT_RER | RTL8139_INT_TOK | RTL8139_INT_TER | \
	 RTL8139_INT_RXOVW | RTL8139_INT_LINKCHG | RTL8139_INT_FOVW | RTL8139_INT_SERR)
#define RTL8139_RX_OVERFLOW (RTL8139_INT_RXOVW | RTL8139_INT_FOVW)

static struct rtl8139 rtl8139_devices[RTL8139_MAX_DEVICES];
static unsigned rtl8139_count;

static struct rtl8139 *to_rtl8139(struct net_device *dev)
{
	return dev->priv;
}

/* The NIC's registers, by offset from its I/O base. */
static uint8_t rd8(const struct rtl8139 *nic, uint16_t reg)
{
	return inb((uint16_t)(nic->io + reg));
}

static uint16_t rd16(const struct rtl8139 *nic, uint16_t reg)
{
	return inw((uint16_t)(nic->io + reg));
}

static uint32_t rd32(const struct rtl8139 *nic, uint16_t reg)
{
	return inl((uint16_t)(nic->io + reg));
}

static void wr8(const struct rtl8139 *nic, uint16_t reg, uint8_t value)
{
	outb((uint16_t)(nic->io + reg), value);
}

static void wr16(const struct rtl8139 *nic, uint16_t reg, uint16_t value)
{
	outw((uint16_t)(nic->io + reg), value);
}

static void wr32(const struct rtl8139 *nic, uint16_t reg, uint32_t value)
{
	outl((uint16_t)(nic->io + reg), value);
}

static uint32_t dma_address(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

static uint16_t tsd(unsigned desc)
{
	return (uint16_t)(RTL8139_TSD0 + 4 * desc);
}

static uint16_t tsad(unsigned desc)
{
	return (uint16_t)(RTL8139_TSAD0 + 4 * desc);
}

static bool reset_done(void *arg)
{
	return !(rd8(arg, RTL8139_CR) & RTL8139_CR_RST);
}

static int reset(struct rtl8139 *nic)
{
	wr16(nic, RTL8139_IMR, 0);
	wr8(nic, RTL8139_9346CR, RTL8139_9346CR_CONFIG_WRITE);
	wr8(nic, RTL8139_CONFIG1, RTL8139_CONFIG1_POWER_ON);
	wr8(nic, RTL8139_9346CR, RTL8139_9346CR_NORMAL);

	wr8(nic, RTL8139_CR, RTL8139_CR_RST);
	if (!netdev_wait(reset_done, nic, RTL8139_RESET_TIMEOUT_US, RTL8139_POLL_STEP_US))
		return -ETIMEDOUT;
	wr16(nic, RTL8139_IMR, 0);
	wr16(nic, RTL8139_ISR, 0xffff);
	return 0;
}

static void start_rx(struct rtl8139 *nic)
{
	nic->rx_offset = 0;
	wr32(nic, RTL8139_RBSTART, dma_address(nic->rx_buf));
	wr16(nic, RTL8139_CAPR, rtl8139_capr(0));
	wr32(nic, RTL8139_MPC, 0);
	/* Every multicast (AM with all hash bits set): IPv6 neighbour
	 * solicitations for our address go to its solicited-node group. */
	wr32(nic, RTL8139_MAR0, 0xffffffffu);
	wr32(nic, RTL8139_MAR0 + 4, 0xffffffffu);
	wr8(nic, RTL8139_CR, RTL8139_CR_RE | RTL8139_CR_TE);
	/* Written after RE and TE: some chip revisions drop RCR and TCR writes
	 * while the receiver and transmitter are off. */
	wr32(nic, RTL8139_RCR,
	     RTL8139_RCR_APM | RTL8139_RCR_AM | RTL8139_RCR_AB | RTL8139_RCR_WRAP |
		     RTL8139_RCR_MXDMA_UNLIMITED | RTL8139_RCR_RBLEN_8K | RTL8139_RCR_RXFTH_NONE);
	wr32(nic, RTL8139_TCR, RTL8139_TCR_IFG_STANDARD | RTL8139_TCR_MXDMA_1024);
}

/* The receive ring is out of step with the NIC: start it over empty. */
static void restart_rx(struct rtl8139 *nic)
{
	wr8(nic, RTL8139_CR, RTL8139_CR_TE);
	start_rx(nic);
}

static int rtl8139_open(struct net_device *dev)
{
	struct rtl8139 *nic = to_rtl8139(dev);
	int err = reset(nic);

	if (err)
		return err;
	for (unsigned i = 0; i < RTL8139_TX_DESCS; i++)
		wr32(nic, tsad(i), dma_address(nic->tx_buf[i]));
	nic->tx_next = 0;
	nic->tx_busy = 0;
	start_rx(nic);
	wr16(nic, RTL8139_IMR, RTL8139_IRQ_CAUSES);
	return 0;
}

/* Forgets descriptors the NIC has finished with; counts aborted sends. */
static void reap_tx(struct net_device *dev, struct rtl8139 *nic)
{
	for (unsigned i = 0; i < RTL8139_TX_DESCS; i++) {
		uint32_t status;

		if (!(nic->tx_busy & (1u << i)))
			continue;
		status = rd32(nic, tsd(i));
		if (!(status & (RTL8139_TSD_OWN | RTL8139_TSD_TABT)))
			continue;
		if (status & RTL8139_TSD_TABT)
			dev->stats.tx_dropped++;
		nic->tx_busy &= (uint8_t) ~(1u << i);
	}
}

static bool reaped_next_descriptor(void *arg)
{
	struct net_device *dev = arg;
	struct rtl8139 *nic = to_rtl8139(dev);

	reap_tx(dev, nic);
	return !(nic->tx_busy & (1u << nic->tx_next));
}

/* Completions are reaped only when the descriptor to use is still busy, so
 * all four fill up before one pass of status reads frees them. */
static bool wait_tx_descriptor(struct net_device *dev, struct rtl8139 *nic)
{
	if (!(nic->tx_busy & (1u << nic->tx_next)))
		return true;
	return netdev_wait(reaped_next_descriptor, dev, RTL8139_TX_TIMEOUT_US,
			   RTL8139_POLL_STEP_US);
}

static void *rtl8139_tx_buffer(struct net_device *dev)
{
	struct rtl8139 *nic = to_rtl8139(dev);

	if (!dev->up)
		return NULL;
	if (!wait_tx_descriptor(dev, nic)) {
		netdev_tx_drop(dev, -ENOBUFS);
		return NULL;
	}
	return nic->tx_buf[nic->tx_next];
}

/* The frame is in the buffer rtl8139_tx_buffer() returned; without a
 * shared doorbell, committing it transmits it. */
static int rtl8139_tx_commit(struct net_device *dev, size_t len)
{
	struct rtl8139 *nic = to_rtl8139(dev);
	unsigned desc = nic->tx_next;
	size_t padded = len < RTL8139_ETH_ZLEN ? RTL8139_ETH_ZLEN : len;
	int err = netdev_tx_admit(dev, len);

	if (err)
		return err;
	memset(nic->tx_buf[desc] + len, 0, padded - len);
	barrier();
	/* Writing the size with OWN clear hands the buffer to the NIC; an
	 * early-transmit threshold of 0 means 8 bytes. It is this NIC's
	 * doorbell, for bench=profile. */
	enum profile_stage caller = profile_enter(PROFILE_DOORBELL);
	wr32(nic, tsd(desc), (uint32_t)padded & RTL8139_TSD_SIZE_MASK);
	profile_enter(caller);
	/* The NIC owns the frame, the driver has not recorded it yet:
	 * crash=irq-nic-locked faults here, with dev->lock held. */
	crash_hook(CRASH_POINT_NIC_TX_QUEUED);
	nic->tx_busy |= (uint8_t)(1u << desc);
	nic->tx_next = rtl8139_tx_next(desc);
	dev->stats.tx_packets++;
	if (nic->tx_busy == RTL8139_TX_ALL_BUSY)
		crash_hook(CRASH_POINT_NIC_TX_RING_FULL);
	return 0;
}

/* The queue op: without a shared doorbell, queueing a frame transmits it. */
static int rtl8139_transmit(struct net_device *dev, const void *frame, size_t len)
{
	return netdev_tx_copy(dev, frame, len);
}

/* Writing a descriptor's TSD starts its frame: there is no shared doorbell
 * to batch, so queued frames are already on their way. */
static void rtl8139_kick(struct net_device *dev)
{
	(void)dev;
}

static bool rx_empty(struct rtl8139 *nic)
{
	return rd8(nic, RTL8139_CR) & RTL8139_CR_BUFE;
}

static void rtl8139_poll(struct net_device *dev, unsigned budget)
{
	struct rtl8139 *nic = to_rtl8139(dev);
	uint16_t overflow;

	if (!dev->up)
		return;
	reap_tx(dev, nic);
	overflow = rd16(nic, RTL8139_ISR) & RTL8139_RX_OVERFLOW;
	if (overflow) {
		/* Frames were lost; acknowledging lets the NIC resume. */
		wr16(nic, RTL8139_ISR, overflow);
		dev->stats.rx_dropped++;
	}
	while (budget-- > 0 && !rx_empty(nic)) {
		const uint8_t *header = nic->rx_buf + nic->rx_offset;
		uint16_t status = (uint16_t)(header[0] | header[1] << 8);
		uint16_t length = (uint16_t)(header[2] | header[3] << 8);
		uint16_t frame_len;

		switch (rtl8139_rx_check(status, length, ETH_FRAME_MAX, &frame_len)) {
		case RTL8139_RX_GOOD:
			dev->stats.rx_packets++;
			if (dev->rx_handler)
				dev->rx_handler(dev, header + RTL8139_RX_HEADER_LEN, frame_len);
			break;
		case RTL8139_RX_TOO_BIG:
			dev->stats.rx_dropped++;
			break;
		case RTL8139_RX_CORRUPT:
			dev->stats.rx_dropped++;
			restart_rx(nic);
			return;
		}
		nic->rx_offset = rtl8139_rx_advance(nic->rx_offset, length);
		wr16(nic, RTL8139_CAPR, rtl8139_capr(nic->rx_offset));
	}
}

static bool rtl8139_link_up(struct net_device *dev)
{
	return rd16(to_rtl8139(dev), RTL8139_BMSR) & RTL8139_BMSR_LINK;
}

static const struct net_device_ops rtl8139_ops = {
	.open = rtl8139_open,
	.queue = rtl8139_transmit,
	.tx_buffer = rtl8139_tx_buffer,
	.tx_commit = rtl8139_tx_commit,
	.kick = rtl8139_kick,
	.poll = rtl8139_poll,
	.link_up = rtl8139_link_up,
};

static void rtl8139_interrupt(unsigned irq, void *ctx)
{
	struct rtl8139 *nic = ctx;
	struct net_device *dev = &nic->netdev;
	uint16_t cause = rd16(nic, RTL8139_ISR);

	(void)irq;
	if (!cause)
		return; /* the line is shared and this NIC did not raise it */
	wr16(nic, RTL8139_ISR, cause);
	if (cause & RTL8139_RX_OVERFLOW)
		dev->stats.rx_dropped++; /* poll no longer sees the acknowledged bits */
	crash_hook(CRASH_POINT_NIC_IRQ);
	netdev_poll_irq(dev, RTL8139_IRQ_BUDGET);
}

static int rtl8139_probe(struct pci_device *pci)
{
	struct rtl8139 *nic;
	struct net_device *dev;
	int err;

	if (rtl8139_count == RTL8139_MAX_DEVICES) {
		pr_err("rtl8139: only %u devices supported\n", RTL8139_MAX_DEVICES);
		return -ENOSPC;
	}
	if (!pci->bar_is_io[0] || pci->bar[0] == 0 || pci->bar[0] > 0xffff) {
		pr_err("rtl8139: BAR0 is not an I/O port BAR\n");
		return -ENODEV;
	}
	pci_enable(pci);
	nic = &rtl8139_devices[rtl8139_count];
	nic->io = (uint16_t)pci->bar[0];
	err = reset(nic);
	if (err) {
		pr_err("rtl8139: controller stays in reset\n");
		return err;
	}

	dev = &nic->netdev;
	for (unsigned i = 0; i < ETH_ALEN; i++)
		dev->mac[i] = rd8(nic, (uint16_t)(RTL8139_IDR0 + i));
	dev->driver = "rtl8139";
	dev->ops = &rtl8139_ops;
	dev->priv = nic;
	err = netdev_register_pci(dev, pci, rtl8139_interrupt, nic);
	if (err)
		return err;
	rtl8139_count++;
	return 0;
}

static const struct pci_driver rtl8139_driver = {
	.name = "rtl8139",
	.vendor = RTL8139_VENDOR_REALTEK,
	.device = RTL8139_DEVICE_8139,
	.probe = rtl8139_probe,
};
PCI_DRIVER(rtl8139_driver);
