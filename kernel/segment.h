/* The GDT's kernel segment selectors. Constants only, so that the entry
 * code (kernel/entry.S) and C share one definition. */
#ifndef KERNEL_SEGMENT_H
#define KERNEL_SEGMENT_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10

#endif
