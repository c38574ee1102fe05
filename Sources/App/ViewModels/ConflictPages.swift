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
            /// The round's notice, so that applications of two rounds are told apart.
            var round: String
            var status: String
            var statusLabel: String
        }

        /// A cross-application rule as a round states it.
        struct Rule: Encodable {
            var clause: String
            var text: String
        }

        var chrome: Chrome
        var checked: Int
        var rules: [Rule]
        var findings: [Finding]
    }
}
