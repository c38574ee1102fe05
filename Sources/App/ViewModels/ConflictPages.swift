import Fluent
import Foundation
import PolicyKit
import Vapor

/// The pages `ConflictController` renders.
extension ConflictController {
    struct Page: Encodable {
        struct Finding: Encodable {
            var clause: String
            var message: String
            var applications: [Involved]
        }

        struct Involved: Encodable {
            var id: String
            var enterprise: String
            var direction: String
            var projectName: String
            var status: String
            var statusLabel: String
        }

        var chrome: Chrome
        var checked: Int
        var findings: [Finding]
    }
}
