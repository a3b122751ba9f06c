#include "kernel/rtc.h"

#include <stdint.h>

#include "kernel/io.h"

/* MC146818A datasheet: the index port (bit 7 of which is the chipset's NMI
 * mask on a PC, kept clear), the data port, and registers A to C. */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define REG_A_DV_32KHZ 0x20 /* divider bits 010: the 32.768 kHz time base */
#define REG_A_RATE_2HZ 0x0f /* rate select 15: 32768 >> 14 = 2 Hz */
#define REG_B_PIE 0x40

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t value)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, value);
}

void rtc_periodic_start(void)
{
	cmos_write(RTC_REG_A, REG_A_DV_32KHZ | REG_A_RATE_2HZ);
	cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) | REG_B_PIE);
	rtc_periodic_ack();
}

void rtc_periodic_ack(void)
{
	(void)cmos_read(RTC_REG_C);
}
