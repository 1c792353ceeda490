// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "pilot-worker",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pilot-worker", targets: ["pilot-worker"]),
        .executable(name: "pilotctl", targets: ["pilotctl"]),
        .executable(name: "pilot-bench", targets: ["pilot-bench"]),
        .executable(name: "pilot-web", targets: ["pilot-web"]),
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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
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
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
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
        .target(name: "PilotStore", dependencies: ["CSQLite", "CPostgres", "PilotJSON"]),
        // libcurl's easy handle, its errors and a pool of handles: SMTP, webhooks and S3.
        .target(name: "PilotCurl", dependencies: ["CCurl"]),

        // Event schemas (loaded from a folder at run time), validation, typed events.
        .target(name: "Contracts", dependencies: ["PilotJSON", "CJSONC"]),

        // Pure domain code: criteria, agreement, kickoff slot, .ics and .eml rendering. No I/O.
        .target(
            name: "PilotDomain",
            dependencies: [
                "PilotJSON", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // What a stage handler sees and returns: the event, the pilot's snapshot, the
        // context with the clock, the outcome. No I/O: no runtime, store or AMQP.
        .target(
            name: "PilotStageAPI",
            dependencies: ["PilotJSON", "Contracts", .product(name: "Logging", package: "swift-log")]
        ),

        // Consume loop, failure policy, topology, reconnects, shutdown.
        .target(
            name: "PilotRuntime",
            dependencies: [
                "PilotJSON", "PilotAMQP", "Contracts", "PilotStore", "PilotStageAPI", "CPosix",
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
                .product(name: "FlyingSocks", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // One handler per stage: the sales:pilot action itself. Pure by construction: it
        // sees the stage API, the domain and the contracts, never the runtime, the store or
        // AMQP (and PurityTests keeps file and clock APIs out of its sources).
        .target(
            name: "PilotStages",
            dependencies: ["PilotStageAPI", "PilotDomain", "PilotJSON", "Contracts"]
        ),

        // One check for an event that comes in from outside (a file, an HTTP body):
        // envelope, thread id and schema, shared by pilotctl and pilot-web.
        .target(name: "PilotIntake", dependencies: ["PilotStageAPI", "Contracts", "PilotJSON"]),

        // What operators look at and do beside the workers, shared by pilotctl and pilot-web:
        // queue depths (management API or passive declares), dead-letter listing and replay.
        .target(name: "PilotOperations", dependencies: ["PilotRuntime", "PilotAMQP", "PilotJSON"]),

        // pilot-web's routes: events and DocuSign Connect in over HTTP, published with
        // confirms; the buyer's pilot page and the ops dashboard, rendered from templates.
        .target(
            name: "PilotWeb",
            dependencies: [
                "PilotIntake", "PilotRuntime", "PilotStageAPI", "PilotAMQP", "PilotJSON", "Contracts", "PilotStore",
                "PilotDomain", "PilotOperations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Static")]
        ),
        .executableTarget(
            name: "pilot-web",
            dependencies: [
                "PilotWeb", "PilotRuntime", "Contracts", "PilotObjectStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Documents in an S3-compatible bucket (libcurl, SigV4), and the one factory that
        // picks the workspace or a bucket from PILOT_DOCUMENTS for every executable.
        .target(
            name: "PilotObjectStore",
            dependencies: [
                "CCurl", "Contracts", "PilotCurl", "PilotRuntime", "PilotStageAPI",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The delivery stage: mail over SMTP and signed webhooks out, through libcurl.
        .target(
            name: "PilotDelivery",
            dependencies: [
                "CCurl", "PilotCurl", "PilotRuntime", "PilotStageAPI", "PilotJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),

        .executableTarget(
            name: "pilot-worker",
            dependencies: [
                "PilotRuntime", "PilotAMQP", "Contracts", "PilotStore", "PilotStages", "PilotTelemetry", "PilotDelivery",
                "PilotObjectStore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "pilotctl",
            dependencies: [
                "PilotIntake", "PilotRuntime", "PilotStageAPI", "PilotAMQP", "PilotJSON", "Contracts", "PilotStore",
                "PilotOperations", "PilotDomain", "PilotObjectStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "pilot-bench",
            dependencies: [
                "PilotRuntime", "PilotStageAPI", "PilotAMQP", "PilotJSON", "CJSONC", "CRabbitMQ", "PilotStages", "PilotStore", "Contracts", "PilotDomain",
                "PilotObjectStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/pilot-bench"
        ),

        // Starts private brokers and worker processes for the integration tests.
        .target(
            name: "PilotTestKit",
            dependencies: [
                "PilotAMQP", "PilotJSON", "PilotRuntime", "PilotStageAPI", "Contracts", "PilotObjectStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PilotTestKit"
        ),
        .testTarget(name: "PilotJSONTests", dependencies: ["PilotJSON", "CJSONC"]),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts", "PilotJSON"]),
        .testTarget(name: "PilotStoreTests", dependencies: ["PilotStore", "PilotJSON", "PilotTestKit"]),
        .testTarget(name: "PilotStageAPITests", dependencies: ["PilotStageAPI", "Contracts", "PilotJSON"]),
        .testTarget(
            name: "PilotDomainTests",
            dependencies: ["PilotDomain", "PilotJSON", "Contracts", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["python", "Fixtures"]),
        .testTarget(
            name: "PilotStagesTests",
            dependencies: [
                "PilotStages", "PilotStageAPI", "PilotDomain", "Contracts", "PilotRuntime", "PilotTestKit", "PilotAMQP",
                "PilotJSON", "PilotStore", .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["python"]
        ),
        .testTarget(
            name: "PilotRuntimeTests",
            dependencies: [
                "PilotRuntime", "PilotStageAPI", "PilotStore", "PilotTestKit", "PilotAMQP", "PilotJSON", "Contracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PilotTelemetryTests",
            dependencies: [
                "PilotTelemetry", "PilotRuntime", "PilotStore", "PilotTestKit", "PilotJSON",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["python"]
        ),
        .testTarget(
            name: "PilotWebTests",
            dependencies: [
                "PilotWeb", "PilotIntake", "PilotRuntime", "PilotStageAPI", "PilotTestKit", "PilotAMQP", "PilotJSON", "Contracts",
                "PilotStore", "PilotDomain", "PilotObjectStore", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            exclude: ["python"]
        ),
        .testTarget(
            name: "PilotObjectStoreTests",
            dependencies: ["PilotObjectStore", "PilotRuntime", "PilotStageAPI", "PilotTestKit"]
        ),
        .testTarget(
            name: "PilotDeliveryTests",
            dependencies: [
                "PilotDelivery", "PilotRuntime", "PilotStageAPI", "PilotTestKit", "PilotAMQP", "PilotJSON", "PilotObjectStore",
                "CCurl", "PilotCurl", .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["python"]
        ),
    ]
)
