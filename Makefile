# The two commands of the README are `make run` and `make test`; the rest are helpers.
PRESET ?= release
TEST_PRESET ?= $(if $(CI),ci,release)
JOBS ?= $(shell nproc)
BUILD_DIR = build/$(PRESET)
PORT ?= 8080

.PHONY: run test build setup bench clean format

setup:
	@scripts/setup.sh

build: setup
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)
	@npm --prefix web run build --silent

run: build
	@mkdir -p var
	@$(BUILD_DIR)/sscard serve --demo --data var --port $(PORT) --web web/dist

test: setup
	@scripts/test.sh $(TEST_PRESET)

bench: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@bench/run.sh

clean:
	rm -rf build
