# Common commands. Each is a thin wrapper; see scripts/ for what they do.
.PHONY: build release test start proto bench clean

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
	rm -rf .build
