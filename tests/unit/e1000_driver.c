/* The e1000 net_device ops and the netdev layer against a fake register
 * space: reset, MAC discovery (RAL/RAH and the EEPROM fallback), ring set-up,
 * transmit with a full ring, receive with budget and bad frames, recovery by
 * a second open, the oops rule of netdev_claim() (take over, reset once), and
 * the boot line the registry prints. Offsets, bits and descriptor layouts are
 * the manual's literal numbers (SDM_ below), not the driver's regs.h. */
#include <stdarg.h>
#include <stdint.h>

#include "fake_irqflags.h"
#include "fake_smp.h"
#include "tap.h"

#include "drivers/e1000/e1000.c"
#include "drivers/netdev.c"
#include "kernel/crash_point.c"
#include "kernel/format.c"
#include "kernel/oops_audit.c"

/* The registers and bits this test checks, as literal numbers from Intel's
 * PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's
 * Manual (8254x; register summary in section 13, descriptors in section 3),
 * written here and never taken from drivers/e1000/regs.h: a wrong offset or
 * bit in the driver's header makes this test fail. */
#define SDM_CTRL 0x0000 /* 13.4.1 Device Control */
#define SDM_CTRL_SLU 0x00000040u /* bit 6, Set Link Up */
#define SDM_CTRL_RST 0x04000000u /* bit 26, Device Reset */
#define SDM_STATUS 0x0008 /* 13.4.2 Device Status */
#define SDM_STATUS_LU 0x00000002u /* bit 1, Link Up */
#define SDM_EERD 0x0014 /* 13.4.4 EEPROM Read (82540EM) */
#define SDM_EERD_START 0x00000001u /* bit 0 */
#define SDM_EERD_DONE 0x00000010u /* bit 4 */
#define SDM_EERD_ADDR_SHIFT 8 /* bits 15:8 */
#define SDM_EERD_DATA_SHIFT 16 /* bits 31:16 */
#define SDM_ICR 0x00c0
#define SDM_IMS 0x00d0
#define SDM_IMC 0x00d8
#define SDM_INT_ALL 0xffffffffu
#define SDM_INT_TXDW 0x00000001u /* bit 0, Transmit Descriptor Written Back */
#define SDM_INT_LSC 0x00000004u /* bit 2, Link Status Change */
#define SDM_INT_RXT0 0x00000080u /* bit 7, Receiver Timer Interrupt */
#define SDM_RCTL 0x0100
#define SDM_RCTL_EN 0x00000002u /* bit 1 */
#define SDM_RCTL_MPE 0x00000010u /* bit 4, Multicast Promiscuous Enable */
#define SDM_RCTL_BAM 0x00008000u /* bit 15, Broadcast Accept Mode */
#define SDM_RCTL_SECRC 0x04000000u /* bit 26, Strip Ethernet CRC */
#define SDM_TCTL 0x0400
#define SDM_TCTL_EN 0x00000002u /* bit 1 */
#define SDM_TCTL_PSP 0x00000008u /* bit 3, Pad Short Packets */
#define SDM_RDBAL 0x2800
#define SDM_RDLEN 0x2808
#define SDM_RDT 0x2818
#define SDM_TDBAL 0x3800
#define SDM_TDBAH 0x3804
#define SDM_TDLEN 0x3808
#define SDM_TDH 0x3810
#define SDM_TDT 0x3818
#define SDM_MTA 0x5200
#define SDM_MTA_ENTRIES 128 /* 0x5200-0x53fc */
#define SDM_RAL0 0x5400
#define SDM_RAH0 0x5404
#define SDM_RAH_AV 0x80000000u /* bit 31, Address Valid */
/* Legacy transmit descriptor (3.3.3): buffer address at byte 0, length at
 * 8, CMD at 11, STA at 12. Receive descriptor (3.2.3): length at 8, status
 * at 12, errors at 13. */
#define SDM_TXD_LENGTH 8
#define SDM_TXD_CMD 11
#define SDM_TXD_STA 12
#define SDM_RXD_LENGTH 8
#define SDM_RXD_STATUS 12
#define SDM_RXD_ERRORS 13
#define SDM_TXD_CMD_EOP 0x01u
#define SDM_TXD_CMD_IFCS 0x02u
#define SDM_TXD_CMD_RS 0x08u
#define SDM_TXD_STAT_DD 0x01u
#define SDM_RXD_STAT_DD 0x01u
#define SDM_RXD_STAT_EOP 0x02u

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
		*reg(SDM_CTRL) &= ~SDM_CTRL_RST;
	if (*reg(SDM_EERD) & SDM_EERD_START) {
		uint32_t word = (*reg(SDM_EERD) >> SDM_EERD_ADDR_SHIFT) & 0xff;

		*reg(SDM_EERD) = (uint32_t)eeprom[word] << SDM_EERD_DATA_SHIFT | SDM_EERD_DONE;
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
		tdt_at_crash_point = *reg(SDM_TDT);
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

/* Descriptor bytes by the manual's layout, not through the driver's structs. */
static uint8_t *tx_desc(unsigned index)
{
	return (uint8_t *)&nic.tx_ring[index];
}

static uint8_t *rx_desc(unsigned index)
{
	return (uint8_t *)&nic.rx_ring[index];
}

static unsigned le16_at(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint64_t le64_at(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 8; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* The NIC writes a received frame back: length, status, errors. */
static void fake_rx(unsigned index, uint8_t fill, uint16_t len, uint8_t status, uint8_t errors)
{
	memset(nic.rx_buf[index], fill, len);
	rx_desc(index)[SDM_RXD_LENGTH] = (uint8_t)len;
	rx_desc(index)[SDM_RXD_LENGTH + 1] = (uint8_t)(len >> 8);
	rx_desc(index)[SDM_RXD_ERRORS] = errors;
	rx_desc(index)[SDM_RXD_STATUS] = status;
}

static void test_init(void)
{
	memset(regs, 0, sizeof(regs));
	*reg(SDM_RAL0) = 0x12005452;
	*reg(SDM_RAH0) = 0x5634 | SDM_RAH_AV;
	is_int(e1000_init(&nic, regs), 0, "init succeeds when reset completes");
	ok(memcmp(nic.netdev.mac, "\x52\x54\x00\x12\x34\x56", 6) == 0, "MAC read from RAL0/RAH0");
	is_int(*reg(SDM_IMC), SDM_INT_ALL, "init masks every interrupt");

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
	*reg(SDM_RAL0) = 0x12005452;
	*reg(SDM_RAH0) = 0x5634 | SDM_RAH_AV;
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

	for (unsigned i = 0; i < SDM_MTA_ENTRIES; i++)
		*reg(SDM_MTA + 4 * i) = 0xdeadbeef;
	*reg(SDM_RAH0) = 0;
	is_int(netdev_open(dev), 0, "open succeeds");
	ok(dev->up, "device is up");
	is_int(*reg(SDM_TDLEN), E1000_TX_DESCS * 16, "TDLEN covers the transmit ring");
	ok(*reg(SDM_TDLEN) % 128 == 0 && *reg(SDM_RDLEN) % 128 == 0,
	   "ring lengths are multiples of 128");
	is_int(*reg(SDM_TDBAL), (uint32_t)(uintptr_t)nic.tx_ring, "TDBAL is the ring");
	is_int(*reg(SDM_TDBAH), (uint32_t)((uint64_t)(uintptr_t)nic.tx_ring >> 32),
	       "TDBAH is the ring's high half");
	is_int(*reg(SDM_RDBAL), (uint32_t)(uintptr_t)nic.rx_ring, "RDBAL is the ring");
	ok((uintptr_t)nic.tx_ring % 16 == 0 && (uintptr_t)nic.rx_ring % 16 == 0,
	   "descriptor rings are 16-byte aligned");
	is_int(*reg(SDM_TDH), 0, "TDH starts at 0");
	is_int(*reg(SDM_TDT), 0, "TDT starts at 0");
	is_int(*reg(SDM_RDT), E1000_RX_DESCS - 1, "RDT gives all but one buffer to the NIC");
	ok((*reg(SDM_TCTL) & (SDM_TCTL_EN | SDM_TCTL_PSP)) == (SDM_TCTL_EN | SDM_TCTL_PSP),
	   "transmitter enabled, short frames padded");
	ok((*reg(SDM_RCTL) & (SDM_RCTL_EN | SDM_RCTL_BAM | SDM_RCTL_SECRC)) ==
		   (SDM_RCTL_EN | SDM_RCTL_BAM | SDM_RCTL_SECRC),
	   "receiver enabled, broadcast accepted, CRC stripped");
	ok(*reg(SDM_RCTL) & SDM_RCTL_MPE,
	   "every multicast accepted (MPE): IPv6 neighbour solicitations");
	ok(*reg(SDM_CTRL) & SDM_CTRL_SLU, "link set up");
	unsigned mta_clear = 0;
	for (unsigned i = 0; i < SDM_MTA_ENTRIES; i++)
		mta_clear += *reg(SDM_MTA + 4 * i) == 0;
	is_int(mta_clear, SDM_MTA_ENTRIES, "multicast table cleared");
	is_int(*reg(SDM_RAH0), 0x5634 | SDM_RAH_AV, "station address reprogrammed");
	ok((*reg(SDM_IMS) & (SDM_INT_TXDW | SDM_INT_RXT0 | SDM_INT_LSC)) ==
		   (SDM_INT_TXDW | SDM_INT_RXT0 | SDM_INT_LSC),
	   "TXDW, RXT0 and LSC unmasked");
	is_int(le64_at(rx_desc(5)), (uint64_t)(uintptr_t)nic.rx_buf[5],
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
	is_int(*reg(SDM_TDT), 1, "TDT advanced past it");
	is_int(crash_point_calls, 1, "transmit passes the irq-nic-locked crash point once");
	is_int(tdt_at_crash_point, 1, "after the NIC was handed the frame");
	is_int(le16_at(tx_desc(0) + SDM_TXD_LENGTH), 42, "descriptor length");
	is_int(tx_desc(0)[SDM_TXD_CMD], SDM_TXD_CMD_EOP | SDM_TXD_CMD_IFCS | SDM_TXD_CMD_RS,
	       "descriptor command EOP|IFCS|RS");
	is_int(le64_at(tx_desc(0)), (uint64_t)(uintptr_t)nic.tx_buf[0],
	       "descriptor points at its own buffer");
	ok(memcmp(nic.tx_buf[0], frame, 42) == 0, "frame copied into the buffer");
	is_int(dev->stats.tx_packets, 1, "tx_packets counted");

	is_int(transmit(dev, frame, ETH_FRAME_MAX + 1), -EINVAL, "oversized frame refused");
	is_int(dev->stats.tx_dropped, 1, "and counted as dropped");

	for (unsigned i = 1; i < E1000_TX_DESCS - 1; i++)
		transmit(dev, frame, ETH_FRAME_MAX);
	is_int(*reg(SDM_TDT), E1000_TX_DESCS - 1, "ring filled up to one slot short");
	udelay_calls = 0;
	is_int(transmit(dev, frame, 60), -ENOBUFS, "full ring drops after a bounded wait");
	ok(udelay_calls > 0 && udelay_calls <= 1001, "waited %u steps, bounded", udelay_calls);
	is_int(dev->stats.tx_dropped, 2, "drop counted");

	for (unsigned i = 0; i < 4; i++)
		tx_desc(i)[SDM_TXD_STA] = SDM_TXD_STAT_DD;
	is_int(transmit(dev, frame, 60), 0, "completed descriptors are reaped");
	is_int(*reg(SDM_TDT), 0, "TDT wraps to 0");
	is_int(le16_at(tx_desc(E1000_TX_DESCS - 1) + SDM_TXD_LENGTH), 60, "the last slot was used");
	dev->ops->poll(dev, 0);
	is_int(nic.tx_head, 4, "poll reaps up to the first busy descriptor");
}

static void test_receive(void)
{
	struct net_device *dev = &nic.netdev;
	const uint8_t both = SDM_RXD_STAT_DD | SDM_RXD_STAT_EOP;

	dev->rx_handler = record_frame;
	dev->ops->poll(dev, 16);
	is_int(got.calls, 0, "nothing received on an idle ring");

	fake_rx(0, 0xa1, 60, both, 0);
	fake_rx(1, 0xa2, 1514, both, 0);
	dev->ops->poll(dev, 1);
	is_int(got.calls, 1, "budget 1 delivers one frame");
	is_int(got.len, 60, "first frame's length");
	ok(got.data[0] == 0xa1 && got.data[59] == 0xa1, "first frame's bytes");
	is_int(*reg(SDM_RDT), 0, "its descriptor went back to the NIC");
	is_int(rx_desc(0)[SDM_RXD_STATUS], 0, "its status was cleared");
	dev->ops->poll(dev, 16);
	is_int(got.calls, 2, "second frame delivered on the next poll");
	is_int(got.len, 1514, "second frame's length");
	ok(got.data[1513] == 0xa2, "second frame's bytes");
	is_int(*reg(SDM_RDT), 1, "RDT follows");
	is_int(dev->stats.rx_packets, 2, "rx_packets counted");

	fake_rx(2, 0xb0, 2048, SDM_RXD_STAT_DD, 0);
	fake_rx(3, 0xb1, 100, both, 0);
	fake_rx(4, 0xb2, 60, both, 0x01);
	fake_rx(5, 0xb3, 64, both, 0);
	dev->ops->poll(dev, 16);
	is_int(got.calls, 3, "only the good frame after the bad ones is delivered");
	is_int(got.len, 64, "the good frame's length");
	is_int(dev->stats.rx_dropped, 2, "spilled frame and errored frame each dropped once");
	is_int(*reg(SDM_RDT), 5, "every consumed descriptor recycled");

	for (unsigned i = 0; i < E1000_RX_DESCS - 1; i++)
		fake_rx((6 + i) % E1000_RX_DESCS, (uint8_t)i, 60, both, 0);
	got.calls = 0;
	dev->ops->poll(dev, 64);
	is_int(got.calls, E1000_RX_DESCS - 1, "a whole ring's worth across the wrap");
	is_int(*reg(SDM_RDT), 4, "RDT wrapped around");
	is_int(got.data[0], E1000_RX_DESCS - 2, "frames delivered in ring order");
}

static void test_reopen_and_misc(void)
{
	struct net_device *dev = &nic.netdev;

	rx_desc(7)[SDM_RXD_STATUS] = SDM_RXD_STAT_DD | SDM_RXD_STAT_EOP;
	*reg(SDM_TDT) = 17;
	is_int(dev->ops->open(dev), 0, "open again recovers the device");
	is_int(*reg(SDM_TDT), 0, "transmit ring rebuilt");
	ok(nic.tx_head == 0 && nic.tx_tail == 0 && nic.rx_next == 0, "indices reset");
	is_int(rx_desc(7)[SDM_RXD_STATUS], 0, "stale receive status cleared");

	reset_stuck = true;
	*reg(SDM_CTRL) |= SDM_CTRL_RST;
	is_int(dev->ops->open(dev), -ETIMEDOUT, "open fails when reset hangs");
	reset_stuck = false;
	is_int(dev->ops->open(dev), 0, "and open works again afterwards");

	*reg(SDM_STATUS) = 0;
	ok(!dev->ops->link_up(dev), "link down without STATUS.LU");
	*reg(SDM_STATUS) = SDM_STATUS_LU;
	ok(dev->ops->link_up(dev), "link up with STATUS.LU");
	*reg(SDM_STATUS) = ~SDM_STATUS_LU;
	ok(!dev->ops->link_up(dev), "link down with every STATUS bit but LU set");

	*reg(SDM_ICR) = SDM_INT_RXT0;
	is_int(e1000_read_interrupt_cause(&nic), SDM_INT_RXT0, "interrupt cause read from ICR");
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
	ok(*reg(SDM_TDT) != 0, "a frame is out before the oops");
	oops_in_progress = 1;
	spin_trylock(&dev->lock); /* the context the oops froze holds it */
	ok(netdev_claim(dev, &claim), "in an oops a held device is taken over");
	ok(!claim.held, "without taking its lock");
	is_int(*reg(SDM_TDT), 0, "and reset: the transmit ring was rebuilt");
	netdev_release(dev, &claim);
	ok(dev->lock.locked, "the release leaves the lock with its frozen holder");

	transmit(dev, frame, sizeof(frame));
	netdev_claim(dev, &claim);
	netdev_release(dev, &claim);
	is_int(*reg(SDM_TDT), 1, "a second takeover does not reset again");
	ok(!netdev_recover(dev), "nor does a recovery: one reset per device per oops");

	dev->oops_reset = false;
	reset_stuck = true;
	*reg(SDM_CTRL) |= SDM_CTRL_RST;
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
	is_int(*reg(SDM_TDT), 0, "queueing alone leaves TDT alone");
	dev->ops->kick(dev);
	is_int(*reg(SDM_TDT), 2, "one kick hands both frames to the NIC");
	is_int(crash_point_calls, calls + 1, "with one doorbell write");
	dev->ops->kick(dev);
	is_int(crash_point_calls, calls + 1, "a kick with nothing queued writes nothing");

	for (unsigned i = 2; i < E1000_TX_DESCS - 1; i++)
		dev->ops->queue(dev, frame, sizeof(frame));
	is_int(*reg(SDM_TDT), 2, "a nearly full ring of queued frames, none kicked");
	for (unsigned i = 0; i < E1000_TX_DESCS; i++)
		tx_desc(i)[SDM_TXD_STA] = SDM_TXD_STAT_DD;
	is_int(dev->ops->queue(dev, frame, sizeof(frame)), 0,
	       "a full ring kicks, reaps and queues");
	is_int(*reg(SDM_TDT), E1000_TX_DESCS - 1, "the queued frames were kicked first");
}

/* Building in place: tx_buffer hands out the next descriptor's own buffer
 * (what the descriptor's address field points at), tx_commit fills that
 * descriptor as queue does, and only a kick moves TDT. */
static void test_build_in_place(void)
{
	struct net_device *dev = &nic.netdev;

	is_int(dev->ops->open(dev), 0, "open for the in-place tests");
	uint8_t *buf = dev->ops->tx_buffer(dev);
	ok(buf && (uint64_t)(uintptr_t)buf == le64_at(tx_desc(0)),
	   "tx_buffer is the buffer descriptor 0 points at");
	memset(buf, 0x5a, 100);
	is_int(dev->ops->tx_commit(dev, 100), 0, "tx_commit queues what was built there");
	is_int(le16_at(tx_desc(0) + SDM_TXD_LENGTH), 100, "descriptor length from tx_commit");
	is_int(tx_desc(0)[SDM_TXD_CMD], SDM_TXD_CMD_EOP | SDM_TXD_CMD_IFCS | SDM_TXD_CMD_RS,
	       "descriptor command EOP|IFCS|RS");
	is_int(*reg(SDM_TDT), 0, "committing alone leaves TDT alone");
	ok((uint64_t)(uintptr_t)dev->ops->tx_buffer(dev) == le64_at(tx_desc(1)),
	   "the next tx_buffer is descriptor 1's");
	dev->ops->kick(dev);
	is_int(*reg(SDM_TDT), 1, "a kick hands the committed frame to the NIC");
	unsigned dropped = dev->stats.tx_dropped;
	is_int(dev->ops->tx_commit(dev, ETH_FRAME_MAX + 1), -EINVAL,
	       "tx_commit refuses an oversized frame");
	is_int(dev->stats.tx_dropped, dropped + 1, "and counts it");
}

int main(void)
{
	plan(152);
	crash_point_register(fake_crash_point);
	test_init();
	test_register();
	test_open();
	test_transmit();
	test_receive();
	test_reopen_and_misc();
	test_claim_in_oops();
	test_queue_and_kick();
	test_build_in_place();
	return done_testing();
}
