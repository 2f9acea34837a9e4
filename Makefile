# Common commands. Each is a thin wrapper; see scripts/ for what they do.
.PHONY: bin build release test start proto bench clean

BINARIES = tinyscheduler-server tinykv-server tinysql-server tinykv-ctl tinykv-bench tinykv-playground

# `make`: release builds of the servers and tools, copied into bin/ (as TinyKV's `make`).
bin: release
	mkdir -p bin
	for binary in $(BINARIES); do cp "$$(swift build -c release --show-bin-path)/$$binary" bin/; done
	@echo "bin/: $(BINARIES)"

build:
	swift build

release:
	swift build -c release

test:
	scripts/test.sh

start:
	scripts/start.sh

# Regenerate Sources/TinyKVProto and Sources/TinyKVGRPC from proto/*.proto (needs protoc).
proto:
	scripts/install-deps.sh --proto
	scripts/gen-proto.sh

bench: release
	.build/release/tinykv-bench --help

clean:
	rm -rf .build bin
