import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The pages `ApplicationController` renders.
extension ApplicationController {
    struct ChoosePage: Encodable {
        var chrome: Chrome
        var catalogue: HomePage
        var error: String?
    }
}
