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
    public var dataDirectory: String
    public var policiesDirectory: String
    public var rounds: RoundCatalog
    var security: SecurityConfiguration
    /// One engine per round, its direction plans compiled once.
    var engines: [String: EligibilityEngine] = [:]
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
