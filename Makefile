# The two commands of the README are `make run` and `make test`; the rest are helpers.
PRESET ?= release
TEST_PRESET ?= $(if $(CI),ci,release)
JOBS ?= $(shell nproc)
BUILD_DIR = build/$(PRESET)
PORT ?= 8080

.PHONY: run test build setup bench soak clean format

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

# The long harnesses (minutes to an hour): 1 000 kill -9 cycles on SQLite, 200 on PostgreSQL.
soak: build
	@scripts/soak.sh $(BUILD_DIR)/sscard

clean:
	rm -rf build
