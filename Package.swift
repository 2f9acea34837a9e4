// swift-tools-version: 6.1
//
// TinyKV-Swift: a distributed transactional key-value store speaking the TinyKV protocol.
// Modules are layered bottom-up (see docs/ARCHITECTURE.md); imports only point down.

import PackageDescription

let package = Package(
  name: "TinyKVSwift",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "tinykv-server", targets: ["TinyKVServer"]),
    .executable(name: "tinykv-ctl", targets: ["TinyKVCtl"]),
    .executable(name: "tinykv-bench", targets: ["TinyKVBench"]),
    .executable(name: "raft-bench", targets: ["RaftBench"]),
    .executable(name: "tinyscheduler-server", targets: ["TinySchedulerServer"]),
    .executable(name: "scheduler-bench", targets: ["SchedulerBench"]),
    .executable(name: "tinykv-playground", targets: ["TinyKVPlayground"]),
  ],
  dependencies: [
    .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
    // Default traits make SwiftProtobuf rebuild on every other build; none are needed.
    .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0", traits: []),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
  ],
  targets: [
    // MARK: Protocol

    /// Messages generated from proto/*.proto (scripts/gen-proto.sh); no gRPC dependency, so the
    /// Raft library and the MVCC layer can use the wire types without linking the RPC stack.
    .target(
      name: "TinyKVProto",
      dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
    ),
    /// grpc-swift 2 service stubs (TinyKv, Scheduler) generated from the same files.
    .target(
      name: "TinyKVGRPC",
      dependencies: [
        "TinyKVProto",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
      ]
    ),

    // MARK: Consensus

    /// Named fault-injection points (fail-rs style), off unless a test or the environment
    /// configures them.
    .target(name: "Failpoints", dependencies: ["Randomness"]),
    /// The Raft library: a pure state machine (no I/O, clocks or threads); see docs/RAFT.md.
    /// SplitMix64, the seeded generator everything that replays from a seed shares.
    .target(name: "Randomness"),
    .target(name: "Raft", dependencies: ["TinyKVProto", "Randomness"]),
    /// Porcupine-style linearizability checker and history recorder, for the cluster tests and
    /// the chaos harness; see docs/LINEARIZABILITY.md.
    .target(name: "Linearizability"),
    /// In-memory benchmark of the Raft library (committed entries per second).
    .executableTarget(name: "RaftBench", dependencies: ["Raft", "TinyKVProto"]),

    // MARK: Storage engine

    .systemLibrary(
      name: "CRocksDB",
      pkgConfig: "rocksdb",
      providers: [.apt(["librocksdb-dev"])]
    ),
    .target(name: "Engine", dependencies: ["CRocksDB"]),
    .target(name: "Storage", dependencies: ["Engine", "TinyKVProto"]),
    .target(name: "Transaction", dependencies: ["Storage", "Engine", "TinyKVProto"]),
    .testTarget(
      name: "TransactionTests",
      dependencies: [
        "Transaction", "Storage", "Engine", "TinyKVProto", "Client", "TestSupport", "Randomness",
      ]),
    /// The replicated store: peers, batch system and `RaftStorage`; see docs/RAFTSTORE.md.
    .target(
      name: "RaftStore",
      dependencies: [
        "Raft", "Storage", "Engine", "TinyKVProto", "Failpoints",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]
    ),

    // MARK: Server and clients

    /// Metrics for operators: the gRPC metrics interceptor and the HTTP status server
    /// (`/metrics` for Prometheus, `/health`).
    .target(
      name: "Observability",
      dependencies: [
        "Failpoints",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    /// What every server process needs: graceful shutdown on SIGINT/SIGTERM.
    .target(name: "ServerSupport"),
    /// `tinykv-playground`: the scheduler and N stores on loopback with one command.
    .executableTarget(
      name: "TinyKVPlayground",
      dependencies: [
        "Client", "ServerSupport", "TinyKVProto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    /// TOML configuration files read key by key, unknown keys refused.
    .target(name: "ConfigFile", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),

    /// A store joining its cluster: identity, bootstrap, registration, store heartbeats.
    .target(
      name: "StoreNode",
      dependencies: [
        "RaftStore", "Client", "Engine", "TinyKVProto",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),

    .target(
      name: "KVServer",
      dependencies: [
        "RaftStore",
        "Storage",
        "Transaction",
        "TinyKVProto",
        "TinyKVGRPC",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "Client",
      dependencies: [
        "TinyKVProto",
        "TinyKVGRPC",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ]
    ),
    /// Store-to-store transport over gRPC: Raft streams and snapshot streams; see
    /// docs/TRANSPORT.md.
    .target(
      name: "RaftTransport",
      dependencies: [
        "RaftStore",
        "Failpoints",
        "Client",
        "TinyKVProto",
        "TinyKVGRPC",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "TinyKVServer",
      dependencies: [
        "KVServer",
        "Transaction",
        "ConfigFile",
        "Failpoints",
        "ServerSupport",
        "RaftStore",
        "RaftTransport",
        "StoreNode",
        "Observability",
        .product(name: "Metrics", package: "swift-metrics"),
        "Client",
        "Storage",
        "Engine",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "TinyKVCtl",
      dependencies: [
        "Client",
        "TinyKVProto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "TinyKVBench",
      dependencies: [
        "Client",
        "RaftStore",
        "Storage",
        "Engine",
        "Randomness",
        "TinyKVProto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ]
    ),

    // MARK: Scheduler

    /// The cluster's brain (PD's role): ids, TSO, the cluster map, operators and schedulers, and
    /// the gRPC `Scheduler` service over them.
    .target(
      name: "Scheduler",
      dependencies: [
        "Randomness",
        "TinyKVProto",
        "TinyKVGRPC",
        "Engine",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "TinySchedulerServer",
      dependencies: [
        "Scheduler",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        "ConfigFile",
        "Observability",
        "Client",
        "ServerSupport",
      ]
    ),
    /// Benchmark of the scheduler (TSO, heartbeats, lookups); see docs/SCHEDULER.md.
    .executableTarget(
      name: "SchedulerBench",
      dependencies: [
        "Scheduler",
        "Client",
        "TinyKVProto",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),

    // MARK: Tests

    .target(
      name: "TestSupport",
      dependencies: [],
      path: "Tests/TestSupport"
    ),
    /// A real scheduler served in-process, for tests of what talks to one.
    .target(
      name: "SchedulerFixture",
      dependencies: [
        "Scheduler", "Client",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ],
      path: "Tests/SchedulerFixture"
    ),
    .testTarget(name: "RaftTests", dependencies: ["Raft", "TinyKVProto", "Randomness"]),
    .testTarget(name: "ConfigFileTests", dependencies: ["ConfigFile"]),
    .testTarget(name: "FailpointsTests", dependencies: ["Failpoints"]),
    .testTarget(name: "LinearizabilityTests", dependencies: ["Linearizability", "Randomness"]),
    .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"]),
    .testTarget(
      name: "RaftStoreTests",
      dependencies: [
        "RaftStore", "Raft", "Storage", "Engine", "TinyKVProto", "TestSupport", "Randomness",
        "Linearizability",
      ]
    ),
    .testTarget(name: "StorageTests", dependencies: ["Storage", "Engine", "TestSupport"]),
    .testTarget(
      name: "KVServerTests",
      dependencies: ["KVServer", "Storage", "TinyKVProto", "TestSupport"]
    ),
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "Client",
        "Linearizability",
        "Randomness",
        "TinyKVProto",
        "TinyKVGRPC",
        "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ]
    ),
    .testTarget(
      name: "StoreNodeTests",
      dependencies: [
        "StoreNode", "Scheduler", "SchedulerFixture", "Client", "RaftStore", "Engine",
        "Storage", "Randomness", "TinyKVProto", "TestSupport",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "RaftTransportTests",
      dependencies: [
        "RaftTransport",
        "RaftStore",
        "KVServer",
        "Scheduler",
        "Randomness",
        "Client",
        "Engine",
        "Storage",
        "TinyKVProto",
        "TinyKVGRPC",
        "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ]
    ),
    .testTarget(
      name: "ClientTests",
      dependencies: [
        "Client",
        "Scheduler",
        "Transaction",
        "Storage",
        "Randomness",
        "TinyKVProto",
        "TinyKVGRPC",
        "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "SchedulerTests",
      dependencies: [
        "Scheduler",
        "SchedulerFixture",
        "Randomness",
        "Client",
        "TinyKVProto",
        "TinyKVGRPC",
        "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
