import Cryptography
import Foundation
import PolicyKit
import Vapor

public enum DatabaseKind: String, Codable, Sendable {
    case sqlite
    case postgresql
}

/// What `configure` decided from the environment, kept for routes and commands.
public struct Settings: Sendable {
    public var databaseKind: DatabaseKind
    /// The PostgreSQL URL when `databaseKind` is `.postgresql`, for the child processes that read the same database.
    public var databaseURL: String?
    public var dataDirectory: String
    /// The checkout or install folder holding `Resources/`, `Public/`, `Policies/` and `Examples/`.
    public var homeDirectory: String
    public var policiesDirectory: String
    public var rounds: RoundCatalog
    var security: SecurityConfiguration
    var cryptography: CryptographySettings
    var uploads = UploadLimits.fromEnvironment()
    var reports = ReportLimits.fromEnvironment()

    var attachments: AttachmentStore {
        AttachmentStore(directory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments", isDirectory: true))
    }
}

/// `JIGAI_GUOMI=1` switches to the 国密 algorithms (GB/T 39786): SM3 for the audit chain and the digests of stored
/// files. The provider is the seam where a certified device (密码机) replaces the software implementation.
struct CryptographySettings: Sendable {
    var guomi: Bool
    var provider: any CryptoProvider

    var digest: DigestAlgorithm { guomi ? .sm3 : .sha256 }

    static func fromEnvironment() throws -> CryptographySettings {
        CryptographySettings(guomi: Environment.get("JIGAI_GUOMI") == "1", provider: try OpenSSLProvider())
    }
}

/// `JIGAI_UPLOAD_MAX_FILE_MB` (20) a file, `JIGAI_UPLOAD_MAX_APPLICATION_MB` (300) all files of one application.
struct UploadLimits: Sendable {
    var maximumFileBytes: Int64
    var maximumApplicationBytes: Int64

    static func fromEnvironment() -> UploadLimits {
        let megabytes = { (name: String, fallback: Int64) in (Environment.get(name).flatMap(Int64.init) ?? fallback) * 1024 * 1024 }
        return UploadLimits(maximumFileBytes: megabytes("JIGAI_UPLOAD_MAX_FILE_MB", 20), maximumApplicationBytes: megabytes("JIGAI_UPLOAD_MAX_APPLICATION_MB", 300))
    }
}

extension Vapor.Application {
    private struct SettingsKey: StorageKey {
        typealias Value = Settings
    }

    public var settings: Settings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:) has not run") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
