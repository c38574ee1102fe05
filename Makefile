# Jigai — the two commands a user needs are `make run` and `make test`.
SWIFT ?= swift
PORT ?= 8080
HOST ?= 127.0.0.1
JIGAI := .build/debug/jigai

.PHONY: setup build run test test-sqlite test-postgres bench e2e

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build --product jigai

run: build
	$(JIGAI) migrate --yes
	$(JIGAI) demo
	$(JIGAI) serve --hostname $(HOST) --port $(PORT)

test: setup
	$(SWIFT) build --build-tests
	@echo "== 全部测试（SQLite）=="
	$(SWIFT) test --skip-build
	bash scripts/test-postgres.sh
	bash scripts/e2e.sh

test-sqlite: setup
	$(SWIFT) test

test-postgres: setup
	$(SWIFT) build --build-tests
	bash scripts/test-postgres.sh

bench: setup
	$(SWIFT) build -c release --product PolicyBench
	.build/release/PolicyBench

e2e: setup
	$(SWIFT) build --product jigai
	bash scripts/e2e.sh
