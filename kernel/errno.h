/* Error numbers, negated as return values (Linux's convention: 0 or
 * -ENAME). Constants only: any context, and the host. */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EIO 5 /* the device did not do what the datasheet says it does */
#define EINVAL 22 /* an argument out of range (a frame too long or empty) */
#define ENOSPC 28 /* a fixed-size table is full */
#define ENODEV 19 /* no such device, or not one the driver can use */
#define ENETDOWN 100 /* the device is not open */
#define ENOBUFS 105 /* no transmit descriptor came free in time */
#define ETIMEDOUT 110 /* the device did not finish within its bound */

#endif
