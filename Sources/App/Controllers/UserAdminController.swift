import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The provincial admin's accounts: reviewers for each 审核单位 and 处室, password resets and disabling, for staff and enterprises.
struct UserAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped(DutyGuard(duty: .system))
        users.get(SiteURL.adminUsers, use: list)
        users.get(SiteURL.adminNewUser, use: newForm)
        users.post(SiteURL.adminUsers, use: create)
        users.post(SiteURL.adminUserResetPassword(nil), use: resetPassword)
        users.post(SiteURL.adminUserDisable(nil), use: disable)
        users.post(SiteURL.adminUserEnable(nil), use: enable)
    }

    // MARK: - Organisations and the list

    struct Organisation: Encodable {
        var id: String
        var name: String
        var kind: String
        var role: String
        var active: Int
    }

    struct UserRow: Encodable {
        var id: String
        var name: String
        var login: String
        var role: String
        var organisation: String
        var disabled: Bool
        var created: String
        var isSelf: Bool
    }

    struct Filters: Content {
        var role: String?
        var organisation: String?
        var keyword: String?
        var page: Int?
    }

    static let pageSize = 50

    func list(req: Request) async throws -> View {
        let filters = try req.query.decode(Filters.self)
        let round = try await req.currentRound()
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let active = try await AccountListQuery.activeReviewers(on: sql)
        let organisations = round.reviewAuthorities.map { Organisation(id: $0.id, name: $0.name, kind: "审核单位", role: Role.cityReviewer.rawValue, active: active[$0.id] ?? 0) }
            + round.divisions.map { Organisation(id: $0.id, name: $0.name, kind: "省厅处室", role: Role.divisionReviewer.rawValue, active: active[$0.id] ?? 0) }
        let query = AccountListQuery(filters: filters, pageSize: Self.pageSize)
        let (rows, total, page) = try await query.run(on: sql)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let names = Dictionary(uniqueKeysWithValues: organisations.map { ($0.id, $0.name) })
        let me = req.auth.get(CurrentUser.self)?.user.id
        let userRows = rows.map { row in
            let role = Role(rawValue: row.role)
            return UserRow(
                id: row.id.uuidString,
                name: row.enterprise_name.map { "\($0)（\(row.display_name)）" } ?? row.display_name,
                login: [row.login, row.credit_code, row.mobile].compactMap { $0 }.joined(separator: " / "),
                role: role?.label ?? row.role,
                organisation: row.organisation.map { names[$0] ?? $0 } ?? (role == .admin ? "山西省工业和信息化厅" : ""),
                disabled: row.disabled_at != nil,
                created: row.created_at.map { DateText.minute($0, timeZone: round.timeZone) } ?? "",
                isSelf: row.id == me)
        }
        func link(_ page: Int) -> String {
            var items = ["page=\(page)"]
            for (name, value) in [("role", filters.role), ("organisation", filters.organisation), ("keyword", filters.keyword)] {
                if let value, !value.isEmpty { items.append("\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
            }
            return SiteURL.adminUsers.path + "?" + items.joined(separator: "&")
        }
        let roles = [SelectOption(value: "", label: "全部角色", selected: (filters.role ?? "").isEmpty)]
            + Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: filters.role == $0.rawValue) }
        let listPage = ListPage(
            chrome: req.chrome("用户管理", breadcrumbs: [("用户管理", nil)], organisation: req.organisationName),
            organisations: organisations, filters: filters, roles: roles, rows: userRows, total: total, page: page, pages: pages,
            previous: page > 1 ? link(page - 1) : nil, next: page < pages ? link(page + 1) : nil,
            notice: req.query[String.self, at: "done"].flatMap(Self.notice))
        return try await req.view.render("admin/users", listPage)
    }

    static func notice(_ done: String) -> String? {
        switch done {
        case "disabled": "账号已停用，其登录已全部失效。"
        case "enabled": "账号已启用。"
        default: nil
        }
    }

    // MARK: - Create

    struct NewUser: Content {
        var role: String?
        var organisation: String?
        var login: String?
        var displayName: String?
        var mobile: String?
    }

    func renderNew(_ req: Request, form: NewUser, errors: [String: String] = [:]) async throws -> View {
        let round = try await req.currentRound()
        let roles = [Role.cityReviewer, .divisionReviewer, .securityAdmin, .auditAdmin].map { SelectOption(value: $0.rawValue, label: $0.label, selected: form.role == $0.rawValue) }
        let page = NewUserPage(
            chrome: req.chrome("新建账号", breadcrumbs: [("用户管理", SiteURL.adminUsers.path), ("新建账号", nil)], organisation: req.organisationName),
            form: form, roles: roles,
            authorities: round.reviewAuthorities.map { SelectOption(value: $0.id, label: $0.name, selected: form.organisation == $0.id) },
            divisions: round.divisions.map { SelectOption(value: $0.id, label: $0.name, selected: form.organisation == $0.id) },
            errors: errors)
        return try await req.view.render("admin/user-new", page)
    }

    func newForm(req: Request) async throws -> View {
        let query = try req.query.decode(NewUser.self)
        return try await renderNew(req, form: NewUser(role: query.role ?? Role.cityReviewer.rawValue, organisation: query.organisation))
    }

    struct IssuedPassword: Encodable {
        var chrome: Chrome
        var heading: String
        var name: String
        var login: String
        var organisation: String
        var password: String
    }

    func create(req: Request) async throws -> Response {
        var form = try req.decodeBody(NewUser.self)
        let round = try await req.currentRound()
        form.login = form.login?.trimmingCharacters(in: .whitespaces).lowercased()
        form.displayName = form.displayName?.trimmingCharacters(in: .whitespaces)
        form.mobile = form.mobile?.trimmingCharacters(in: .whitespaces)
        let role = form.role.flatMap(Role.init)
        let organisations = Set(role == .divisionReviewer ? round.divisions.map(\.id) : round.reviewAuthorities.map(\.id))
        let staff = Administration.NewStaff(role: role, organisation: form.organisation, login: form.login ?? "", displayName: form.displayName ?? "", mobile: form.mobile)
        do {
            let (user, password) = try await Administration(environment: try req.services())
                .createStaff(staff, organisations: organisations, organisationName: req.organisationName(of: form.organisation))
            return try await issued(req, heading: "账号已创建", user: user, password: password)
        } catch WorkflowError.invalid(_, let errors) {
            return try await renderNew(req, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func issued(_ req: Request, heading: String, user: User, password: String) async throws -> Response {
        var enterpriseName: String?
        if let enterpriseID = user.$enterprise.id { enterpriseName = try await Enterprise.find(enterpriseID, on: req.db)?.name }
        let page = IssuedPassword(
            chrome: req.chrome(heading, breadcrumbs: [("用户管理", SiteURL.adminUsers.path), (heading, nil)], organisation: req.organisationName),
            heading: heading, name: user.displayName, login: user.login ?? user.mobile ?? "",
            organisation: enterpriseName ?? req.organisationName(of: user.organisation), password: password)
        let response = try await req.view.render("admin/user-password", page).encodeResponse(for: req)
        // The one-time password must not linger in caches or the back button's copy.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: - Reset, disable, enable

    func resetPassword(req: Request) async throws -> Response {
        let (user, password) = try await Administration(environment: try req.services()).resetPassword(req.parameters.get("user", as: UUID.self))
        return try await issued(req, heading: "密码已重置", user: user, password: password)
    }

    func disable(req: Request) async throws -> Response {
        try await Administration(environment: try req.services()).setDisabled(req.parameters.get("user", as: UUID.self), true)
        return req.redirect(to: SiteURL.adminUsers, done: "disabled")
    }

    func enable(req: Request) async throws -> Response {
        try await Administration(environment: try req.services()).setDisabled(req.parameters.get("user", as: UUID.self), false)
        return req.redirect(to: SiteURL.adminUsers, done: "enabled")
    }
}
