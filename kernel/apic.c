#include "kernel/apic.h"

#include <stddef.h>

#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "kernel/traps.h"
#include "kernel/watchdog.h"

/* Intel SDM vol. 3, chapter 10: register offsets and bits. */
#define LAPIC_ID 0x020
#define LAPIC_EOI 0x0b0
#define LAPIC_LDR 0x0d0
#define LAPIC_DFR 0x0e0
#define LAPIC_SVR 0x0f0
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define SVR_ENABLE 0x100
#define DFR_FLAT 0xffffffffu
#define LVT_MASKED 0x10000
#define LVT_TIMER_PERIODIC 0x20000
#define LVT_DELIVERY_NMI 0x400
#define LVT_DELIVERY_EXTINT 0x700
#define TIMER_DIVIDE_16 0x3
#define ICR_FIXED 0x000
#define ICR_NMI 0x400
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_PENDING 0x1000
#define ICR_ASSERT 0x4000
#define ICR_LEVEL 0x8000
#define ICR_WAIT_US 100000

#define CALIBRATION_US 10000

static volatile uint8_t *lapic;
static uint32_t timer_count_per_tick;
static volatile uint64_t timer_ticks_of[SMP_MAX_CPUS];

static uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(lapic, reg);
}

static void lapic_write(uint32_t reg, uint32_t value)
{
	mmio_write32(lapic, reg, value);
}

bool apic_ready(void)
{
	return lapic != NULL;
}

uint8_t apic_id(void)
{
	return (uint8_t)(lapic_read(LAPIC_ID) >> 24);
}

void apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Bounded: a stuck ICR must not hang a panic that sends through it. */
static void wait_icr_idle(void)
{
	for (uint32_t us = 0; us < ICR_WAIT_US && (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING); us++)
		udelay(1);
}

static void send_icr(uint8_t apic_id, uint32_t low)
{
	uint32_t flags = irq_save();
	wait_icr_idle();
	lapic_write(LAPIC_ICR_HIGH, (uint32_t)apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	wait_icr_idle();
	irq_restore(flags);
}

void apic_send_ipi(uint8_t apic_id, uint8_t vector)
{
	send_icr(apic_id, ICR_FIXED | vector);
}

void apic_send_nmi(uint8_t apic_id)
{
	send_icr(apic_id, ICR_NMI);
}

void apic_start_cpu(uint8_t apic_id, uint32_t trampoline_page)
{
	send_icr(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
	send_icr(apic_id, ICR_INIT | ICR_LEVEL);
	mdelay(10);
	for (int i = 0; i < 2; i++) {
		send_icr(apic_id, ICR_STARTUP | (trampoline_page & 0xff));
		udelay(200);
	}
}

/* The timer's rate is the bus clock over the divider: counted against the
 * TSC, which timer_init() calibrated. */
static void calibrate_timer(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffffu);
	udelay(CALIBRATION_US);
	uint32_t elapsed = 0xffffffffu - lapic_read(LAPIC_TIMER_CURRENT);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	timer_count_per_tick =
		(uint32_t)((uint64_t)elapsed * 1000000 / CALIBRATION_US / APIC_TIMER_HZ);
	if (!timer_count_per_tick)
		timer_count_per_tick = 1;
}

void apic_init_boot(uint32_t address)
{
	lapic = (volatile uint8_t *)(uintptr_t)address;
	calibrate_timer();
}

void apic_init_cpu(unsigned cpu)
{
	lapic_write(LAPIC_DFR, DFR_FLAT);
	lapic_write(LAPIC_LDR, (uint32_t)APIC_LOGICAL_ID(cpu) << 24);
	lapic_write(LAPIC_SVR, SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_LVT_LINT0, cpu == 0 ? LVT_DELIVERY_EXTINT : LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | APIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INITIAL, timer_count_per_tick);
	apic_eoi();
}

uint64_t apic_timer_ticks(unsigned cpu)
{
	return cpu < SMP_MAX_CPUS ? timer_ticks_of[cpu] : 0;
}

void apic_dispatch(const struct trap_frame *frame)
{
	unsigned vector = frame->vector;
	if (vector == APIC_SPURIOUS_VECTOR)
		return; /* no EOI for a spurious interrupt (SDM 10.9) */
	/* Outside irq_enter(): the backtrace shows the interrupted context. */
	if (vector == APIC_STOP_VECTOR)
		smp_stop_interrupt(frame);
	if (vector == APIC_CALL_VECTOR)
		smp_backtrace_interrupt(frame);
	irq_enter();
	switch (vector) {
	case APIC_TIMER_VECTOR:
		timer_ticks_of[smp_processor_id()]++;
		/* The boot CPU's soft-lockup tick is the PIT's. */
		if (smp_processor_id() != 0) {
			const struct trap_frame *outer = set_irq_regs(frame);
			watchdog_tick(frame);
			set_irq_regs(outer);
		}
		break;
	case APIC_CALL_VECTOR:
		smp_call_interrupt();
		break;
	}
	irq_exit();
	apic_eoi();
}
