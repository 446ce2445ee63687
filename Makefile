# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Developer entry points. The tests are nox sessions (noxfile.py, antsibull-nox.toml) in venvs under
# .nox/; tools/test installs nox into .venv/nox. Pass options with ARGS, e.g.:
#   make test ARGS="-s units-2.22"        make demo ARGS="-- -v"

ARGS ?=

.PHONY: help test sanity units integration lint demo benchmark clean

help:
	@echo "make test         every nox session: lint, docs, license, galaxy-importer, EE, changelog, workflow,"
	@echo "                  sanity + units + integration on ansible-core 2.16 and 2.22, lower bounds"
	@echo "make sanity       ansible-test sanity only (both cores)"
	@echo "make units        ansible-test units only (both cores)"
	@echo "make integration  integration tests against the local emulator only (both cores)"
	@echo "make lint         the lint sessions (flake8, pylint, yamllint, ansible-lint, shellcheck, workflow)"
	@echo "make demo         run examples/demo.yml against the local emulator"
	@echo "make benchmark    requests per module call, per-task cost and scale (docs/performance.md)"
	@echo "make clean        remove .venv/, .nox/, tests/output/ and built artifacts"
	@echo "More options: tools/test -l (the sessions), tools/demo --help, tools/benchmark --help"

test:
	tools/test $(ARGS)

sanity units integration:
	tools/test -s $@-2.16 $@-2.22 $(ARGS)

lint:
	tools/test -s lint ansible-lint shellcheck workflow-lint $(ARGS)

demo:
	tools/demo $(ARGS)

benchmark:
	tools/benchmark $(ARGS)

clean:
	rm -rf .venv .nox tests/output prefect-cloud-*.tar.gz
