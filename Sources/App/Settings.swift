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
    var auditRetention: AuditRetention
    var uploads = UploadLimits.fromEnvironment()
    var reports = ReportLimits.fromEnvironment()

    var attachments: AttachmentStore {
        AttachmentStore(directory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("attachments", isDirectory: true))
    }
}

/// `JIGAI_GUOMI=1` switches to the 国密 algorithms (GB/T 39786): SM3 for the audit chain and its exports. The
/// provider is the seam where a certified device (密码机) replaces the software implementation.
struct CryptographySettings: Sendable {
    var guomi: Bool
    var provider: any CryptoProvider

    var digest: DigestAlgorithm { guomi ? .sm3 : .sha256 }

    static func fromEnvironment() throws -> CryptographySettings {
        CryptographySettings(guomi: Environment.get("JIGAI_GUOMI") == "1", provider: try OpenSSLProvider())
    }
}

/// `JIGAI_AUDIT_RETENTION_DAYS` (180): how long the audit log is kept before `jigai audit purge` may remove events.
/// 网络安全法第二十一条 requires network logs to be kept no less than six months, so fewer days stop start-up, and a
/// purge also waits for six calendar months, which can be a few days longer than 180.
struct AuditRetention: Sendable {
    static let minimumDays = 180
    var days: Int

    static func fromEnvironment() throws -> AuditRetention {
        try parse(Environment.get("JIGAI_AUDIT_RETENTION_DAYS"))
    }

    static func parse(_ text: String?) throws -> AuditRetention {
        guard let text, !text.isEmpty else { return AuditRetention(days: minimumDays) }
        guard let days = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw CommandRefused(message: "JIGAI_AUDIT_RETENTION_DAYS=\(text) 不是整数天数")
        }
        guard days >= minimumDays else {
            throw CommandRefused(message: "JIGAI_AUDIT_RETENTION_DAYS=\(days) 少于 \(minimumDays) 天：网络安全法第二十一条要求网络日志留存不少于六个月，"
                                 + "操作日志至少保留 \(minimumDays) 天；请改为 \(minimumDays) 或更大的天数")
        }
        return AuditRetention(days: days)
    }

    /// The latest instant a purge may reach at `now`: `days` ago, and at least six calendar months ago (Beijing time).
    func limit(now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: AuditController.timeZone)!
        let sixMonths = calendar.date(byAdding: .month, value: -6, to: now) ?? now
        return min(now.addingTimeInterval(-Double(days) * 86_400), sixMonths)
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
