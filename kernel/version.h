/* The kernel's release string, as oops and panic lines print it. */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#define KERNEL_NAME "netconsole-harness"
#define KERNEL_RELEASE "0.1.0-nc"
#define KERNEL_BUILD "#1"

#endif
