#include "drivers/rtl8139/rtl8139.h"

#include "drivers/rtl8139/regs.h"
#include "kernel/crash_point.h"
#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/pci.h"
#include "kernel/printk.h"
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

static int reset(struct rtl8139 *nic)
{
	outw((uint16_t)(nic->io + RTL8139_IMR), 0);
	outb((uint16_t)(nic->io + RTL8139_9346CR), RTL8139_9346CR_CONFIG_WRITE);
	outb((uint16_t)(nic->io + RTL8139_CONFIG1), RTL8139_CONFIG1_POWER_ON);
	outb((uint16_t)(nic->io + RTL8139_9346CR), RTL8139_9346CR_NORMAL);

	outb((uint16_t)(nic->io + RTL8139_CR), RTL8139_CR_RST);
	for (uint32_t waited = 0; inb((uint16_t)(nic->io + RTL8139_CR)) & RTL8139_CR_RST;
	     waited += RTL8139_POLL_STEP_US) {
		if (waited >= RTL8139_RESET_TIMEOUT_US)
			return -1;
		udelay(RTL8139_POLL_STEP_US);
	}
	outw((uint16_t)(nic->io + RTL8139_IMR), 0);
	outw((uint16_t)(nic->io + RTL8139_ISR), 0xffff);
	return 0;
}

static void start_rx(struct rtl8139 *nic)
{
	nic->rx_offset = 0;
	outl((uint16_t)(nic->io + RTL8139_RBSTART), dma_address(nic->rx_buf));
	outw((uint16_t)(nic->io + RTL8139_CAPR), rtl8139_capr(0));
	outl((uint16_t)(nic->io + RTL8139_MPC), 0);
	outb((uint16_t)(nic->io + RTL8139_CR), RTL8139_CR_RE | RTL8139_CR_TE);
	/* Written after RE and TE: some chip revisions drop RCR and TCR writes
	 * while the receiver and transmitter are off. */
	outl((uint16_t)(nic->io + RTL8139_RCR),
	     RTL8139_RCR_APM | RTL8139_RCR_AB | RTL8139_RCR_WRAP | RTL8139_RCR_MXDMA_UNLIMITED |
		     RTL8139_RCR_RBLEN_8K | RTL8139_RCR_RXFTH_NONE);
	outl((uint16_t)(nic->io + RTL8139_TCR), RTL8139_TCR_IFG_STANDARD | RTL8139_TCR_MXDMA_1024);
}

/* The receive ring is out of step with the NIC: start it over empty. */
static void restart_rx(struct rtl8139 *nic)
{
	outb((uint16_t)(nic->io + RTL8139_CR), RTL8139_CR_TE);
	start_rx(nic);
}

static int rtl8139_open(struct net_device *dev)
{
	struct rtl8139 *nic = to_rtl8139(dev);

	dev->up = false;
	if (reset(nic) != 0)
		return -1;
	for (unsigned i = 0; i < RTL8139_TX_DESCS; i++)
		outl((uint16_t)(nic->io + tsad(i)), dma_address(nic->tx_buf[i]));
	nic->tx_next = 0;
	nic->tx_busy = 0;
	start_rx(nic);
	outw((uint16_t)(nic->io + RTL8139_IMR), RTL8139_IRQ_CAUSES);
	dev->up = true;
	return 0;
}

/* Forgets descriptors the NIC has finished with; counts aborted sends. */
static void reap_tx(struct net_device *dev, struct rtl8139 *nic)
{
	for (unsigned i = 0; i < RTL8139_TX_DESCS; i++) {
		uint32_t status;

		if (!(nic->tx_busy & (1u << i)))
			continue;
		status = inl((uint16_t)(nic->io + tsd(i)));
		if (!(status & (RTL8139_TSD_OWN | RTL8139_TSD_TABT)))
			continue;
		if (status & RTL8139_TSD_TABT)
			dev->stats.tx_dropped++;
		nic->tx_busy &= (uint8_t) ~(1u << i);
	}
}

/* Completions are reaped only when the descriptor to use is still busy, so
 * all four fill up before one pass of status reads frees them. */
static bool wait_tx_descriptor(struct net_device *dev, struct rtl8139 *nic, unsigned desc)
{
	if (!(nic->tx_busy & (1u << desc)))
		return true;
	for (uint32_t waited = 0;; waited += RTL8139_POLL_STEP_US) {
		reap_tx(dev, nic);
		if (!(nic->tx_busy & (1u << desc)))
			return true;
		if (waited >= RTL8139_TX_TIMEOUT_US)
			return false;
		udelay(RTL8139_POLL_STEP_US);
	}
}

static int rtl8139_transmit(struct net_device *dev, const void *frame, size_t len)
{
	struct rtl8139 *nic = to_rtl8139(dev);
	unsigned desc = nic->tx_next;
	size_t padded = len < RTL8139_ETH_ZLEN ? RTL8139_ETH_ZLEN : len;

	if (!dev->up || len == 0 || len > ETH_FRAME_MAX || !wait_tx_descriptor(dev, nic, desc)) {
		dev->stats.tx_dropped++;
		return -1;
	}
	memcpy(nic->tx_buf[desc], frame, len);
	memset(nic->tx_buf[desc] + len, 0, padded - len);
	barrier();
	/* Writing the size with OWN clear hands the buffer to the NIC; an
	 * early-transmit threshold of 0 means 8 bytes. */
	outl((uint16_t)(nic->io + tsd(desc)), (uint32_t)padded & RTL8139_TSD_SIZE_MASK);
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

/* Writing a descriptor's TSD starts its frame: there is no shared doorbell
 * to batch, so queued frames are already on their way. */
static void rtl8139_kick(struct net_device *dev)
{
	(void)dev;
}

static bool rx_empty(struct rtl8139 *nic)
{
	return inb((uint16_t)(nic->io + RTL8139_CR)) & RTL8139_CR_BUFE;
}

static void rtl8139_poll(struct net_device *dev, unsigned budget)
{
	struct rtl8139 *nic = to_rtl8139(dev);
	uint16_t overflow;

	if (!dev->up)
		return;
	reap_tx(dev, nic);
	overflow = inw((uint16_t)(nic->io + RTL8139_ISR)) & RTL8139_RX_OVERFLOW;
	if (overflow) {
		/* Frames were lost; acknowledging lets the NIC resume. */
		outw((uint16_t)(nic->io + RTL8139_ISR), overflow);
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
				dev->rx_handler(dev, header + RTL8139_RX_HEADER_LEN, frame_len,
						dev->rx_ctx);
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
		outw((uint16_t)(nic->io + RTL8139_CAPR), rtl8139_capr(nic->rx_offset));
	}
}

static void rtl8139_irq_enable(struct net_device *dev, bool on)
{
	struct rtl8139 *nic = to_rtl8139(dev);

	outw((uint16_t)(nic->io + RTL8139_IMR), on ? RTL8139_IRQ_CAUSES : 0);
}

static bool rtl8139_link_up(struct net_device *dev)
{
	return inw((uint16_t)(to_rtl8139(dev)->io + RTL8139_BMSR)) & RTL8139_BMSR_LINK;
}

static const struct net_device_ops rtl8139_ops = {
	.open = rtl8139_open,
	.transmit = rtl8139_transmit,
	.queue = rtl8139_transmit,
	.kick = rtl8139_kick,
	.poll = rtl8139_poll,
	.irq_enable = rtl8139_irq_enable,
	.link_up = rtl8139_link_up,
};

static void rtl8139_interrupt(unsigned irq, void *ctx)
{
	struct rtl8139 *nic = ctx;
	struct net_device *dev = &nic->netdev;
	uint16_t cause = inw((uint16_t)(nic->io + RTL8139_ISR));
	uint32_t flags;

	(void)irq;
	if (!cause)
		return; /* the line is shared and this NIC did not raise it */
	outw((uint16_t)(nic->io + RTL8139_ISR), cause);
	if (cause & RTL8139_RX_OVERFLOW)
		dev->stats.rx_dropped++; /* poll no longer sees the acknowledged bits */
	dev->stats.interrupts++;
	crash_hook(CRASH_POINT_NIC_IRQ);
	flags = spin_lock_irqsave(&dev->lock);
	dev->ops->poll(dev, RTL8139_IRQ_BUDGET);
	spin_unlock_irqrestore(&dev->lock, flags);
}

static int rtl8139_probe(struct pci_device *pci)
{
	struct rtl8139 *nic;
	struct net_device *dev;

	if (rtl8139_count == RTL8139_MAX_DEVICES) {
		pr_err("rtl8139: only %u devices supported\n", RTL8139_MAX_DEVICES);
		return -1;
	}
	if (!pci->bar_is_io[0] || pci->bar[0] == 0 || pci->bar[0] > 0xffff) {
		pr_err("rtl8139: BAR0 is not an I/O port BAR\n");
		return -1;
	}
	pci_enable(pci);
	nic = &rtl8139_devices[rtl8139_count];
	nic->io = (uint16_t)pci->bar[0];
	if (reset(nic) != 0) {
		pr_err("rtl8139: controller stays in reset\n");
		return -1;
	}

	dev = &nic->netdev;
	for (unsigned i = 0; i < ETH_ALEN; i++)
		dev->mac[i] = inb((uint16_t)(nic->io + RTL8139_IDR0 + i));
	dev->driver = "rtl8139";
	dev->irq = pci->irq;
	dev->pci_bus = pci->bus;
	dev->pci_slot = pci->slot;
	dev->pci_func = pci->func;
	dev->ops = &rtl8139_ops;
	dev->priv = nic;
	dev->lock = (struct spinlock)SPINLOCK_INIT;
	if (netdev_register(dev) != 0)
		return -1;
	rtl8139_count++;
	if (pci->irq < IRQ_LINES)
		irq_register(pci->irq, rtl8139_interrupt, nic);
	else
		pr_err("%s: no interrupt line, polled only\n", dev->name);
	return 0;
}

static const struct pci_driver rtl8139_driver = {
	.name = "rtl8139",
	.vendor = RTL8139_VENDOR_REALTEK,
	.device = RTL8139_DEVICE_8139,
	.probe = rtl8139_probe,
};
PCI_DRIVER(rtl8139_driver);
