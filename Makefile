# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Developer entry points. Everything runs in venvs under .venv/ that the tools create.
# Pass options with ARGS, e.g.: make test ARGS="--only sanity --core 2.22"

ARGS ?=

.PHONY: help test sanity units integration demo benchmark changelog build clean nox

help:
	@echo "make test         sanity + units + integration on ansible-core 2.16 and 2.22, lower bounds, lint, docs, EE, galaxy-importer"
	@echo "make sanity       ansible-test sanity only (both cores)"
	@echo "make units        ansible-test units only (both cores)"
	@echo "make integration  integration tests against the local emulator only (both cores)"
	@echo "make demo         run examples/demo.yml against the local emulator"
	@echo "make benchmark    requests per module call, per-task cost and scale (docs/performance.md)"
	@echo "make nox          every nox session (noxfile.py), the successor of make test"
	@echo "make clean        remove .venv/, .nox/, tests/output/ and built artifacts"
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
	rm -rf .venv .nox tests/output prefect-cloud-*.tar.gz

# The nox sessions (noxfile.py, antsibull-nox.toml): the successor of tools/test, see README.
nox:
	tools/nox $(ARGS)
