/* Register offsets, bits and descriptor layouts of the Intel 8254x family
 * (82540EM), as given in Intel's 8254x Software Developer's Manual. Constants
 * only: usable from any context and on the host. */
#ifndef DRIVERS_E1000_REGS_H
#define DRIVERS_E1000_REGS_H

#include <stdint.h>

#define E1000_CTRL 0x0000
#define E1000_STATUS 0x0008
#define E1000_EERD 0x0014
#define E1000_ICR 0x00c0
#define E1000_IMS 0x00d0
#define E1000_IMC 0x00d8
#define E1000_RCTL 0x0100
#define E1000_TCTL 0x0400
#define E1000_TIPG 0x0410
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_RDTR 0x2820
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_MTA 0x5200
#define E1000_MTA_ENTRIES 128
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404

#define E1000_CTRL_LRST (1u << 3)
#define E1000_CTRL_ASDE (1u << 5)
#define E1000_CTRL_SLU (1u << 6)
#define E1000_CTRL_RST (1u << 26)
#define E1000_CTRL_PHY_RST (1u << 31)

#define E1000_STATUS_LU (1u << 1)

#define E1000_EERD_START (1u << 0)
#define E1000_EERD_DONE (1u << 4)
#define E1000_EERD_ADDR_SHIFT 8
#define E1000_EERD_DATA_SHIFT 16

#define E1000_RAH_AV (1u << 31)

/* Interrupt cause bits, shared by ICR, IMS and IMC. */
#define E1000_INT_TXDW (1u << 0)
#define E1000_INT_LSC (1u << 2)
#define E1000_INT_RXDMT0 (1u << 4)
#define E1000_INT_RXO (1u << 6)
#define E1000_INT_RXT0 (1u << 7)
#define E1000_INT_ALL 0xffffffffu

#define E1000_RCTL_EN (1u << 1)
#define E1000_RCTL_MPE (1u << 4)
#define E1000_RCTL_BAM (1u << 15)
#define E1000_RCTL_BSIZE_2048 (0u << 16)
#define E1000_RCTL_SECRC (1u << 26)

#define E1000_TCTL_EN (1u << 1)
#define E1000_TCTL_PSP (1u << 3)
#define E1000_TCTL_CT_SHIFT 4
#define E1000_TCTL_COLD_SHIFT 12
#define E1000_TCTL_CT 0x10 /* collision threshold the manual recommends */
#define E1000_TCTL_COLD_FULL_DUPLEX 0x40

#define E1000_TIPG_IPGT 10
#define E1000_TIPG_IPGR1 8
#define E1000_TIPG_IPGR2 6
#define E1000_TIPG_IPGR1_SHIFT 10
#define E1000_TIPG_IPGR2_SHIFT 20

/* Legacy transmit descriptor. */
struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};

#define E1000_TXD_CMD_EOP (1u << 0)
#define E1000_TXD_CMD_IFCS (1u << 1)
#define E1000_TXD_CMD_RS (1u << 3)
#define E1000_TXD_STAT_DD (1u << 0)

struct e1000_rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t checksum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};

#define E1000_RXD_STAT_DD (1u << 0)
#define E1000_RXD_STAT_EOP (1u << 1)

_Static_assert(sizeof(struct e1000_tx_desc) == 16, "transmit descriptor is 16 bytes");
_Static_assert(sizeof(struct e1000_rx_desc) == 16, "receive descriptor is 16 bytes");

#endif
