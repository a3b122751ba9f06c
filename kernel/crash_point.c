#include "kernel/crash_point.h"

crash_point_fn crash_point_handler;

void crash_point_register(crash_point_fn fn)
{
	crash_point_handler = fn;
}
