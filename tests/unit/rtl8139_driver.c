/* The rtl8139 driver against a fake NIC behind fake I/O ports: probe, reset
 * and MAC, open, transmit through the four descriptors, receive, the link
 * bit, the interrupt handler and the oops takeover. Unlike QEMU, which
 * finishes a transmit inside the TSD write, the fake NIC keeps each
 * descriptor it was handed (TSD.OWN clear) until the test completes it, and
 * counts every TSD write to a descriptor it still owns and every change to
 * the bytes of a frame it has not sent yet. Offsets and bits are the
 * datasheet's literal numbers (DS_ below), not the driver's regs.h. */
#include <stdarg.h>
#include <stdint.h>

#include "fake_io.h"
#include "fake_smp.h"
#include "tap.h"

#include "drivers/netdev.c"
#include "drivers/rtl8139/rtl8139.c"
#include "kernel/crash_point.c"
#include "kernel/format.c"
#include "kernel/oops_audit.c"
#include "kernel/profile.c"

/* RealTek RTL8139(A/B/C) datasheet and programming guide: register offsets
 * from the I/O base, and their bits. */
#define DS_IDR0 0x00
#define DS_TSD0 0x10 /* TSD0-3, 32 bits each */
#define DS_TSAD0 0x20 /* TSAD0-3 */
#define DS_RBSTART 0x30
#define DS_CR 0x37
#define DS_CAPR 0x38
#define DS_IMR 0x3c
#define DS_ISR 0x3e
#define DS_TCR 0x40
#define DS_RCR 0x44
#define DS_9346CR 0x50
#define DS_CONFIG1 0x52
#define DS_BMSR 0x64
#define DS_CR_BUFE 0x01 /* receive buffer empty */
#define DS_CR_TE 0x04
#define DS_CR_RE 0x08
#define DS_CR_RST 0x10
#define DS_9346CR_CONFIG_WRITE 0xc0 /* EEM1:0 = 11 */
#define DS_INT_ROK 0x0001
#define DS_INT_TOK 0x0004
#define DS_INT_RXOVW 0x0010
#define DS_TSD_SIZE 0x00001fffu /* bits 12:0, byte count */
#define DS_TSD_OWN 0x00002000u /* set by the NIC once the frame is in its FIFO */
#define DS_TSD_TOK 0x00008000u
#define DS_TSD_TABT 0x40000000u
#define DS_RCR_AAP 0x00000001u /* accept all (promiscuous) */
#define DS_RCR_APM 0x00000002u /* accept physical match */
#define DS_RCR_AM 0x00000004u /* accept multicast (through the MAR hash) */
#define DS_MAR0 0x08 /* multicast hash filter, 8 bytes */
#define DS_RCR_AB 0x00000008u /* accept broadcast */
#define DS_RCR_WRAP 0x00000080u
#define DS_RCR_RBLEN 0x00001800u /* bits 12:11; 00 = 8K + 16 */
#define DS_BMSR_LINK 0x0004 /* bit 2, link status */
#define DS_RXS_ROK 0x0001 /* receive header status */
#define DS_RXS_CRC 0x0004
#define DS_RX_RING 8192

#define IO_BASE 0xc000
#define TX_DESCS 4

volatile int oops_in_progress;

static char printed[256];

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(printed, sizeof(printed), fmt, ap);
	va_end(ap);
	return n;
}

void pci_enable(struct pci_device *dev)
{
	(void)dev;
}

static void (*irq_handler)(unsigned irq, void *ctx);
static void *irq_ctx;

int irq_register(unsigned irq, irq_handler_fn fn, void *ctx)
{
	(void)irq;
	irq_handler = fn;
	irq_ctx = ctx;
	return 0;
}

/* The fake NIC. */
static struct {
	uint8_t reg[256];
	bool reset_pending, reset_stuck;
	bool config_unlocked_for_config1;
	uint16_t rx_write; /* where the NIC would put the next received frame */
	unsigned bad_port; /* accesses outside the 256-byte window */
	/* Transmit: what each descriptor was handed, and the rule breaks. */
	uint8_t handed[TX_DESCS][RTL8139_TX_BUF_LEN];
	unsigned handed_len[TX_DESCS];
	unsigned tsd_writes, owned_rewrites, owned_changed, sent;
	unsigned sent_desc[64];
	unsigned complete_after_waits; /* complete the oldest on this udelay (0: never) */
	unsigned waits;
	char last_rule_break[128];
} hw;

static struct rtl8139 *nic;

static uint32_t reg_get(unsigned offset, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = size; i-- > 0;)
		v = v << 8 | hw.reg[offset + i];
	return v;
}

static void reg_put(unsigned offset, unsigned size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++, v >>= 8)
		hw.reg[offset + i] = (uint8_t)v;
}

static uint32_t tsd_of(unsigned desc)
{
	return reg_get(DS_TSD0 + 4 * desc, 4);
}

/* The buffer TSADn points at (the driver gives it 32-bit bus addresses). */
static const uint8_t *tx_buffer_of(unsigned desc)
{
	uint32_t bus = reg_get(DS_TSAD0 + 4 * desc, 4);

	for (unsigned i = 0; i < TX_DESCS; i++)
		if ((uint32_t)(uintptr_t)nic->tx_buf[i] == bus)
			return nic->tx_buf[i];
	return NULL;
}

static bool hw_rx_empty(void)
{
	return (uint16_t)(reg_get(DS_CAPR, 2) + 16) % DS_RX_RING == hw.rx_write;
}

static void nic_reset(void)
{
	memset(hw.reg + DS_TSD0, 0, 4 * TX_DESCS);
	/* After a reset every TSD bit but OWN is 0: the driver owns them all. */
	for (unsigned i = 0; i < TX_DESCS; i++)
		reg_put(DS_TSD0 + 4 * i, 4, DS_TSD_OWN);
	reg_put(DS_IMR, 2, 0);
	reg_put(DS_ISR, 2, 0);
	hw.reg[DS_CR] = 0;
	reg_put(DS_CAPR, 2, 0xfff0);
	hw.rx_write = 0;
}

static void tsd_write(unsigned desc, uint32_t value)
{
	const uint8_t *buf = tx_buffer_of(desc);
	unsigned len = value & DS_TSD_SIZE;

	hw.tsd_writes++;
	if (!(tsd_of(desc) & DS_TSD_OWN)) {
		hw.owned_rewrites++;
		snprintf(hw.last_rule_break, sizeof(hw.last_rule_break),
			 "TSD%u written while the NIC still owned descriptor %u", desc, desc);
	}
	/* Writing the byte count clears OWN and the status bits. */
	reg_put(DS_TSD0 + 4 * desc, 4, value & ~(DS_TSD_OWN | DS_TSD_TOK | DS_TSD_TABT));
	hw.handed_len[desc] = len;
	if (buf && len <= sizeof(hw.handed[desc]))
		memcpy(hw.handed[desc], buf, len);
}

/* The NIC has moved descriptor desc's frame into its FIFO and sent it. */
static void nic_complete(unsigned desc, uint32_t status)
{
	const uint8_t *buf = tx_buffer_of(desc);

	if (!buf || memcmp(buf, hw.handed[desc], hw.handed_len[desc]) != 0) {
		hw.owned_changed++;
		snprintf(hw.last_rule_break, sizeof(hw.last_rule_break),
			 "frame of descriptor %u changed while the NIC owned it", desc);
	}
	if (hw.sent < 64)
		hw.sent_desc[hw.sent] = desc;
	hw.sent++;
	reg_put(DS_TSD0 + 4 * desc, 4, tsd_of(desc) | DS_TSD_OWN | status);
	reg_put(DS_ISR, 2, reg_get(DS_ISR, 2) | DS_INT_TOK);
}

/* Descriptors are sent in the order they were handed over. */
static unsigned next_to_complete;

static bool complete_oldest(void)
{
	for (unsigned n = 0; n < TX_DESCS; n++) {
		unsigned desc = (next_to_complete + n) % TX_DESCS;

		if (!(tsd_of(desc) & DS_TSD_OWN)) {
			nic_complete(desc, DS_TSD_TOK);
			next_to_complete = (desc + 1) % TX_DESCS;
			return true;
		}
	}
	return false;
}

static uint32_t fake_port_read(uint16_t port, unsigned size)
{
	unsigned offset = (unsigned)port - IO_BASE;

	if (port < IO_BASE || offset + size > sizeof(hw.reg)) {
		hw.bad_port++;
		return 0xffffffffu;
	}
	if (offset == DS_CR && size == 1)
		return (hw.reg[DS_CR] & (DS_CR_RE | DS_CR_TE)) |
		       (hw.reset_pending ? DS_CR_RST : 0) | (hw_rx_empty() ? DS_CR_BUFE : 0);
	return reg_get(offset, size);
}

static void fake_port_write(uint16_t port, unsigned size, uint32_t value)
{
	unsigned offset = (unsigned)port - IO_BASE;

	if (port < IO_BASE || offset + size > sizeof(hw.reg)) {
		hw.bad_port++;
		return;
	}
	if (offset >= DS_TSD0 && offset < DS_TSD0 + 4 * TX_DESCS && size == 4 && offset % 4 == 0) {
		tsd_write((offset - DS_TSD0) / 4, value);
		return;
	}
	if (offset == DS_ISR && size == 2) { /* write 1 to clear */
		reg_put(DS_ISR, 2, reg_get(DS_ISR, 2) & ~value);
		return;
	}
	if (offset == DS_CR && size == 1 && (value & DS_CR_RST)) {
		hw.reset_pending = true;
		return;
	}
	/* Turning the receiver off restarts its write pointer at the ring's start. */
	if (offset == DS_CR && size == 1 && (hw.reg[DS_CR] & DS_CR_RE) && !(value & DS_CR_RE))
		hw.rx_write = 0;
	if (offset == DS_CONFIG1)
		hw.config_unlocked_for_config1 = hw.reg[DS_9346CR] == DS_9346CR_CONFIG_WRITE;
	reg_put(offset, size, value);
}

/* The fake NIC does its work whenever the driver waits. */
void udelay(uint32_t us)
{
	(void)us;
	hw.waits++;
	if (hw.reset_pending && !hw.reset_stuck) {
		hw.reset_pending = false;
		nic_reset();
	}
	if (hw.complete_after_waits && hw.waits == hw.complete_after_waits)
		complete_oldest();
}

static unsigned crash_point_calls, tsd_writes_at_crash_point;

static void fake_crash_point(enum crash_point_id where)
{
	if (where == CRASH_POINT_NIC_TX_QUEUED) {
		crash_point_calls++;
		tsd_writes_at_crash_point = hw.tsd_writes;
	}
}

static struct {
	unsigned calls;
	size_t len;
	uint8_t data[ETH_FRAME_MAX];
} got;

static void record_frame(struct net_device *dev, const void *frame, size_t len)
{
	(void)dev;
	got.calls++;
	got.len = len;
	memcpy(got.data, frame, len < sizeof(got.data) ? len : sizeof(got.data));
}

/* The NIC writes a received frame at rx_write: status, length with CRC,
 * the frame, the CRC; the next one starts 4-byte aligned. */
static void fake_rx(uint16_t status, uint8_t fill, uint16_t frame_len)
{
	uint8_t *p = nic->rx_buf + hw.rx_write;
	uint16_t length = (uint16_t)(frame_len + 4);

	p[0] = (uint8_t)status;
	p[1] = (uint8_t)(status >> 8);
	p[2] = (uint8_t)length;
	p[3] = (uint8_t)(length >> 8);
	memset(p + 4, fill, frame_len);
	memset(p + 4 + frame_len, 0xcc, 4);
	hw.rx_write = (uint16_t)((hw.rx_write + 4 + length + 3) & ~3u) % DS_RX_RING;
	reg_put(DS_ISR, 2, reg_get(DS_ISR, 2) | DS_INT_ROK);
}

static struct pci_device pci = {
	.bus = 0,
	.slot = 4,
	.func = 0,
	.vendor = 0x10ec,
	.device = 0x8139,
	.irq = 11,
	.bar = {IO_BASE},
	.bar_is_io = {true},
};

static void test_probe(void)
{
	memcpy(hw.reg + DS_IDR0, "\x52\x54\x00\x12\x34\x56", 6);
	hw.reset_stuck = true;
	hw.waits = 0;
	is_int(rtl8139_probe(&pci), -ETIMEDOUT, "probe fails when CR.RST never clears");
	ok(hw.waits > 0 && hw.waits < 100000, "after a bounded wait (%u steps)", hw.waits);
	hw.reset_stuck = false;
	is_int(rtl8139_probe(&pci), 0, "probe succeeds once reset completes");
	nic = &rtl8139_devices[0];
	ok(hw.config_unlocked_for_config1,
	   "CONFIG1 written with 9346CR set to config write (0xc0)");
	is_int(hw.reg[DS_9346CR], 0, "9346CR back to normal mode");
	ok(memcmp(nic->netdev.mac, "\x52\x54\x00\x12\x34\x56", 6) == 0, "MAC read from IDR0-5");
	is_str(printed, KERN_INFO "eth0: rtl8139 at 00:04.0, mac 52:54:00:12:34:56, irq 11\n",
	       "boot line names the device");
	ok(irq_handler != NULL && irq_ctx == nic, "interrupt handler registered for the NIC");
	is_int(reg_get(DS_IMR, 2), 0, "interrupts masked until open");
}

static void test_open(void)
{
	struct net_device *dev = &nic->netdev;

	is_int(netdev_open(dev), 0, "open succeeds");
	ok(dev->up, "device is up");
	for (unsigned i = 0; i < TX_DESCS; i++)
		is_int(reg_get(DS_TSAD0 + 4 * i, 4), (uint32_t)(uintptr_t)nic->tx_buf[i],
		       "TSAD%u points at its own buffer", i);
	is_int(reg_get(DS_RBSTART, 4), (uint32_t)(uintptr_t)nic->rx_buf, "RBSTART is the ring");
	is_int(reg_get(DS_CAPR, 2), 0xfff0, "CAPR starts 16 bytes before 0");
	is_int(hw.reg[DS_CR] & (DS_CR_RE | DS_CR_TE), DS_CR_RE | DS_CR_TE,
	       "receiver and transmitter enabled");
	uint32_t rcr = reg_get(DS_RCR, 4);
	ok((rcr & (DS_RCR_APM | DS_RCR_AB | DS_RCR_WRAP)) == (DS_RCR_APM | DS_RCR_AB | DS_RCR_WRAP),
	   "RCR accepts own address and broadcast, WRAP set (0x%x)", rcr);
	ok(!(rcr & DS_RCR_AAP), "not promiscuous");
	ok((rcr & DS_RCR_AM) && reg_get(DS_MAR0, 4) == 0xffffffffu &&
		   reg_get(DS_MAR0 + 4, 4) == 0xffffffffu,
	   "every multicast accepted (AM, all 64 MAR bits): IPv6 neighbour solicitations");
	is_int(rcr & DS_RCR_RBLEN, 0, "8K receive ring");
	ok((reg_get(DS_IMR, 2) & (DS_INT_ROK | DS_INT_TOK)) == (DS_INT_ROK | DS_INT_TOK),
	   "ROK and TOK interrupts unmasked");
	is_int(hw.bad_port, 0, "every access inside the NIC's 256 ports");
}

static int transmit(struct net_device *dev, const void *frame, size_t len)
{
	int ret = dev->ops->queue(dev, frame, len);

	dev->ops->kick(dev);
	return ret;
}

static void test_transmit(void)
{
	struct net_device *dev = &nic->netdev;
	uint8_t frame[ETH_FRAME_MAX];

	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	is_int(transmit(dev, frame, 42), 0, "a short frame is sent");
	is_int(tsd_of(0) & DS_TSD_SIZE, 60, "TSD0 byte count is the frame padded to 60");
	ok(!(tsd_of(0) & DS_TSD_OWN), "TSD0.OWN clear: the NIC owns the descriptor");
	ok(memcmp(hw.handed[0], frame, 42) == 0, "the NIC was handed the frame's bytes");
	ok(hw.handed[0][42] == 0 && hw.handed[0][59] == 0, "padded with zeros");
	is_int(crash_point_calls, 1, "the irq-nic-locked crash point is passed once");
	is_int(tsd_writes_at_crash_point, 1, "after the TSD write handed the frame over");

	for (unsigned i = 1; i < TX_DESCS; i++) {
		memset(frame, 0x10 + i, 100);
		is_int(transmit(dev, frame, 100), 0, "frame %u goes to descriptor %u", i, i);
		ok(!(tsd_of(i) & DS_TSD_OWN) && (tsd_of(i) & DS_TSD_SIZE) == 100,
		   "TSD%u handed over with 100 bytes", i);
	}

	/* All four are the NIC's; it sends nothing. */
	memset(frame, 0x55, 200);
	hw.waits = 0;
	is_int(transmit(dev, frame, 200), -ENOBUFS,
	       "with every descriptor owned by the NIC the frame is dropped");
	ok(hw.waits > 0 && hw.waits <= 1001, "after a bounded wait (%u steps)", hw.waits);
	is_int(hw.owned_rewrites, 0, "no TSD written while the NIC owned it%s%s",
	       hw.owned_rewrites ? ": " : "", hw.last_rule_break);
	is_int(dev->stats.tx_dropped, 1, "the drop is counted");

	/* The NIC finishes the oldest frame while the driver waits. */
	hw.waits = 0;
	hw.complete_after_waits = 3;
	is_int(transmit(dev, frame, 200), 0, "once the NIC gives descriptor 0 back the frame goes");
	ok(hw.waits >= 3, "the driver waited for the NIC (%u steps)", hw.waits);
	is_int(tsd_of(0) & DS_TSD_SIZE, 200, "into descriptor 0");
	is_int(hw.owned_rewrites, 0, "no TSD written while the NIC owned it%s%s",
	       hw.owned_rewrites ? ": " : "", hw.last_rule_break);
	hw.complete_after_waits = 0;

	/* A later descriptor done first does not free the next one in turn. */
	nic_complete(2, DS_TSD_TOK);
	hw.waits = 0;
	is_int(transmit(dev, frame, 60), -ENOBUFS,
	       "descriptor 1 still the NIC's although 2 is done: dropped");
	is_int(hw.owned_rewrites, 0, "no TSD written while the NIC owned it%s%s",
	       hw.owned_rewrites ? ": " : "", hw.last_rule_break);

	nic_complete(1, DS_TSD_TOK);
	nic_complete(3, DS_TSD_TABT);
	unsigned dropped = dev->stats.tx_dropped;
	memset(frame, 0x66, 80);
	is_int(transmit(dev, frame, 80), 0, "descriptor 1 given back: sent");
	is_int(transmit(dev, frame, 80), 0, "descriptor 2 reused");
	is_int(transmit(dev, frame, 80), 0, "descriptor 3, aborted by the NIC, reused");
	is_int(dev->stats.tx_dropped, dropped + 1, "the abort (TSD.TABT) is counted as a drop");
	is_int(hw.owned_changed, 0, "no frame changed while the NIC owned it%s%s",
	       hw.owned_changed ? ": " : "", hw.last_rule_break);
	for (unsigned i = 0; i < TX_DESCS; i++)
		nic_complete(i, DS_TSD_TOK);
	is_int(hw.owned_changed, 0, "every frame the NIC sent is the one it was handed%s%s",
	       hw.owned_changed ? ": " : "", hw.last_rule_break);
	is_int(transmit(dev, frame, ETH_FRAME_MAX + 1), -EINVAL, "oversized frame refused");
	is_int(hw.owned_rewrites, 0, "no TSD written while the NIC owned it%s%s",
	       hw.owned_rewrites ? ": " : "", hw.last_rule_break);
}

static void test_receive(void)
{
	struct net_device *dev = &nic->netdev;

	dev->rx_handler = record_frame;
	dev->ops->poll(dev, 16);
	is_int(got.calls, 0, "nothing received while CR.BUFE is set");

	fake_rx(DS_RXS_ROK, 0xa1, 60);
	fake_rx(DS_RXS_ROK, 0xa2, 1514);
	dev->ops->poll(dev, 1);
	is_int(got.calls, 1, "budget 1 delivers one frame");
	is_int(got.len, 60, "its length without the CRC");
	ok(got.data[0] == 0xa1 && got.data[59] == 0xa1, "its bytes");
	is_int(reg_get(DS_CAPR, 2), 68 - 16, "CAPR 16 bytes before the next header");
	dev->ops->poll(dev, 16);
	is_int(got.calls, 2, "the second frame on the next poll");
	is_int(got.len, 1514, "full-size frame");
	ok(hw_rx_empty(), "the driver read up to the NIC's write pointer (BUFE set again)");

	fake_rx(DS_RXS_ROK | DS_RXS_CRC, 0xb0, 100);
	fake_rx(DS_RXS_ROK, 0xb1, 64);
	unsigned dropped = dev->stats.rx_dropped;
	dev->ops->poll(dev, 16);
	is_int(got.calls, 2, "a frame with a CRC error is not delivered");
	is_int(dev->stats.rx_dropped, dropped + 1, "and counted as dropped");
	is_int(reg_get(DS_CAPR, 2), 0xfff0, "the receive ring restarted");
	ok(hw_rx_empty(), "empty, as the NIC restarted it");
	ok((hw.reg[DS_CR] & (DS_CR_RE | DS_CR_TE)) == (DS_CR_RE | DS_CR_TE),
	   "with receiver and transmitter on");

	nic->netdev.rx_handler = NULL;
}

static void test_link(void)
{
	struct net_device *dev = &nic->netdev;

	reg_put(DS_BMSR, 2, DS_BMSR_LINK);
	ok(dev->ops->link_up(dev), "link up with BMSR bit 2 (link status)");
	reg_put(DS_BMSR, 2, 0xffff & ~DS_BMSR_LINK);
	ok(!dev->ops->link_up(dev), "link down with every BMSR bit but link status set");
}

static void test_interrupt(void)
{
	struct net_device *dev = &nic->netdev;
	uint8_t frame[60] = {0};

	reg_put(DS_ISR, 2, 0);
	unsigned writes = hw.tsd_writes;
	irq_handler(11, irq_ctx);
	is_int(reg_get(DS_ISR, 2), 0, "an interrupt not ours (ISR 0) is left alone");

	transmit(dev, frame, sizeof(frame));
	ok(hw.tsd_writes == writes + 1, "a frame is out");
	complete_oldest();
	reg_put(DS_ISR, 2, DS_INT_TOK | DS_INT_RXOVW);
	unsigned dropped = dev->stats.rx_dropped;
	irq_handler(11, irq_ctx);
	is_int(reg_get(DS_ISR, 2), 0, "the handler acknowledges TOK and RXOVW (write 1 to clear)");
	is_int(dev->stats.rx_dropped, dropped + 1, "the receive overflow is counted");
	is_int(nic->tx_busy, 0, "and the sent frame's descriptor is reaped");
}

/* In an oops a device whose lock the oops froze is taken over and reset
 * once: the descriptors the NIC owned are the driver's again. */
static void test_claim_in_oops(void)
{
	struct net_device *dev = &nic->netdev;
	struct netdev_claim claim;
	uint8_t frame[60] = {0};

	for (unsigned i = 0; i < TX_DESCS; i++)
		transmit(dev, frame, sizeof(frame));
	oops_in_progress = 1;
	fake_eflags &= ~FAKE_IF; /* as the fault's interrupt gate leaves it */
	spin_trylock(&dev->lock);
	ok(netdev_claim(dev, &claim) && !claim.held, "in an oops a held device is taken over");
	ok(!hw.reset_pending, "reset through CR.RST, completed");
	unsigned owned_by_driver = 0;
	for (unsigned i = 0; i < TX_DESCS; i++)
		owned_by_driver += !!(tsd_of(i) & DS_TSD_OWN);
	is_int(owned_by_driver, TX_DESCS, "after the reset every descriptor is the driver's");
	is_int(transmit(dev, frame, sizeof(frame)), 0, "and the emergency frame goes out");
	is_int(hw.owned_rewrites, 0, "without a TSD write to a descriptor the NIC owned%s%s",
	       hw.owned_rewrites ? ": " : "", hw.last_rule_break);
	netdev_release(dev, &claim);
	ok(oops_audit.oops_sends > 0 && oops_audit.oops_sends_irqs_on == 0,
	   "the claims were recorded, none with interrupts on (%u)", oops_audit.oops_sends);
	is_int(oops_audit.oops_lock_waits, 0, "and no lock was waited on");
	struct spinlock free_lock = SPINLOCK_INIT;
	spin_unlock_irqrestore(&free_lock, spin_lock_irqsave(&free_lock));
	is_int(oops_audit.oops_lock_waits, 1,
	       "a lock taken in an oops by a primitive that waits is recorded, free as it was");
	fake_eflags |= FAKE_IF;
	oops_in_progress = 0;
	spin_unlock(&dev->lock);
}

/* Building in place: tx_buffer is the next descriptor's own buffer (the one
 * its TSAD names), tx_commit pads it and hands it over with the TSD write,
 * as transmit does. */
static void test_build_in_place(void)
{
	struct net_device *dev = &nic->netdev;

	is_int(dev->ops->open(dev), 0, "open for the in-place tests");
	unsigned desc = nic->tx_next;
	uint8_t *buf = dev->ops->tx_buffer(dev);
	ok(buf && reg_get(DS_TSAD0 + 4 * desc, 4) == (uint32_t)(uintptr_t)buf,
	   "tx_buffer is the buffer TSAD%u names", desc);
	memset(buf, 0x77, 50);
	memset(buf + 50, 0xee, 10);
	is_int(dev->ops->tx_commit(dev, 50), 0, "tx_commit sends what was built there");
	is_int(tsd_of(desc) & DS_TSD_SIZE, 60, "TSD byte count is the frame padded to 60");
	ok(hw.handed[desc][0] == 0x77 && hw.handed[desc][49] == 0x77 && hw.handed[desc][50] == 0 &&
		   hw.handed[desc][59] == 0,
	   "the NIC was handed the built bytes, padded with zeros");
	is_int(nic->tx_next, (desc + 1) % TX_DESCS, "the next frame goes to the next descriptor");
}

int main(void)
{
	plan(89);
	crash_point_register(fake_crash_point);
	test_probe();
	test_open();
	test_transmit();
	test_receive();
	test_link();
	test_interrupt();
	test_claim_in_oops();
	test_build_in_place();
	return done_testing();
}
