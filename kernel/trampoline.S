/* An application processor starts here in real mode at TRAMPOLINE_BASE
 * (CS = page, IP = 0), after smp.c copied this code there and filled its
 * parameters. It switches to protected mode with a flat GDT of its own,
 * turns on paging with the kernel's page directory and calls the entry with
 * its own stack; the entry loads the CPU's real GDT, IDT and TSS. */

#include "kernel/segment.h"
#include "kernel/trampoline.h"

#define AT(label) ((label) - smp_trampoline_start + TRAMPOLINE_BASE)
#define CR0_PE 0x00000001
#define CR0_PG_WP 0x80010000
#define CR4_PSE 0x00000010

	.section .rodata
	.align 16
	.global smp_trampoline_start, smp_trampoline_end, smp_trampoline_params
	.code16
smp_trampoline_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl AT(trampoline_gdt_pointer)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $KERNEL_CS, $AT(trampoline_protected)

	.code32
trampoline_protected:
	movl $KERNEL_DS, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl %cr4, %eax
	orl $CR4_PSE, %eax
	movl %eax, %cr4
	movl AT(smp_trampoline_params) + TRAMPOLINE_PARAM_CR3, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $CR0_PG_WP, %eax
	movl %eax, %cr0
	movl AT(smp_trampoline_params) + TRAMPOLINE_PARAM_STACK, %esp
	/* A zero frame pointer and return address end every stack walk at the
	 * entry, which never returns: this code has no symbol to show. */
	xorl %ebp, %ebp
	pushl %ebp
	jmp *AT(smp_trampoline_params) + TRAMPOLINE_PARAM_ENTRY

	.align 8
trampoline_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* ring 0 code, flat 4 GiB */
	.quad 0x00cf92000000ffff /* ring 0 data, flat 4 GiB */
trampoline_gdt_pointer:
	.word 3 * 8 - 1
	.long AT(trampoline_gdt)

	.align 4
smp_trampoline_params:
	.skip 12
smp_trampoline_end:
