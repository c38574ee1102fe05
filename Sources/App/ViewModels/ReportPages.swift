import Fluent
import Foundation
import PolicyKit
import Vapor

/// The pages `ReportController` renders.
extension ReportController {
    struct StatusPage: Encodable {
        var chrome: Chrome
        var applicationHref: String
        var title: String
        var status: String
        var seconds: Int
        var message: String?
        var interrupted: Bool
        var pdfHref: String
    }
}
