import Cryptography
import Fluent
import Foundation
import PolicyKit
import Vapor

/// Two-factor sign-in: the code asked after the password, and the account's own page to enrol (scan the QR code,
/// confirm one code, keep the recovery codes) or, where the profile allows, to turn it off.
struct SecondFactorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let step = routes.grouped(SignInStepGuard(step: .secondFactor))
        step.get(SiteURL.loginSecondFactor, use: codePage)
        step.post(SiteURL.loginSecondFactor, use: checkCode)
        let enrolment = routes.grouped(SignInStepGuard(step: .enrolSecondFactor))
        enrolment.get(SiteURL.accountSecondFactor, use: accountPage)
        enrolment.post(SiteURL.accountSecondFactor, use: enrol)
        routes.grouped(RoleGuard(roles: Set(Role.allCases))).post(SiteURL.accountSecondFactorDisable, use: disable)
    }

    struct CodePage: Encodable {
        var chrome: Chrome
        var explanation: String
        var next: String
        var error: String?
    }

    struct CodeForm: Content {
        var code: String?
        var next: String?
    }

    func codePage(req: Request) async throws -> View {
        try await req.view.render("account/second-factor", CodePage(chrome: req.chrome("动态口令", breadcrumbs: [("动态口令", nil)]),
                                                                  explanation: SignInStep.secondFactor.explanation,
                                                                  next: AccountController.safeNext(req.query[String.self, at: "next"]) ?? "", error: nil))
    }

    func checkCode(req: Request) async throws -> Response {
        let current = try req.auth.require(CurrentUser.self)
        let form = try req.decodeBody(CodeForm.self)
        let next = AccountController.safeNext(form.next)
        func refuse(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            let page = CodePage(chrome: req.chrome("动态口令", breadcrumbs: [("动态口令", nil)]), explanation: SignInStep.secondFactor.explanation, next: next ?? "", error: message)
            return try await req.view.render("account/second-factor", page).encodeResponse(status: status, for: req)
        }
        let outcome = try await req.secondFactors.check(current.user, code: (form.code ?? "").trimmingCharacters(in: .whitespaces))
        switch outcome {
        case .locked(let until):
            return try await refuse("动态口令错误次数过多，请于 \(DateText.minute(until, timeZone: "Asia/Shanghai")) 后再试。", status: .tooManyRequests)
        case .refused:
            return try await refuse("动态口令不正确或已使用过，请输入验证器上当前显示的 6 位数字，或一个未用过的恢复码", status: .unauthorized)
        case .accepted, .acceptedRecoveryCode:
            break
        }
        let step = AccountController.nextStep(for: current.user, secondFactorPassed: true, req: req)
        try await req.setPendingStep(step)
        var target = AccountController.destination(after: step, next: next, role: current.role)
        if case .acceptedRecoveryCode(let remaining) = outcome, step == nil {
            target = SiteURL.accountSecondFactor.path + "?recovery=\(remaining)"
        }
        return req.redirect(to: target, redirectType: .normal)
    }

    struct AccountPage: Encodable {
        var chrome: Chrome
        var required: String?
        var enabled: Bool
        var enabledAt: String?
        var recoveryCodesLeft: Int
        var mayDisable: Bool
        /// The enrolment in progress: the QR code to scan and the same secret to type.
        var qrSVG: String?
        var secretText: String?
        /// Shown once, right after enrolment.
        var recoveryCodes: [String]
        var continueHref: String?
        var notice: String?
        var error: String?
        var next: String
    }

    func accountPage(req: Request) async throws -> View {
        let recovery = req.query[Int.self, at: "recovery"]
        return try await renderAccount(req, notice: recovery.map { "已用恢复码登录，还剩 \($0) 个。恢复码用完前请重新启用双因素认证以获得新的恢复码。" })
    }

    func renderAccount(_ req: Request, recoveryCodes: [String] = [], continueHref: String? = nil, notice: String? = nil, error: String? = nil) async throws -> View {
        let current = try req.auth.require(CurrentUser.self)
        let user = current.user
        let factors = req.secondFactors
        var qrSVG: String?
        var secretText: String?
        if !user.hasSecondFactor {
            let secret = try await factors.beginEnrolment(user)
            let account = user.login ?? user.mobile ?? user.displayName
            qrSVG = try QRCode.svg(TOTP.provisioningURI(secret: secret, account: account), moduleSize: 5)
            // Groups of four, as authenticator apps show a typed key.
            secretText = Base32.encode(secret).enumerated().map { ($0.offset > 0 && $0.offset % 4 == 0 ? " " : "") + String($0.element) }.joined()
        }
        let page = AccountPage(
            chrome: req.chrome("双因素认证", breadcrumbs: [("双因素认证", nil)]),
            required: current.pendingStep == .enrolSecondFactor ? SignInStep.enrolSecondFactor.explanation : nil,
            enabled: user.hasSecondFactor,
            enabledAt: user.secondFactorEnabledAt.map { DateText.minute($0, timeZone: "Asia/Shanghai") },
            recoveryCodesLeft: try factors.remainingRecoveryCodes(user),
            mayDisable: user.hasSecondFactor && !(req.security.profile.requiresSecondFactorForStaff && user.role.isStaff),
            qrSVG: qrSVG, secretText: secretText, recoveryCodes: recoveryCodes, continueHref: continueHref, notice: notice, error: error,
            next: AccountController.safeNext(req.query[String.self, at: "next"]) ?? "")
        return try await req.view.render("account/two-factor", page)
    }

    func enrol(req: Request) async throws -> Response {
        let current = try req.auth.require(CurrentUser.self)
        let form = try req.decodeBody(CodeForm.self)
        guard let codes = try await req.secondFactors.confirmEnrolment(current.user, code: form.code ?? "") else {
            return try await renderAccount(req, error: "动态口令不正确：请确认手机时间准确，输入验证器上当前显示的 6 位数字")
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let step = current.pendingStep == nil ? nil : AccountController.nextStep(for: current.user, secondFactorPassed: true, req: req)
        if current.pendingStep != nil { try await req.setPendingStep(step) }
        let page = try await renderAccount(req, recoveryCodes: codes,
                                           continueHref: AccountController.destination(after: step, next: AccountController.safeNext(form.next), role: current.role),
                                           notice: "双因素认证已启用。以后登录时，输入密码后还须输入验证器上的动态口令。")
        let response = try await page.encodeResponse(status: .ok, for: req)
        // The recovery codes are shown this once; no cache may keep them.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct DisableForm: Content {
        var password: String?
    }

    func disable(req: Request) async throws -> Response {
        let current = try req.auth.require(CurrentUser.self)
        let form = try req.decodeBody(DisableForm.self)
        guard current.user.hasSecondFactor, !(req.security.profile.requiresSecondFactorForStaff && current.role.isStaff) else {
            throw Abort(.forbidden, reason: "按安全规定，工作人员账号不能关闭双因素认证；更换手机请联系安全管理员重置")
        }
        guard try await req.password.async.verify(form.password ?? "", created: current.user.passwordHash) else {
            return try await renderAccount(req, error: "密码不正确，双因素认证未关闭").encodeResponse(status: .unprocessableEntity, for: req)
        }
        try await req.secondFactors.remove(from: current.user, by: current.user)
        return req.redirect(to: SiteURL.accountSecondFactor.path, redirectType: .normal)
    }
}

extension Request {
    var secondFactors: SecondFactors {
        SecondFactors(database: db, cryptography: application.settings.cryptography, address: clientAddress)
    }
}
