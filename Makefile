# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Developer entry points. Everything runs in venvs under .venv/ that the tools create.
# Pass options with ARGS, e.g.: make test ARGS="--only sanity --core 2.21"

ARGS ?=

.PHONY: help test sanity units integration demo benchmark changelog build clean

help:
	@echo "make test         sanity + units + integration on ansible-core 2.16 and 2.21, changelog lint, build"
	@echo "make sanity       ansible-test sanity only (both cores)"
	@echo "make units        ansible-test units only (both cores)"
	@echo "make integration  integration tests against the local emulator only (both cores)"
	@echo "make demo         run examples/demo.yml against the local emulator"
	@echo "make benchmark    requests per module call, per-task cost and scale (docs/performance.md)"
	@echo "make clean        remove .venv/, tests/output/ and built artifacts"
	@echo "More options: tools/test --help, tools/demo --help"

test:
	tools/test $(ARGS)

sanity units integration changelog build:
	tools/test --only $@ $(ARGS)

demo:
	tools/demo $(ARGS)

benchmark:
	tools/benchmark $(ARGS)

clean:
	rm -rf .venv tests/output prefect-cloud-*.tar.gz
