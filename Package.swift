// swift-tools-version:6.1
import PackageDescription

// Every dependency here is rebuilt from scratch on each CI run (2 cores): keep the list short.

// Release builds of the hot targets skip the runtime's exclusivity checks (the compiler's static
// ones stay): each access to a class's stored property cost a swift_beginAccess and an entry in
// a thread-local access set, ~4 % of the store writer's instructions (callgrind). Debug builds,
// and so the tests, keep them.
let uncheckedExclusivityInRelease: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "SparkLedger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sparkledger", targets: ["sparkledger"]),
        .library(name: "SparkLedgerCore", targets: ["SparkLedgerCore"]),
        .library(name: "SparkLedgerStorage", targets: ["SparkLedgerStorage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // The runtime of the committed protobuf code; its plugin is built only by script/generate-protobuf.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        // Services with graceful shutdown: the Kafka consumer now, the HTTP server next to it later.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // Pipeline self-metrics are swift-metrics instruments; SparkLedgerMetrics is their backend.
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        // The HTTP server. Without its swift-configuration trait, and without HummingbirdTesting
        // (AsyncHTTPClient + NIOSSL): tests talk to a live server over loopback.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: ["FullFoundation"]),
    ],
    targets: [
        // Pure: events, validation, the fold, cost, aggregates. No I/O, no clock, no randomness.
        .target(name: "SparkLedgerCore", swiftSettings: uncheckedExclusivityInRelease),

        // System libraries: module map + pkg-config, nothing else.
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),

        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),

        // sqlite3_config is variadic, so Swift cannot call it: the one C function the store needs.
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),

        // librdkafka wrapper: every C call of Kafka lives here; raw records out.
        .target(name: "SparkLedgerKafka", dependencies: ["CRdKafka"]),

        // The protobuf encoding of envelopes: generated code (script/generate-protobuf) and its JSON mapping.
        .target(
            name: "SparkLedgerProtobuf",
            dependencies: ["SparkLedgerCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        // NDJSON / zstd streams and replay segments.
        .target(name: "SparkLedgerArchive", dependencies: ["CZstd", "SparkLedgerCore"], swiftSettings: uncheckedExclusivityInRelease),

        // The event store and its read models over SQLite (GRDB).
        .target(
            name: "SparkLedgerStorage",
            dependencies: [
                "SparkLedgerCore",
                "CSQLiteSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: uncheckedExclusivityInRelease
        ),

        // Deterministic synthetic histories for the demo, the tests and the benchmarks.
        .target(name: "SparkLedgerSynthetic", dependencies: ["SparkLedgerCore"]),

        // Files -> validated batches -> store: the ingest pipeline.
        .target(
            name: "SparkLedgerIngest",
            dependencies: [
                "SparkLedgerCore", "SparkLedgerArchive", "SparkLedgerStorage", "SparkLedgerKafka", "SparkLedgerProtobuf",
                "SparkLedgerMetrics",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: uncheckedExclusivityInRelease
        ),

        // Domain metrics (projections of the stored history) and pipeline self-metrics, as
        // Prometheus text and OTLP.
        .target(
            name: "SparkLedgerMetrics",
            dependencies: [
                "SparkLedgerCore", "SparkLedgerStorage",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The query API, /metrics and health over HTTP (Hummingbird).
        .target(
            name: "SparkLedgerHTTP",
            dependencies: [
                "SparkLedgerCore", "SparkLedgerStorage", "SparkLedgerMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The command line: the only place that parses flags.
        .executableTarget(
            name: "sparkledger",
            dependencies: [
                "SparkLedgerCore", "SparkLedgerArchive", "SparkLedgerStorage",
                "SparkLedgerSynthetic", "SparkLedgerIngest", "SparkLedgerKafka", "SparkLedgerMetrics", "SparkLedgerHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // mimalloc (Debian's libmimalloc-dev) replaces glibc's malloc for the whole process:
            // ingest and serve allocate millions of small strings on one thread and free them on
            // another, which glibc's arenas handle badly (ingest −15 %, replay −15 %; docs/PERFORMANCE.md).
            linkerSettings: [.linkedLibrary("mimalloc")]
        ),

        // Helpers shared by the test targets (temporary directories, running the CLI).
        .target(name: "SparkLedgerTestSupport", path: "Tests/SparkLedgerTestSupport"),
        // Phase-by-phase timings of ingest and replay, for scripts/benchmark (release builds only).
        .executableTarget(
            name: "sparkledger-benchmark",
            dependencies: ["SparkLedgerCore", "SparkLedgerArchive", "SparkLedgerStorage", "SparkLedgerIngest"],
            linkerSettings: [.linkedLibrary("mimalloc")]  // as `sparkledger`
        ),
        .testTarget(name: "SparkLedgerCoreTests", dependencies: ["SparkLedgerCore"]),
        .testTarget(name: "SparkLedgerArchiveTests", dependencies: ["SparkLedgerArchive", "SparkLedgerTestSupport"]),
        .testTarget(
            name: "SparkLedgerStorageTests",
            dependencies: [
                "SparkLedgerStorage", "SparkLedgerSynthetic", "SparkLedgerIngest", "SparkLedgerArchive", "SparkLedgerTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "SparkLedgerSyntheticTests", dependencies: ["SparkLedgerSynthetic", "SparkLedgerCore"]),
        .testTarget(
            name: "SparkLedgerSchemaTests",
            dependencies: ["SparkLedgerCore", "SparkLedgerSynthetic", "SparkLedgerTestSupport"],
            exclude: ["validate_with_jsonschema.py"]
        ),
        .testTarget(
            name: "SparkLedgerKafkaTests",
            dependencies: [
                "SparkLedgerKafka", "SparkLedgerIngest", "SparkLedgerStorage", "SparkLedgerCore", "SparkLedgerSynthetic",
                "SparkLedgerTestSupport", "SparkLedgerMetrics",
            ]
        ),
        .testTarget(
            name: "SparkLedgerProtobufTests",
            dependencies: [
                "SparkLedgerProtobuf", "SparkLedgerIngest", "SparkLedgerKafka", "SparkLedgerStorage", "SparkLedgerCore",
                "SparkLedgerSynthetic",
            ]
        ),
        .testTarget(
            name: "SparkLedgerHTTPTests",
            dependencies: [
                "SparkLedgerHTTP", "SparkLedgerMetrics", "SparkLedgerStorage", "SparkLedgerIngest", "SparkLedgerCore",
                "SparkLedgerSynthetic", "SparkLedgerTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["validate_openapi.py", "otlp_receiver.py", "check_promql.py"]
        ),
        .testTarget(
            name: "SparkLedgerSparkImportTests",
            dependencies: ["SparkLedgerIngest", "SparkLedgerStorage", "SparkLedgerArchive", "SparkLedgerCore", "SparkLedgerTestSupport"]
        ),
        .testTarget(
            name: "SparkLedgerEndToEndTests",
            dependencies: ["sparkledger", "SparkLedgerCore", "SparkLedgerTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
