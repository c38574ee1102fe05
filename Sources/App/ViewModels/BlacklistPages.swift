import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The pages `BlacklistController` renders.
extension BlacklistController {
    struct IndexPage: Encodable {
        struct ImportRow: Encodable {
            var id: String
            var fileName: String
            var sources: String
            var count: Int
            var importedAt: String
            var importedBy: String
        }

        struct Affected: Encodable {
            var id: String
            var enterprise: String
            var creditCode: String
            var direction: String
            var projectName: String
            var status: String
            var statusLabel: String
            var source: String
        }

        var chrome: Chrome
        var imports: [ImportRow]
        var affected: [Affected]
        var sources: [SelectOption]
        var notice: String?
        var fileName: String?
        var error: String?
        var problems: [String]
    }

    struct ShowPage: Encodable {
        struct Row: Encodable {
            var id: String
            var creditCode: String
            var name: String
            var source: String
        }

        var chrome: Chrome
        var id: String
        var fileName: String
        var importedAt: String
        var importedBy: String
        var entries: [Row]
    }
}
