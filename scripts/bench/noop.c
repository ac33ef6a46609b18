// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Exec target for the benchmark: a static binary that only exits, so the
 * exec itself is nearly all of its cost. Without a C library where the
 * architecture is known, with one (-DNOOP_LIBC) elsewhere.
 */

#if !defined(NOOP_LIBC) && defined(__x86_64__)
void _start(void)
{
	__asm__ volatile("mov $231, %eax\n\t" /* exit_group */
			 "xor %edi, %edi\n\t"
			 "syscall");
	__builtin_unreachable();
}
#elif !defined(NOOP_LIBC) && defined(__aarch64__)
void _start(void)
{
	__asm__ volatile("mov x0, #0\n\t"
			 "mov x8, #94\n\t" /* exit_group */
			 "svc #0");
	__builtin_unreachable();
}
#else
int main(void)
{
	return 0;
}
#endif
