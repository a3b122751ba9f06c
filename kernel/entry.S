/* Entry stubs for vectors 0..47 and the local APIC's 240..255. Each pushes a zero where the CPU pushes no
 * error code, then its vector number, and joins trap_common, which saves the
 * general and segment registers as struct trap_frame and calls
 * trap_dispatch(frame). EBP is left as the interrupted context had it, so
 * the frame-pointer chain runs on through the interrupted code. The CFI
 * tells a debugger the same: the caller of trap_dispatch is the interrupted
 * context, its EIP and EBP in the frame, and that EIP is where it was
 * interrupted, not a return address (a signal frame). The kernel drops
 * .eh_frame, so the CFI goes to .debug_frame. */

	.cfi_sections .debug_frame

#include "kernel/segment.h"

.macro stub vector, has_error
	.global trap_stub_\vector
	.type trap_stub_\vector, @function
trap_stub_\vector:
	.if \has_error == 0
	pushl $0
	.endif
	pushl $\vector
	jmp trap_common
	.size trap_stub_\vector, . - trap_stub_\vector
.endm

	.text
	.global trap_entry_start, trap_entry_end
trap_entry_start:
	.type trap_common, @function
trap_common:
	.cfi_startproc simple
	.cfi_signal_frame
	.cfi_def_cfa %esp, 20
	.cfi_offset %eip, -12
	pushal
	.cfi_adjust_cfa_offset 32
	.cfi_rel_offset %ebp, 8
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	.cfi_adjust_cfa_offset 16
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	pushl %esp
	.cfi_adjust_cfa_offset 4
	call trap_dispatch
	addl $4, %esp
	.cfi_adjust_cfa_offset -4
	popl %gs
	popl %fs
	popl %es
	popl %ds
	.cfi_adjust_cfa_offset -16
	popal
	.cfi_adjust_cfa_offset -32
	.cfi_restore %ebp
	addl $8, %esp
	.cfi_adjust_cfa_offset -8
	iret
	.cfi_endproc
	.size trap_common, . - trap_common
trap_entry_end:

	stub 0, 0
	stub 1, 0
	stub 2, 0
	stub 3, 0
	stub 4, 0
	stub 5, 0
	stub 6, 0
	stub 7, 0
	stub 8, 1
	stub 9, 0
	stub 10, 1
	stub 11, 1
	stub 12, 1
	stub 13, 1
	stub 14, 1
	stub 15, 0
	stub 16, 0
	stub 17, 1
	stub 18, 0
	stub 19, 0
	stub 20, 0
	stub 21, 1
	stub 22, 0
	stub 23, 0
	stub 24, 0
	stub 25, 0
	stub 26, 0
	stub 27, 0
	stub 28, 0
	stub 29, 1
	stub 30, 1
	stub 31, 0
	stub 32, 0
	stub 33, 0
	stub 34, 0
	stub 35, 0
	stub 36, 0
	stub 37, 0
	stub 38, 0
	stub 39, 0
	stub 40, 0
	stub 41, 0
	stub 42, 0
	stub 43, 0
	stub 44, 0
	stub 45, 0
	stub 46, 0
	stub 47, 0

	/* The local APIC's vectors (kernel/apic.h). */
	.irp v, 240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255
	stub \v, 0
	.endr

	.section .rodata
	.align 4
	.global trap_stub_table
trap_stub_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long trap_stub_\v
	.endr

	.global trap_stub_apic_table
trap_stub_apic_table:
	.irp v, 240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255
	.long trap_stub_\v
	.endr
