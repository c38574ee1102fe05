import Fluent
import Foundation
import PolicyKit
import Vapor

/// The pages `AccountController` renders.
extension AccountController {
    struct LoginPage: Encodable {
        var chrome: Chrome
        var login: String
        var next: String
        var error: String?
    }

    struct RegisterPage: Encodable {
        var chrome: Chrome
        var form: RegisterForm
        var errors: [String: String]
        var minimumPasswordLength: Int
    }

    struct PasswordPage: Encodable {
        var chrome: Chrome
        var errors: [String: String]
        var minimumPasswordLength: Int
        /// Why the change is required now (an issued or expired password), when it is.
        var required: String?
        var next: String
    }
}
