/* I/O-port registers and bits of the RealTek RTL8139 (classic interface),
 * as given in its datasheet and programming guide. Constants only: usable
 * from any context and on the host. */
#ifndef DRIVERS_RTL8139_REGS_H
#define DRIVERS_RTL8139_REGS_H

#define RTL8139_IDR0 0x00
#define RTL8139_MAR0 0x08 /* eight bytes of multicast hash filter */
#define RTL8139_TSD0 0x10 /* four 32-bit transmit status registers */
#define RTL8139_TSAD0 0x20 /* four 32-bit transmit start addresses */
#define RTL8139_RBSTART 0x30
#define RTL8139_CR 0x37
#define RTL8139_CAPR 0x38
#define RTL8139_IMR 0x3c
#define RTL8139_ISR 0x3e
#define RTL8139_TCR 0x40
#define RTL8139_RCR 0x44
#define RTL8139_MPC 0x4c
#define RTL8139_9346CR 0x50
#define RTL8139_CONFIG1 0x52
#define RTL8139_BMSR 0x64

#define RTL8139_CR_BUFE (1u << 0)
#define RTL8139_CR_TE (1u << 2)
#define RTL8139_CR_RE (1u << 3)
#define RTL8139_CR_RST (1u << 4)

#define RTL8139_9346CR_NORMAL 0x00
#define RTL8139_9346CR_CONFIG_WRITE 0xc0

/* CONFIG1 with LWAKE and LWPTN clear: the chip is powered on. */
#define RTL8139_CONFIG1_POWER_ON 0x00

#define RTL8139_INT_ROK (1u << 0)
#define RTL8139_INT_RER (1u << 1)
#define RTL8139_INT_TOK (1u << 2)
#define RTL8139_INT_TER (1u << 3)
#define RTL8139_INT_RXOVW (1u << 4)
#define RTL8139_INT_LINKCHG (1u << 5)
#define RTL8139_INT_FOVW (1u << 6)
#define RTL8139_INT_SERR (1u << 15)

#define RTL8139_TSD_SIZE_MASK 0x1fffu
#define RTL8139_TSD_OWN (1u << 13)
#define RTL8139_TSD_TUN (1u << 14)
#define RTL8139_TSD_TOK (1u << 15)
#define RTL8139_TSD_TABT (1u << 30)

#define RTL8139_TCR_MXDMA_1024 (6u << 8)
#define RTL8139_TCR_IFG_STANDARD (3u << 24)

#define RTL8139_RCR_AAP (1u << 0)
#define RTL8139_RCR_APM (1u << 1)
#define RTL8139_RCR_AM (1u << 2)
#define RTL8139_RCR_AB (1u << 3)
#define RTL8139_RCR_WRAP (1u << 7)
#define RTL8139_RCR_MXDMA_UNLIMITED (7u << 8)
#define RTL8139_RCR_RBLEN_8K (0u << 11)
#define RTL8139_RCR_RXFTH_NONE (7u << 13)

#define RTL8139_BMSR_LINK (1u << 2)

/* Status word of the header the NIC writes before each received frame. */
#define RTL8139_RXS_ROK (1u << 0)
#define RTL8139_RXS_FAE (1u << 1)
#define RTL8139_RXS_CRC (1u << 2)
#define RTL8139_RXS_LONG (1u << 3)
#define RTL8139_RXS_RUNT (1u << 4)
#define RTL8139_RXS_ISE (1u << 5)
#define RTL8139_RXS_ERRORS \
	(RTL8139_RXS_FAE | RTL8139_RXS_CRC | RTL8139_RXS_LONG | RTL8139_RXS_RUNT | RTL8139_RXS_ISE)

#endif
