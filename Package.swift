// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "jigai",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jigai", targets: ["jigai"]),
        .library(name: "PolicyKit", targets: ["PolicyKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // Vapor already resolves swift-crypto (4.x today); Cryptography uses its HMAC-SHA1/256/512 for TOTP.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(name: "PolicyKit"),
        .target(name: "CSpawn"),
        .target(name: "Spawn", dependencies: ["CSpawn"]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "Cryptography",
            dependencies: ["CLibCrypto", "CQREncode", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Documents", dependencies: ["PolicyKit", "CPangoCairo", "CXlsxWriter", "CQPDF"]),
        .target(
            name: "App",
            dependencies: [
                "PolicyKit",
                "Documents",
                "Spawn",
                "Cryptography",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
            ]
        ),
        .executableTarget(
            name: "jigai",
            dependencies: [
                "App",
                "PolicyKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "PolicyBench",
            dependencies: ["PolicyKit"],
            path: "Benchmarks/PolicyBench"
        ),
        .executableTarget(
            name: "DocumentBench",
            dependencies: ["Documents", "PolicyKit"],
            path: "Benchmarks/DocumentBench"
        ),
        .testTarget(name: "SpawnTests", dependencies: ["Spawn"]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"]),
        .testTarget(name: "PolicyKitTests", dependencies: ["PolicyKit"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents", "PolicyKit", "Spawn"]),
        .testTarget(name: "CommandLineTests", dependencies: ["jigai", "Spawn"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "Spawn",
                // The two-factor tests compute the authenticator's codes.
                "Cryptography",
                // The 失信名单 import tests write their .xlsx files with libxlsxwriter.
                "CXlsxWriter",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
