import Fluent
import Foundation
import PolicyKit
import Vapor

/// The pages `AdminController` renders.
extension AdminController {
    struct RoundPage: Encodable {
        var chrome: Chrome
        var noticeNumber: String
        var deadline: String
        var newDeadline: String
        var reason: String
        var notice: String?
        var errors: [String: String]
    }
}
