#include "kernel/paging.h"

#define PAGE_PRESENT 0x001
#define PAGE_WRITE 0x002
#define PAGE_LARGE 0x080
#define CR0_PG 0x80000000u
#define CR0_WP 0x00010000u
#define CR4_PSE 0x00000010u

static uint32_t page_directory[1024] __attribute__((aligned(4096)));
static uint32_t low_page_table[1024] __attribute__((aligned(4096)));
extern const char boot_stack_guard[];
extern const char __kernel_start[], __ro_end[];

void paging_init(void)
{
	low_page_table[0] = 0; /* page 0 stays unmapped: NULL faults */
	for (uint32_t i = 1; i < 1024; i++)
		low_page_table[i] = (i << 12) | PAGE_WRITE | PAGE_PRESENT;
	low_page_table[(uint32_t)(uintptr_t)boot_stack_guard >> 12] = 0;
	/* Kernel text and read-only data: with CR0.WP even ring 0 faults when
	 * it writes there, as under Linux's strict kernel RWX. */
	for (uint32_t page = (uint32_t)(uintptr_t)__kernel_start >> 12;
	     page < (uint32_t)(uintptr_t)__ro_end >> 12; page++)
		low_page_table[page] &= ~(uint32_t)PAGE_WRITE;
	page_directory[0] = (uint32_t)(uintptr_t)low_page_table | PAGE_WRITE | PAGE_PRESENT;
	for (uint32_t i = 1; i < 1024; i++)
		page_directory[i] = (i << 22) | PAGE_LARGE | PAGE_WRITE | PAGE_PRESENT;

	uint32_t cr4, cr0;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE));
	__asm__ volatile("mov %0, %%cr3" : : "r"(page_directory) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG | CR0_WP) : "memory");
}

uint32_t paging_directory(void)
{
	return (uint32_t)(uintptr_t)page_directory;
}

void paging_lookup(uint32_t addr, uint32_t *pde, uint32_t *pte)
{
	*pde = page_directory[addr >> 22];
	*pte = 0;
	if ((*pde & PAGE_PRESENT) && !(*pde & PAGE_LARGE))
		*pte = ((uint32_t *)(uintptr_t)(*pde & ~0xfffu))[(addr >> 12) & 0x3ff];
}

int paging_mapped(uint32_t addr, uint32_t len)
{
	uint32_t end = addr + len;
	if (end < addr)
		return 0;
	for (uint32_t page = addr & ~0xfffu; page < end; page += 4096) {
		uint32_t pde, pte;
		paging_lookup(page, &pde, &pte);
		if (!(pde & PAGE_PRESENT))
			return 0;
		if (!(pde & PAGE_LARGE) && !(pte & PAGE_PRESENT))
			return 0;
		if (page + 4096 < page)
			break;
	}
	return 1;
}

void paging_unmap_page(uint32_t addr)
{
	if (addr >> 22)
		return;
	low_page_table[addr >> 12] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}
