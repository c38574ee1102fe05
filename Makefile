# Jigai — the two commands a user needs are `make run` and `make test`.
SWIFT ?= swift
PORT ?= 8080
HOST ?= 127.0.0.1
JIGAI := .build/debug/jigai
# The build folder; another one can be shared between checkouts (make bench BUILD=/path/to/.build).
BUILD ?= .build

PREFIX ?= /usr/local

.PHONY: setup build run test test-sqlite test-postgres bench reliability e2e api-check install

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build --product jigai

run: build
	$(JIGAI) migrate --yes
	$(JIGAI) demo
	$(JIGAI) serve --demo --hostname $(HOST) --port $(PORT)

test: setup
	$(SWIFT) build --build-tests
	@echo "== 全部测试（SQLite）=="
	$(SWIFT) test --skip-build
	bash scripts/test-postgres.sh
	bash scripts/e2e.sh
	bash scripts/api-check.sh
	python3 Benchmarks/reliability.py reliability $(JIGAI)

test-sqlite: setup
	$(SWIFT) test

test-postgres: setup
	$(SWIFT) build --build-tests
	bash scripts/test-postgres.sh

bench: setup .venv-bench/ready
	$(SWIFT) build -c release --scratch-path $(BUILD) --product PolicyBench
	$(SWIFT) build -c release --scratch-path $(BUILD) --product jigai
	$(SWIFT) build -c release --scratch-path $(BUILD) --product DocumentBench
	$(BUILD)/release/PolicyBench
	$(BUILD)/release/DocumentBench
	python3 Benchmarks/reliability.py bench $(BUILD)/release/jigai

# The executable in PREFIX/bin; templates, public files, round files and examples in PREFIX/share/jigai, where it finds them.
install: setup
	$(SWIFT) build -c release --product jigai --scratch-path $(BUILD)
	install -d $(PREFIX)/bin $(PREFIX)/share/jigai
	install -m 0755 $(BUILD)/release/jigai $(PREFIX)/bin/jigai
	rm -rf $(PREFIX)/share/jigai/Resources $(PREFIX)/share/jigai/Public $(PREFIX)/share/jigai/Examples
	cp -R Resources Public Examples $(PREFIX)/share/jigai/
	install -d $(PREFIX)/share/jigai/Policies
	cp Policies/*.json $(PREFIX)/share/jigai/Policies/

# The Python side of the document bench (python-docx makes the .docx LibreOffice converts; XlsxWriter is compared).
.venv-bench/ready:
	python3 -m venv .venv-bench
	.venv-bench/bin/pip install --quiet python-docx XlsxWriter
	touch $@

# Hostile uploads, large uploads streamed to disk, kill -9 during submissions, mixed load on SQLite and PostgreSQL:
# the real server on loopback ports.
# `make test` runs it on the debug build it has just made; RELEASE=1 measures the release build.
reliability: setup
ifeq ($(RELEASE),1)
	$(SWIFT) build -c release --product jigai --scratch-path $(BUILD)
	python3 Benchmarks/reliability.py reliability $(BUILD)/release/jigai
else
	$(SWIFT) build --product jigai
	python3 Benchmarks/reliability.py reliability $(JIGAI)
endif

e2e: setup
	$(SWIFT) build --product jigai
	bash scripts/e2e.sh

# The JSON API against docs/openapi.yaml with schemathesis, as each role: no 5xx, every response as documented.
api-check: setup
	$(SWIFT) build --product jigai
	bash scripts/api-check.sh
