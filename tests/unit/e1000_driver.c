/* The e1000 net_device ops and the netdev layer against a fake register
 * space: reset, MAC discovery (RAL/RAH and the EEPROM fallback), ring set-up,
 * transmit with a full ring, receive with budget and bad frames, recovery by
 * a second open, the oops rule of netdev_claim() (take over, reset once), and
 * the boot line the registry prints. */
#include <stdarg.h>
#include <stdint.h>

#include "fake_irqflags.h"
#include "tap.h"

#include "drivers/e1000/e1000.c"
#include "drivers/netdev.c"
#include "kernel/crash_point.c"
#include "kernel/format.c"

volatile int oops_in_progress;

int irq_register(unsigned irq, irq_handler_fn fn, void *ctx)
{
	(void)irq;
	(void)fn;
	(void)ctx;
	return 0;
}

static uint32_t regs[0x8000 / 4];
static uint16_t eeprom[64];
static bool reset_stuck;
static unsigned udelay_calls;
static char printed[256];

static struct e1000 nic;

static uint32_t *reg(uint32_t offset)
{
	return &regs[offset / 4];
}

/* The fake NIC does its work whenever the driver waits. */
void udelay(uint32_t us)
{
	(void)us;
	udelay_calls++;
	if (!reset_stuck)
		*reg(E1000_CTRL) &= ~E1000_CTRL_RST;
	if (*reg(E1000_EERD) & E1000_EERD_START) {
		uint32_t word = (*reg(E1000_EERD) >> E1000_EERD_ADDR_SHIFT) & 0xff;

		*reg(E1000_EERD) =
			(uint32_t)eeprom[word] << E1000_EERD_DATA_SHIFT | E1000_EERD_DONE;
	}
}

/* Where the transmit path opens the irq-nic-locked window: the tail the NIC
 * had been given at that moment. */
static uint32_t tdt_at_crash_point;
static unsigned crash_point_calls;

static void fake_crash_point(enum crash_point_id where)
{
	if (where == CRASH_POINT_NIC_TX_QUEUED) {
		crash_point_calls++;
		tdt_at_crash_point = *reg(E1000_TDT);
	}
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(printed, sizeof(printed), fmt, ap);
	va_end(ap);
	return n;
}

static struct {
	unsigned calls;
	size_t len;
	uint8_t data[ETH_FRAME_MAX];
} got;

static void record_frame(struct net_device *dev, const void *frame, size_t len)
{
	ok(dev == &nic.netdev, "rx handler gets its device");
	got.calls++;
	got.len = len;
	memcpy(got.data, frame, len < sizeof(got.data) ? len : sizeof(got.data));
}

static void fake_rx(unsigned index, uint8_t fill, uint16_t len, uint8_t status, uint8_t errors)
{
	memset(nic.rx_buf[index], fill, len);
	nic.rx_ring[index].length = len;
	nic.rx_ring[index].errors = errors;
	nic.rx_ring[index].status = status;
}

static void test_init(void)
{
	memset(regs, 0, sizeof(regs));
	*reg(E1000_RAL0) = 0x12005452;
	*reg(E1000_RAH0) = 0x5634 | E1000_RAH_AV;
	is_int(e1000_init(&nic, regs), 0, "init succeeds when reset completes");
	ok(memcmp(nic.netdev.mac, "\x52\x54\x00\x12\x34\x56", 6) == 0, "MAC read from RAL0/RAH0");
	is_int(*reg(E1000_IMC), E1000_INT_ALL, "init masks every interrupt");

	memset(regs, 0, sizeof(regs));
	eeprom[0] = 0x5452;
	eeprom[1] = 0x1200;
	eeprom[2] = 0x5735;
	is_int(e1000_init(&nic, regs), 0, "init falls back to the EEPROM");
	ok(memcmp(nic.netdev.mac, "\x52\x54\x00\x12\x35\x57", 6) == 0, "MAC read through EERD");

	memset(regs, 0, sizeof(regs));
	memset(eeprom, 0xff, sizeof(eeprom));
	is_int(e1000_init(&nic, regs), -ENODEV, "all-ones EEPROM MAC is rejected");

	memset(regs, 0, sizeof(regs));
	*reg(E1000_RAL0) = 0x12005452;
	*reg(E1000_RAH0) = 0x5634 | E1000_RAH_AV;
	reset_stuck = true;
	udelay_calls = 0;
	is_int(e1000_init(&nic, regs), -ETIMEDOUT, "init fails when reset never completes");
	ok(udelay_calls > 0 && udelay_calls < 100000, "the reset wait is bounded (%u waits)",
	   udelay_calls);
	reset_stuck = false;
	is_int(e1000_init(&nic, regs), 0, "init again once reset completes");
}

static void test_register(void)
{
	struct net_device *dev = &nic.netdev;

	dev->driver = "e1000";
	dev->irq = 11;
	dev->pci_bus = 0;
	dev->pci_slot = 3;
	dev->pci_func = 0;
	dev->ops = &e1000_ops;
	dev->priv = &nic;
	is_int(netdev_register(dev), 0, "registers");
	is_str(printed, KERN_INFO "eth0: e1000 at 00:03.0, mac 52:54:00:12:34:56, irq 11\n",
	       "boot line names the device, its slot, MAC and IRQ");
	is_str(dev->name, "eth0", "first device is eth0");
	is_int(netdev_count(), 1, "one device registered");
	ok(netdev_get(0) == dev && netdev_get(1) == NULL, "netdev_get by index");
	ok(netdev_by_name("eth0", 4) == dev, "found by name");
	ok(netdev_by_name("eth0x", 4) == dev, "name compared by length only");
	ok(netdev_by_name("eth", 3) == NULL && netdev_by_name("eth1", 4) == NULL,
	   "prefix and unknown names are not found");
}

static void test_open(void)
{
	struct net_device *dev = &nic.netdev;

	for (unsigned i = 0; i < E1000_MTA_ENTRIES; i++)
		*reg(E1000_MTA + 4 * i) = 0xdeadbeef;
	*reg(E1000_RAH0) = 0;
	is_int(netdev_open(dev), 0, "open succeeds");
	ok(dev->up, "device is up");
	is_int(*reg(E1000_TDLEN), E1000_TX_DESCS * 16, "TDLEN covers the transmit ring");
	ok(*reg(E1000_TDLEN) % 128 == 0 && *reg(E1000_RDLEN) % 128 == 0,
	   "ring lengths are multiples of 128");
	is_int(*reg(E1000_TDBAL), (uint32_t)(uintptr_t)nic.tx_ring, "TDBAL is the ring");
	is_int(*reg(E1000_TDBAH), (uint32_t)((uint64_t)(uintptr_t)nic.tx_ring >> 32),
	       "TDBAH is the ring's high half");
	is_int(*reg(E1000_RDBAL), (uint32_t)(uintptr_t)nic.rx_ring, "RDBAL is the ring");
	ok((uintptr_t)nic.tx_ring % 16 == 0 && (uintptr_t)nic.rx_ring % 16 == 0,
	   "descriptor rings are 16-byte aligned");
	is_int(*reg(E1000_TDH), 0, "TDH starts at 0");
	is_int(*reg(E1000_TDT), 0, "TDT starts at 0");
	is_int(*reg(E1000_RDT), E1000_RX_DESCS - 1, "RDT gives all but one buffer to the NIC");
	ok((*reg(E1000_TCTL) & (E1000_TCTL_EN | E1000_TCTL_PSP)) ==
		   (E1000_TCTL_EN | E1000_TCTL_PSP),
	   "transmitter enabled, short frames padded");
	ok((*reg(E1000_RCTL) & (E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC)) ==
		   (E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC),
	   "receiver enabled, broadcast accepted, CRC stripped");
	ok(*reg(E1000_CTRL) & E1000_CTRL_SLU, "link set up");
	unsigned mta_clear = 0;
	for (unsigned i = 0; i < E1000_MTA_ENTRIES; i++)
		mta_clear += *reg(E1000_MTA + 4 * i) == 0;
	is_int(mta_clear, E1000_MTA_ENTRIES, "multicast table cleared");
	is_int(*reg(E1000_RAH0), 0x5634 | E1000_RAH_AV, "station address reprogrammed");
	ok((*reg(E1000_IMS) & (E1000_INT_TXDW | E1000_INT_RXT0 | E1000_INT_LSC)) ==
		   (E1000_INT_TXDW | E1000_INT_RXT0 | E1000_INT_LSC),
	   "TXDW, RXT0 and LSC unmasked");
	is_int(nic.rx_ring[5].addr, (uint64_t)(uintptr_t)nic.rx_buf[5],
	       "each receive descriptor owns its buffer");
}

/* What netpoll does for a single frame: queue it and ring the doorbell. */
static int transmit(struct net_device *dev, const void *frame, size_t len)
{
	int ret = dev->ops->queue(dev, frame, len);
	dev->ops->kick(dev);
	return ret;
}

static void test_transmit(void)
{
	struct net_device *dev = &nic.netdev;
	uint8_t frame[ETH_FRAME_MAX];

	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	is_int(transmit(dev, frame, 42), 0, "transmit queues a frame");
	is_int(*reg(E1000_TDT), 1, "TDT advanced past it");
	is_int(crash_point_calls, 1, "transmit passes the irq-nic-locked crash point once");
	is_int(tdt_at_crash_point, 1, "after the NIC was handed the frame");
	is_int(nic.tx_ring[0].length, 42, "descriptor length");
	is_int(nic.tx_ring[0].cmd, E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS,
	       "descriptor command EOP|IFCS|RS");
	is_int(nic.tx_ring[0].addr, (uint64_t)(uintptr_t)nic.tx_buf[0],
	       "descriptor points at its own buffer");
	ok(memcmp(nic.tx_buf[0], frame, 42) == 0, "frame copied into the buffer");
	is_int(dev->stats.tx_packets, 1, "tx_packets counted");

	is_int(transmit(dev, frame, ETH_FRAME_MAX + 1), -EINVAL, "oversized frame refused");
	is_int(dev->stats.tx_dropped, 1, "and counted as dropped");

	for (unsigned i = 1; i < E1000_TX_DESCS - 1; i++)
		transmit(dev, frame, ETH_FRAME_MAX);
	is_int(*reg(E1000_TDT), E1000_TX_DESCS - 1, "ring filled up to one slot short");
	udelay_calls = 0;
	is_int(transmit(dev, frame, 60), -ENOBUFS, "full ring drops after a bounded wait");
	ok(udelay_calls > 0 && udelay_calls <= 1001, "waited %u steps, bounded", udelay_calls);
	is_int(dev->stats.tx_dropped, 2, "drop counted");

	for (unsigned i = 0; i < 4; i++)
		nic.tx_ring[i].status = E1000_TXD_STAT_DD;
	is_int(transmit(dev, frame, 60), 0, "completed descriptors are reaped");
	is_int(*reg(E1000_TDT), 0, "TDT wraps to 0");
	is_int(nic.tx_ring[E1000_TX_DESCS - 1].length, 60, "the last slot was used");
	dev->ops->poll(dev, 0);
	is_int(nic.tx_head, 4, "poll reaps up to the first busy descriptor");
}

static void test_receive(void)
{
	struct net_device *dev = &nic.netdev;
	const uint8_t both = E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP;

	dev->rx_handler = record_frame;
	dev->ops->poll(dev, 16);
	is_int(got.calls, 0, "nothing received on an idle ring");

	fake_rx(0, 0xa1, 60, both, 0);
	fake_rx(1, 0xa2, 1514, both, 0);
	dev->ops->poll(dev, 1);
	is_int(got.calls, 1, "budget 1 delivers one frame");
	is_int(got.len, 60, "first frame's length");
	ok(got.data[0] == 0xa1 && got.data[59] == 0xa1, "first frame's bytes");
	is_int(*reg(E1000_RDT), 0, "its descriptor went back to the NIC");
	is_int(nic.rx_ring[0].status, 0, "its status was cleared");
	dev->ops->poll(dev, 16);
	is_int(got.calls, 2, "second frame delivered on the next poll");
	is_int(got.len, 1514, "second frame's length");
	ok(got.data[1513] == 0xa2, "second frame's bytes");
	is_int(*reg(E1000_RDT), 1, "RDT follows");
	is_int(dev->stats.rx_packets, 2, "rx_packets counted");

	fake_rx(2, 0xb0, 2048, E1000_RXD_STAT_DD, 0);
	fake_rx(3, 0xb1, 100, both, 0);
	fake_rx(4, 0xb2, 60, both, 0x01);
	fake_rx(5, 0xb3, 64, both, 0);
	dev->ops->poll(dev, 16);
	is_int(got.calls, 3, "only the good frame after the bad ones is delivered");
	is_int(got.len, 64, "the good frame's length");
	is_int(dev->stats.rx_dropped, 2, "spilled frame and errored frame each dropped once");
	is_int(*reg(E1000_RDT), 5, "every consumed descriptor recycled");

	for (unsigned i = 0; i < E1000_RX_DESCS - 1; i++)
		fake_rx((6 + i) % E1000_RX_DESCS, (uint8_t)i, 60, both, 0);
	got.calls = 0;
	dev->ops->poll(dev, 64);
	is_int(got.calls, E1000_RX_DESCS - 1, "a whole ring's worth across the wrap");
	is_int(*reg(E1000_RDT), 4, "RDT wrapped around");
	is_int(got.data[0], E1000_RX_DESCS - 2, "frames delivered in ring order");
}

static void test_reopen_and_misc(void)
{
	struct net_device *dev = &nic.netdev;

	nic.rx_ring[7].status = E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP;
	*reg(E1000_TDT) = 17;
	is_int(dev->ops->open(dev), 0, "open again recovers the device");
	is_int(*reg(E1000_TDT), 0, "transmit ring rebuilt");
	ok(nic.tx_head == 0 && nic.tx_tail == 0 && nic.rx_next == 0, "indices reset");
	is_int(nic.rx_ring[7].status, 0, "stale receive status cleared");

	reset_stuck = true;
	*reg(E1000_CTRL) |= E1000_CTRL_RST;
	is_int(dev->ops->open(dev), -ETIMEDOUT, "open fails when reset hangs");
	reset_stuck = false;
	is_int(dev->ops->open(dev), 0, "and open works again afterwards");

	*reg(E1000_STATUS) = 0;
	ok(!dev->ops->link_up(dev), "link down without STATUS.LU");
	*reg(E1000_STATUS) = E1000_STATUS_LU;
	ok(dev->ops->link_up(dev), "link up with STATUS.LU");

	*reg(E1000_ICR) = E1000_INT_RXT0;
	is_int(e1000_read_interrupt_cause(&nic), E1000_INT_RXT0, "interrupt cause read from ICR");
}

/* The oops rule: a device whose lock the oops froze is taken over and reset,
 * once per device; a failed reset leaves it down, and its ops drop. */
static void test_claim_in_oops(void)
{
	struct net_device *dev = &nic.netdev;
	struct netdev_claim claim;
	uint8_t frame[60] = {0};

	ok(netdev_claim(dev, &claim) && claim.held, "outside an oops the claim takes the lock");
	ok(!(fake_eflags & FAKE_IF), "with interrupts off");
	netdev_release(dev, &claim);
	ok(!dev->lock.locked && (fake_eflags & FAKE_IF), "and the release frees it, interrupts on");

	transmit(dev, frame, sizeof(frame));
	ok(*reg(E1000_TDT) != 0, "a frame is out before the oops");
	oops_in_progress = 1;
	spin_trylock(&dev->lock); /* the context the oops froze holds it */
	ok(netdev_claim(dev, &claim), "in an oops a held device is taken over");
	ok(!claim.held, "without taking its lock");
	is_int(*reg(E1000_TDT), 0, "and reset: the transmit ring was rebuilt");
	netdev_release(dev, &claim);
	ok(dev->lock.locked, "the release leaves the lock with its frozen holder");

	transmit(dev, frame, sizeof(frame));
	netdev_claim(dev, &claim);
	netdev_release(dev, &claim);
	is_int(*reg(E1000_TDT), 1, "a second takeover does not reset again");
	ok(!netdev_recover(dev), "nor does a recovery: one reset per device per oops");

	dev->oops_reset = false;
	reset_stuck = true;
	*reg(E1000_CTRL) |= E1000_CTRL_RST;
	ok(!netdev_recover(dev), "a recovery whose reset hangs fails");
	ok(!dev->up, "and leaves the device down");
	is_int(transmit(dev, frame, sizeof(frame)), -ENETDOWN, "where the ops drop");
	reset_stuck = false;
	oops_in_progress = 0;
	spin_unlock(&dev->lock);
	is_int(netdev_open(dev), 0, "netdev_open brings it back");
	ok(dev->up, "up again");
}

static void test_queue_and_kick(void)
{
	struct net_device *dev = &nic.netdev;
	uint8_t frame[60] = {0};

	is_int(dev->ops->open(dev), 0, "open for the queueing tests");
	unsigned calls = crash_point_calls;
	is_int(dev->ops->queue(dev, frame, sizeof(frame)), 0, "a frame queues");
	is_int(dev->ops->queue(dev, frame, sizeof(frame)), 0, "and a second one");
	is_int(*reg(E1000_TDT), 0, "queueing alone leaves TDT alone");
	dev->ops->kick(dev);
	is_int(*reg(E1000_TDT), 2, "one kick hands both frames to the NIC");
	is_int(crash_point_calls, calls + 1, "with one doorbell write");
	dev->ops->kick(dev);
	is_int(crash_point_calls, calls + 1, "a kick with nothing queued writes nothing");

	for (unsigned i = 2; i < E1000_TX_DESCS - 1; i++)
		dev->ops->queue(dev, frame, sizeof(frame));
	is_int(*reg(E1000_TDT), 2, "a nearly full ring of queued frames, none kicked");
	for (unsigned i = 0; i < E1000_TX_DESCS; i++)
		nic.tx_ring[i].status = E1000_TXD_STAT_DD;
	is_int(dev->ops->queue(dev, frame, sizeof(frame)), 0,
	       "a full ring kicks, reaps and queues");
	is_int(*reg(E1000_TDT), E1000_TX_DESCS - 1, "the queued frames were kicked first");
}

int main(void)
{
	plan(140);
	crash_point_register(fake_crash_point);
	test_init();
	test_register();
	test_open();
	test_transmit();
	test_receive();
	test_reopen_and_misc();
	test_claim_in_oops();
	test_queue_and_kick();
	return done_testing();
}
