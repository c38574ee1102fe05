import Fluent
import Foundation
import PolicyKit
import Vapor

/// The pages `AuditController` renders.
extension AuditController {
    struct Page: Encodable {
        struct Row: Encodable {
            var sequence: Int
            var at: String
            var actor: String
            var action: String
            var objectType: String
            var objectID: String
            var before: String
            var after: String
            var address: String
        }

        var chrome: Chrome
        var filters: Filters
        var actions: [SelectOption]
        var verified: Bool
        var verification: String
        var rows: [Row]
        var total: Int
        var page: Int
        var pageCount: Int
        var previous: String?
        var next: String?
        var exportHref: String
        var errors: [String: String]
    }
}
