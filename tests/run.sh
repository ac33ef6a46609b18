#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs the unit tests (as built, then under ASan and UBSan), the
# end-to-end tests, a short pass of the fuzzers and the checks of what is
# shipped (man page, completion, install, unit, package), and the feature
# matrix on Debian kernels under qemu (tests/kernels), as TAP under prove.
set -eu
cd "$(dirname "$0")/.."
export CMOCKA_MESSAGE_OUTPUT=TAP
units=
for t in tests/unit/test_*.c; do
	t=${t##*/}
	units="$units .output/tests/${t%.c} .output/san/${t%.c}"
done
# --failures --comments: a failing test says why in CI's log, not only its number
# shellcheck disable=SC2086,SC2046
exec prove --failures --comments --exec '' $units tests/e2e/*.bats tests/fuzz/*.bats $(ls tests/dist/*.bats 2>/dev/null) \
	tests/kernels/*.bats
