# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Developer entry points. tools/test runs nox (noxfile.py, antsibull-nox.toml) from .venv/nox;
# each session has its own venv under .nox/. Pass nox options with ARGS, e.g.:
#   make test ARGS="-s units-2.22"      make integration ARGS="-- service_account"

ARGS ?=

.PHONY: help test lint sanity units integration demo benchmark build clean

help:
	@echo "make test         every nox session (what CI runs); tools/test -l lists them"
	@echo "make lint         lint, docs-check, license-check, extra-checks, ansible-lint"
	@echo "make sanity       ansible-test sanity on ansible-core 2.16 and 2.22"
	@echo "make units        ansible-test units on ansible-core 2.16 and 2.22"
	@echo "make integration  integration tests against the local emulator on 2.16 and 2.22"
	@echo "make build        build-import-check and galaxy-importer"
	@echo "make demo         run examples/demo.yml against the local emulator"
	@echo "make benchmark    requests per module call, per-task cost and scale (docs/performance.md)"
	@echo "make clean        remove .venv/, .nox/, tests/output/ and built artifacts"

test:
	tools/test $(ARGS)

lint:
	tools/test -s lint docs-check license-check extra-checks ansible-lint $(ARGS)

sanity units integration:
	tools/test -s $@-2.16 $@-2.22 $(ARGS)

build:
	tools/test -s build-import-check galaxy-importer $(ARGS)

demo:
	tools/demo $(ARGS)

benchmark:
	tools/benchmark $(ARGS)

clean:
	rm -rf .venv .nox tests/output prefect-cloud-*.tar.gz
