// swift-tools-version:6.1
// The libFuzzer targets: a package of its own so that the normal build never needs the fuzzer. Built only by
// scripts/fuzz.sh, with -sanitize=fuzzer,address; one executable, the target chosen by PEERSTORE_FUZZ_TARGET.
import PackageDescription

let package = Package(
    name: "PeerStoreFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "PeerStore", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "PeerStoreFuzz",
            dependencies: [
                .product(name: "PeerStoreWire", package: "PeerStore"),
                .product(name: "PeerStoreBackup", package: "PeerStore"),
                .product(name: "BlockStore", package: "PeerStore"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)
