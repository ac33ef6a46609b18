#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs the unit tests and the end-to-end tests as TAP under prove.
set -eu
cd "$(dirname "$0")/.."
export CMOCKA_MESSAGE_OUTPUT=TAP
exec prove --exec '' .output/tests/test_format .output/tests/test_options tests/e2e/*.bats
