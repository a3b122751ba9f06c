/* Where the application processors' real-mode start code is copied: a page
 * below 1 MiB (a STARTUP IPI names it by page number), free once boot has
 * copied the Multiboot data it needed. Constants only, shared by
 * kernel/trampoline.S and kernel/smp.c. */
#ifndef KERNEL_TRAMPOLINE_H
#define KERNEL_TRAMPOLINE_H

#define TRAMPOLINE_BASE 0x8000

/* Offsets in the parameter block the boot CPU fills before each start. */
#define TRAMPOLINE_PARAM_CR3 0
#define TRAMPOLINE_PARAM_STACK 4
#define TRAMPOLINE_PARAM_ENTRY 8

#endif
