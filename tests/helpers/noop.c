// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A program that does nothing: the exec target of the end-to-end tests.
 * Static, so that running it execs nothing else (no dynamic loader).
 *
 * Build: cc -O2 -Wall -Wextra -Werror -static tests/helpers/noop.c -o .output/tests/noop
 */
int main(void)
{
	return 0;
}
