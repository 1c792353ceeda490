// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "pilot-worker",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pilot-worker", targets: ["pilot-worker"]),
        .executable(name: "pilotctl", targets: ["pilotctl"]),
        .executable(name: "pilot-bench", targets: ["pilot-bench"]),
        // For tools built beside the package (Fuzzing/): the modules a message body goes through.
        .library(name: "PilotJSON", targets: ["PilotJSON"]),
        .library(name: "Contracts", targets: ["Contracts"]),
        .library(name: "PilotDomain", targets: ["PilotDomain"]),
        .library(name: "PilotRuntime", targets: ["PilotRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.20.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C libraries from Debian, each wrapped once.
        .systemLibrary(
            name: "CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Linux calls Swift's Glibc module leaves out (syncfs).
        .target(name: "CPosix"),

        // The only modules that import the C libraries.
        .target(name: "PilotJSON", dependencies: ["CJSONC"]),
        .target(name: "PilotAMQP", dependencies: ["CRabbitMQ"]),
        .target(name: "PilotStore", dependencies: ["CSQLite", "PilotJSON"]),

        // Event schemas (loaded from a folder at run time), validation, typed events.
        .target(name: "Contracts", dependencies: ["PilotJSON"]),

        // Pure domain code: criteria, agreement, kickoff slot, .ics and .eml rendering. No I/O.
        .target(
            name: "PilotDomain",
            dependencies: ["PilotJSON", "Contracts", .product(name: "Mustache", package: "swift-mustache")]
        ),

        // Consume loop, failure policy, topology, reconnects, shutdown.
        .target(
            name: "PilotRuntime",
            dependencies: [
                "PilotJSON", "PilotAMQP", "Contracts", "PilotStore", "CPosix",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The worker's HTTP side: Prometheus /metrics, /healthz and /readyz.
        .target(
            name: "PilotTelemetry",
            dependencies: [
                "PilotRuntime", "PilotStore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // One handler per stage: the sales:pilot action itself.
        .target(
            name: "PilotStages",
            dependencies: ["PilotRuntime", "PilotDomain", "PilotStore", "PilotJSON", "Contracts"]
        ),

        // The delivery stage: mail over SMTP and signed webhooks out, through libcurl.
        .target(
            name: "PilotDelivery",
            dependencies: [
                "CCurl", "PilotRuntime", "PilotJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "pilot-worker",
            dependencies: [
                "PilotRuntime", "Contracts", "PilotStore", "PilotStages", "PilotTelemetry", "PilotDelivery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "pilotctl",
            dependencies: [
                "PilotRuntime", "PilotAMQP", "PilotJSON", "Contracts", "PilotStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "pilot-bench",
            dependencies: [
                "PilotRuntime", "PilotAMQP", "PilotJSON", "CRabbitMQ", "PilotStages", "PilotStore", "Contracts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/pilot-bench"
        ),

        // Starts private brokers and worker processes for the integration tests.
        .target(
            name: "PilotTestKit",
            dependencies: ["PilotAMQP", "PilotJSON", "PilotRuntime", "Contracts"],
            path: "Tests/PilotTestKit"
        ),
        .testTarget(name: "PilotJSONTests", dependencies: ["PilotJSON"]),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts", "PilotJSON"]),
        .testTarget(name: "PilotStoreTests", dependencies: ["PilotStore", "PilotJSON"]),
        .testTarget(
            name: "PilotDomainTests", dependencies: ["PilotDomain", "PilotJSON", "Contracts"], exclude: ["python"]),
        .testTarget(
            name: "PilotStagesTests",
            dependencies: ["PilotStages", "PilotRuntime", "PilotTestKit", "PilotAMQP", "PilotJSON", "PilotStore"],
            exclude: ["python"]
        ),
        .testTarget(
            name: "PilotRuntimeTests",
            dependencies: ["PilotRuntime", "PilotTestKit", "PilotAMQP", "PilotJSON", "Contracts"]
        ),
        .testTarget(
            name: "PilotTelemetryTests",
            dependencies: [
                "PilotTelemetry", "PilotRuntime", "PilotStore", "PilotTestKit", "PilotAMQP", "PilotJSON",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            exclude: ["python"]
        ),
        .testTarget(
            name: "PilotDeliveryTests",
            dependencies: [
                "PilotDelivery", "PilotRuntime", "PilotTestKit", "PilotAMQP", "PilotJSON",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            exclude: ["python"]
        ),
    ]
)
