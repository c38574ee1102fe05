import Fluent
import Foundation
import PolicyKit
import Vapor

/// Registration, sign-in, sign-out and password changes.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.login, use: loginPage)
        routes.post(SiteURL.login, use: login)
        routes.get(SiteURL.register, use: registerPage)
        routes.post(SiteURL.register, use: register)
        routes.post(SiteURL.logout, use: logout)
        let password = routes.grouped(SignInStepGuard(step: .changePassword))
        password.get(SiteURL.accountPassword, use: passwordPage)
        password.post(SiteURL.accountPassword, use: changePassword)
    }

    // MARK: - Sign-in

    struct LoginForm: Content {
        var login: String?
        var password: String?
        var next: String?
    }

    func loginPage(req: Request) async throws -> Response {
        if let current = req.auth.get(CurrentUser.self) {
            return req.redirect(to: Self.home(for: current.role))
        }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        let page = LoginPage(chrome: req.chrome("登录", breadcrumbs: [("登录", nil)]), login: "", next: next ?? "", error: nil)
        return try await req.view.render("account/login", page).encodeResponse(for: req)
    }

    func login(req: Request) async throws -> Response {
        let form = try req.decodeBody(LoginForm.self)
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        let password = form.password ?? ""
        let next = Self.safeNext(form.next)
        func refuse(_ message: String, status: HTTPResponseStatus = .unauthorized) async throws -> Response {
            let page = LoginPage(chrome: req.chrome("登录", breadcrumbs: [("登录", nil)]), login: login, next: next ?? "", error: message)
            return try await req.view.render("account/login", page).encodeResponse(status: status, for: req)
        }
        let user: User
        do {
            user = try await Self.authenticate(req, login: login, password: password)
        } catch let failure as SignInFailure {
            return try await refuse(failure.message, status: failure.status)
        }
        let step = Self.nextStep(for: user, secondFactorPassed: false, req: req)
        let response = req.redirect(to: Self.destination(after: step, next: next, role: user.role), redirectType: .normal)
        try await req.startSession(for: user, pendingStep: step, on: response)
        req.logger.info("signed in", metadata: ["user": .string(user.id?.uuidString ?? "")])
        return response
    }

    func logout(req: Request) async throws -> Response {
        let response = req.redirect(to: SiteURL.home)
        if let current = req.auth.get(CurrentUser.self) {
            try await req.accounts.signedOut(current.user)
        }
        try await req.endSession(on: response)
        return response
    }

    /// What the user must still do before being signed in completely, under the security profile.
    static func nextStep(for user: User, secondFactorPassed: Bool, req: Request) -> SignInStep? {
        req.security.profile.nextStep(role: user.role, hasSecondFactor: user.hasSecondFactor, secondFactorPassed: secondFactorPassed,
                                      mustChangePassword: user.mustChangePassword, passwordChangedAt: user.passwordChangedAt, now: Date())
    }

    /// The page of the pending step (carrying `next` along), or `next`, or the role's home.
    static func destination(after step: SignInStep?, next: String?, role: Role) -> String {
        guard let step else { return next ?? home(for: role) }
        return SiteURL.signInStep(step).path + (next.map { "?next=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
    }

    struct SignInFailure: Error {
        var status: HTTPResponseStatus
        var message: String
    }

    /// Checks a sign-in against throttling, the password and the account's state; the pages and the API share it.
    static func authenticate(_ req: Request, login: String, password: String) async throws -> User {
        guard !login.isEmpty, !password.isEmpty else {
            throw SignInFailure(status: .badRequest, message: "请输入账号和密码")
        }
        let guardian = LoginGuard(database: req.db, now: Date())
        let user = login.count <= 64 ? try await findUser(login: login, on: req.db) : nil
        let keys = LoginGuard.keys(account: user, login: login, address: req.clientAddress)
        if let until = try await guardian.lockedUntil(keys) {
            try await req.accounts.signInLocked(login: login, account: user)
            throw SignInFailure(status: .tooManyRequests, message: "登录失败次数过多，请于 \(DateText.minute(until, timeZone: "Asia/Shanghai")) 后再试。")
        }
        // Unknown accounts are verified against a fixed hash of the same cost, so that the time taken does not tell
        // which accounts exist.
        let verified = try await req.password.async.verify(password, created: user?.passwordHash ?? req.application.unknownAccountHash)
        guard let user, verified else {
            try await guardian.recordFailure(keys)
            try await req.accounts.signInFailed(login: login, account: user)
            req.logger.notice("sign-in failed", metadata: ["login": .string(String(login.prefix(64))), "address": .string(req.clientAddress)])
            throw SignInFailure(status: .unauthorized, message: "账号或密码错误")
        }
        guard user.disabledAt == nil else {
            try await req.accounts.signInToDisabled(user)
            throw SignInFailure(status: .forbidden, message: "该账号已停用，请联系管理员")
        }
        try await guardian.recordSuccess(user)
        try await req.accounts.signedIn(user)
        return user
    }

    /// Enterprises sign in with their credit code or mobile; staff with their sign-in name or mobile.
    static func findUser(login: String, on database: Database) async throws -> User? {
        if case .success(let code) = CreditCode.validate(login) {
            guard let enterprise = try await Enterprise.query(on: database).filter(\.$creditCode == code).first() else { return nil }
            return try await User.query(on: database).filter(\.$enterprise.$id == enterprise.requireID()).first()
        }
        if case .success(let mobile) = MobileNumber.validate(login) {
            return try await User.query(on: database).filter(\.$mobile == mobile).first()
        }
        return try await User.query(on: database).filter(\.$login == login).first()
    }

    static func home(for role: Role) -> String {
        switch role {
        case .enterprise: SiteURL.enterprise.path
        case .cityReviewer, .divisionReviewer, .admin: SiteURL.review.path
        case .securityAdmin: SiteURL.adminSecurity.path
        case .auditAdmin: SiteURL.adminAudit.path
        }
    }

    /// Only a relative path on this site, so that a crafted link can neither send a user elsewhere after signing in
    /// (`//host`, `/\host`, `/<TAB>/host`, which browsers read as another site) nor add a header (CR/LF).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), next.utf8.count < 500,
              !next.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) || $0.properties.isWhitespace || $0 == "\\" }),
              !next.hasPrefix("//"),
              let components = URLComponents(string: next), components.scheme == nil, components.host == nil, components.path.hasPrefix("/")
        else { return nil }
        return next
    }

    // MARK: - Registration

    struct RegisterForm: Content {
        var creditCode: String?
        var name: String?
        var contactName: String?
        var mobile: String?
        var password: String?
        var passwordConfirmation: String?
    }

    func registerPage(req: Request) async throws -> View {
        try await renderRegister(req, form: RegisterForm(), errors: [:])
    }

    func renderRegister(_ req: Request, form: RegisterForm, errors: [String: String]) async throws -> View {
        var kept = form
        kept.password = nil
        kept.passwordConfirmation = nil
        let page = RegisterPage(chrome: req.chrome("企业注册", breadcrumbs: [("企业注册", nil)]), form: kept, errors: errors, minimumPasswordLength: PasswordPolicy.minimumLength)
        return try await req.view.render("account/register", page)
    }

    func register(req: Request) async throws -> Response {
        let form = try req.decodeBody(RegisterForm.self)
        // Every attempt counts against the address, as each can tell whether a code or a mobile is registered.
        let guardian = LoginGuard(database: req.db, now: Date())
        let throttle = [LoginGuard.Key(id: "register:" + req.clientAddress, policy: .registrationPerAddress)]
        if let until = try await guardian.lockedUntil(throttle) {
            let message = "注册尝试过于频繁，请于 \(DateText.minute(until, timeZone: "Asia/Shanghai")) 后再试；如需为多家企业注册，请分时办理或联系所在市工信局。"
            return try await renderRegister(req, form: form, errors: ["form": message]).encodeResponse(status: .tooManyRequests, for: req)
        }
        try await guardian.recordFailure(throttle)
        var errors: [String: String] = [:]
        let trimmed = { (value: String?) in (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var creditCode = ""
        switch CreditCode.validate(trimmed(form.creditCode)) {
        case .success(let code): creditCode = code
        case .failure(let error): errors["creditCode"] = trimmed(form.creditCode).isEmpty ? "请填写统一社会信用代码" : error.message
        }
        let name = trimmed(form.name)
        if name.isEmpty { errors["name"] = "请填写企业（单位）名称" } else if name.count > 100 { errors["name"] = "名称不能超过 100 个字" }
        let contactName = trimmed(form.contactName)
        if contactName.isEmpty { errors["contactName"] = "请填写联系人" } else if contactName.count > 50 { errors["contactName"] = "联系人不能超过 50 个字" }
        var mobile = ""
        switch MobileNumber.validate(trimmed(form.mobile)) {
        case .success(let number): mobile = number
        case .failure(let error): errors["mobile"] = trimmed(form.mobile).isEmpty ? "请填写手机号码" : error.message
        }
        let password = form.password ?? ""
        let problems = await WeakPasswords.problems(password, creditCode: creditCode, mobile: mobile)
        if !problems.isEmpty { errors["password"] = problems.joined(separator: "；") }
        if password != (form.passwordConfirmation ?? "") { errors["passwordConfirmation"] = "两次输入的密码不一致" }
        let code = creditCode
        let number = mobile
        if errors["creditCode"] == nil, try await Enterprise.query(on: req.db).filter(\.$creditCode == code).first() != nil {
            errors["creditCode"] = "该统一社会信用代码已注册，请直接登录；如忘记密码请联系所在市工信局"
        }
        if errors["mobile"] == nil, try await User.query(on: req.db).filter(\.$mobile == number).first() != nil {
            errors["mobile"] = "该手机号码已被其他账号使用"
        }
        // Hashed whether or not the form is accepted, so that the answer takes as long either way.
        let hash = try await req.password.async.hash(password)
        guard errors.isEmpty else {
            return try await renderRegister(req, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = try await req.accounts.register(creditCode: code, name: name, contactName: contactName, mobile: number, passwordHash: hash)
        let response = req.redirect(to: SiteURL.enterpriseProfile.path + "?welcome=1", redirectType: .normal)
        try await req.startSession(for: user, on: response)
        return response
    }

    // MARK: - Password

    struct PasswordForm: Content {
        var next: String?
        var current: String?
        var password: String?
        var passwordConfirmation: String?
    }

    func passwordPage(req: Request) async throws -> View {
        try await renderPassword(req, errors: [:])
    }

    func renderPassword(_ req: Request, errors: [String: String]) async throws -> View {
        let current = try req.auth.require(CurrentUser.self)
        let page = PasswordPage(chrome: req.chrome("修改密码", breadcrumbs: [("修改密码", nil)]), errors: errors, minimumPasswordLength: PasswordPolicy.minimumLength,
                                required: current.pendingStep == .changePassword ? SignInStep.changePassword.explanation : nil,
                                next: Self.safeNext(req.query[String.self, at: "next"]) ?? "")
        return try await req.view.render("account/password", page)
    }

    func changePassword(req: Request) async throws -> Response {
        let current = try req.auth.require(CurrentUser.self)
        let form = try req.decodeBody(PasswordForm.self)
        var errors: [String: String] = [:]
        if try await !req.password.async.verify(form.current ?? "", created: current.user.passwordHash) {
            errors["current"] = "当前密码不正确"
        }
        let enterprise = try await current.user.$enterprise.get(on: req.db)
        let password = form.password ?? ""
        let problems = await WeakPasswords.problems(password, creditCode: enterprise?.creditCode, mobile: current.user.mobile)
        if !problems.isEmpty { errors["password"] = problems.joined(separator: "；") }
        if password == form.current, errors["password"] == nil { errors["password"] = "新密码不能与当前密码相同" }
        if errors["password"] == nil, try await req.accounts.repeatsHistory(password, of: current.user, keeping: req.security.profile.passwordHistory, verifier: req.password.async) {
            errors["password"] = "新密码不能与最近 \(req.security.profile.passwordHistory) 次用过的密码相同"
        }
        if password != (form.passwordConfirmation ?? "") { errors["passwordConfirmation"] = "两次输入的密码不一致" }
        guard errors.isEmpty else {
            return try await renderPassword(req, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        try await req.accounts.changePassword(of: current.user, to: try await req.password.async.hash(password), keeping: req.security.profile.passwordHistory)
        let next = Self.safeNext(form.next)
        let response = req.redirect(to: next ?? Self.home(for: current.role) + "?passwordChanged=1", redirectType: .normal)
        try await req.startSession(for: current.user, on: response)
        return response
    }
}
