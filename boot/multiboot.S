/* Multiboot v1 header and the 32-bit entry point. GRUB (or QEMU's -kernel
 * loader) jumps to _start in protected mode with paging off, EAX holding the
 * Multiboot magic and EBX the physical address of the information structure. */

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* page-align modules, provide the memory map */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	/* The page below the stack stays unmapped (paging.c), so an overflow
	 * faults instead of overwriting whatever lies beneath. */
	.section .bss
	.align 4096
	.global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip 4096
boot_stack_bottom:
	.skip 16384
boot_stack_top:

	.section .text
	.global _start
	.type _start, @function
_start:
	cli
	cld
	mov $boot_stack_top, %esp
	/* A zero frame pointer and return address end every stack walk here. */
	xor %ebp, %ebp
	push %ebp
	push %ebp
	mov %esp, %ebp
	push %ebx
	push %eax
	call kernel_main
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start
