/* Paging: all 4 GiB identity mapped (4 MiB pages, 4 KiB in the first 4 MiB)
 * with page 0 and the stack guard page left unmapped, so a NULL dereference
 * or a stack overflow faults for real, and the kernel's text and read-only
 * data mapped read-only (CR0.WP), so a write there faults too.
 * paging_init() runs once at boot; paging_lookup() is safe from any context. */
#ifndef KERNEL_PAGING_H
#define KERNEL_PAGING_H

#include <stdint.h>

void paging_init(void);
/* Physical address of the page directory (for CR3 in a TSS). */
uint32_t paging_directory(void);
/* The page-directory and page-table entries that map addr (pte is 0 for a
 * 4 MiB page or an absent table). */
void paging_lookup(uint32_t addr, uint32_t *pde, uint32_t *pte);
/* True when every byte of [addr, addr+len) is mapped. */
int paging_mapped(uint32_t addr, uint32_t len);
/* Boot, normal context, before any CPU uses the page: leaves the 4 KiB page
 * at addr (within the first 4 MiB) unmapped, as a stack guard. */
void paging_unmap_page(uint32_t addr);

#endif
