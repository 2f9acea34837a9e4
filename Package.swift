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
        "Raft", "Storage", "Engine", "TinyKVProto",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]
    ),

    // MARK: Server and clients

    .target(
      name: "KVServer",
      dependencies: [
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
    .executableTarget(
      name: "TinyKVServer",
      dependencies: [
        "KVServer",
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
        .product(name: "TOMLKit", package: "TOMLKit"),
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
    .testTarget(name: "RaftTests", dependencies: ["Raft", "TinyKVProto", "Randomness"]),
    .testTarget(name: "LinearizabilityTests", dependencies: ["Linearizability", "Randomness"]),
    .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"]),
    .testTarget(
      name: "RaftStoreTests",
      dependencies: [
        "RaftStore", "Raft", "Storage", "Engine", "TinyKVProto", "TestSupport", "Randomness",
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
        "TinyKVProto",
        "TinyKVGRPC",
        "TestSupport",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
      ]
    ),
    .testTarget(
      name: "SchedulerTests",
      dependencies: [
        "Scheduler",
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
