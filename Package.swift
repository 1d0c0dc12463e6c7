// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "PeerStore",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "peerstore-server", targets: ["PeerStoreServer"]),
        .executable(name: "peerstore-client", targets: ["PeerStoreClient"]),
        .executable(name: "peerstore-gen", targets: ["PeerStoreGen"]),
        .executable(name: "chord-sim", targets: ["ChordSim"]),
        // For the fuzz package (Fuzz/, built only by scripts/fuzz.sh): the modules whose decoders it feeds.
        .library(name: "PeerStoreWire", targets: ["PeerStoreWire"]),
        .library(name: "PeerStoreBackup", targets: ["PeerStoreBackup"]),
        .library(name: "BlockStore", targets: ["BlockStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // No default traits: keeps swift-configuration and full Foundation out of the build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
    ],
    targets: [
        // C shims
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
        .systemLibrary(
            name: "CLZ4", pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]),
        // The system's OpenSSL libcrypto: AES-256-GCM and ChaCha20-Poly1305 with the CPU's vector instructions.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CXXHash", pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]),
        // Zstandard: the chunk compressor for small files, where LZ4's ratio is weakest.
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),

        // Libraries, lowest first
        .target(name: "PeerStoreCrypto", dependencies: ["CSodium", "COpenSSL", "CXXHash"]),
        .target(name: "PeerStoreConcurrency", dependencies: [.product(name: "NIOPosix", package: "swift-nio")]),
        .target(name: "ChordRing", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // Value types shared by the node, the wire and the client: block ids, signed records and their rules.
        .target(
            name: "PeerStoreModel",
            dependencies: ["PeerStoreCrypto", "ChordRing", .product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "BlockStore",
            dependencies: [
                "PeerStoreModel", "PeerStoreCrypto", "ChordRing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .target(
            name: "PeerStoreWire",
            dependencies: [
                "ChordRing", "PeerStoreModel", "PeerStoreCrypto", "PeerStoreConcurrency",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .target(
            name: "PeerStoreNode",
            dependencies: [
                "PeerStoreWire", "BlockStore", "PeerStoreModel", "ChordRing", "PeerStoreCrypto", "PeerStoreConcurrency",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        // The node's Prometheus exporter: the swift-metrics backend and the HTTP endpoint that serves it.
        .target(
            name: "PeerStoreHTTP",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "PeerStoreBackup",
            dependencies: [
                "PeerStoreWire", "PeerStoreCrypto", "PeerStoreModel", "ChordRing", "CLZ4", "CZstd", "PeerStoreConcurrency",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .target(
            name: "PeerStoreTestKit",
            dependencies: [
                "PeerStoreCrypto", "ChordRing", "PeerStoreModel", "PeerStoreWire", "PeerStoreBackup", "PeerStoreConcurrency",
                "COpenSSL",
                .product(name: "HeapModule", package: "swift-collections"),
            ]),

        // What the executables share about their command lines: `-config FILE`.
        .target(
            name: "PeerStoreCommandLine",
            dependencies: [
                .product(name: "Yams", package: "Yams"), .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Executables: command lines only
        .executableTarget(
            name: "PeerStoreServer",
            dependencies: [
                "PeerStoreNode", "PeerStoreCommandLine", "PeerStoreHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "PeerStoreClient",
            dependencies: [
                "PeerStoreBackup", "PeerStoreCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "ChordSim",
            dependencies: [
                "ChordRing", "PeerStoreTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "PeerStoreGen",
            dependencies: [
                "PeerStoreTestKit", "PeerStoreCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests: one target per library, plus end-to-end tests against real processes
        .testTarget(name: "PeerStoreCryptoTests", dependencies: ["PeerStoreCrypto"]),
        .testTarget(name: "PeerStoreConcurrencyTests", dependencies: ["PeerStoreConcurrency"]),
        .testTarget(name: "PeerStoreCommandLineTests", dependencies: ["PeerStoreCommandLine"]),
        .testTarget(name: "ChordRingTests", dependencies: ["ChordRing", "PeerStoreTestKit"]),
        .testTarget(name: "PeerStoreModelTests", dependencies: ["PeerStoreModel", "PeerStoreCrypto"]),
        .testTarget(
            name: "BlockStoreTests",
            dependencies: [
                "BlockStore", "PeerStoreModel", "PeerStoreCrypto", "PeerStoreTestKit",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]),
        .testTarget(
            name: "PeerStoreWireTests",
            dependencies: [
                "PeerStoreWire", "PeerStoreCrypto", "PeerStoreModel", "ChordRing", "PeerStoreTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]),
        .testTarget(
            name: "PeerStoreNodeTests",
            dependencies: [
                "PeerStoreNode", "PeerStoreWire", "PeerStoreTestKit", "BlockStore", "ChordRing", "PeerStoreCrypto",
                "PeerStoreModel", "PeerStoreBackup",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]),
        .testTarget(name: "PeerStoreBackupTests", dependencies: ["PeerStoreBackup", "PeerStoreModel", "ChordRing", "PeerStoreTestKit", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "PeerStoreHTTPTests",
            dependencies: [
                "PeerStoreHTTP", "PeerStoreTestKit",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["PeerStoreBackup", "PeerStoreWire", "PeerStoreTestKit", "PeerStoreModel"]),
    ]
)
