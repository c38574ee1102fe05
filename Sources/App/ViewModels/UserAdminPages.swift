import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The pages `UserAdminController` renders.
extension UserAdminController {
    struct ListPage: Encodable {
        var chrome: Chrome
        var organisations: [Organisation]
        var filters: Filters
        var roles: [SelectOption]
        var rows: [UserRow]
        var total: Int
        var page: Int
        var pages: Int
        var previous: String?
        var next: String?
        var notice: String?
    }

    struct NewUserPage: Encodable {
        var chrome: Chrome
        var form: NewUser
        var roles: [SelectOption]
        var authorities: [SelectOption]
        var divisions: [SelectOption]
        var errors: [String: String]
    }
}
