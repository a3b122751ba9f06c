/* The MC146818 real-time clock's periodic interrupt, the NMI watchdog's
 * heartbeat source (kernel/watchdog.c routes its line, ISA IRQ 8, to the
 * CPUs as an NMI). rtc_periodic_start() runs once at boot, normal context,
 * before the line is routed; rtc_periodic_ack() runs in NMI context on any
 * CPU, several at once: it is the only other user of the CMOS index port,
 * and every CPU writes the same index. */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#define RTC_IRQ 8
/* The slowest periodic rate the RTC offers (rate select 15 of the 32.768 kHz
 * time base): one interrupt every 500 ms. */
#define RTC_PERIODIC_MS 500

/* Sets the periodic rate and enables its interrupt (PIE). */
void rtc_periodic_start(void);
/* Reads register C, which ends the interrupt request so that the next
 * period raises the line again (the RTC holds IRQ 8 until then). */
void rtc_periodic_ack(void);

#endif
