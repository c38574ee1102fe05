import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The enterprise's own pages: its dashboard and its 情况表 profile.
struct EnterpriseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let enterprise = routes.grouped(RoleGuard(roles: [.enterprise]))
        enterprise.get(SiteURL.enterprise, use: dashboard)
        enterprise.get(SiteURL.enterpriseProfile, use: profilePage)
        enterprise.post(SiteURL.enterpriseProfile, use: saveProfile)
    }

    func dashboard(req: Request) async throws -> View {
        let enterprise = try await req.currentEnterprise()
        let current = try await RoundRegistry(database: req.db, catalog: req.application.settings.rounds).current()
        let round = try req.vocabularyRound(current?.round)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await ApplicationListQuery.forEnterprise(try enterprise.requireID(), on: sql)
        let activity = try await ApplicationListQuery.reviewerActivity(of: try enterprise.requireID(), on: sql)
        let page = EnterpriseDashboard(
            chrome: req.chrome("我的申报", breadcrumbs: [("我的申报", nil)], organisation: enterprise.name),
            enterprise: enterprise, round: round, openRound: current, now: Date(),
            passwordChanged: req.query[String.self, at: "passwordChanged"] == "1",
            applications: rows.map { ApplicationListItem($0, rounds: req.application.settings.rounds, namingRound: Set(rows.map(\.round_code)).count > 1) },
            activity: activity.map { ActivityItem($0, rounds: req.application.settings.rounds) })
        return try await req.view.render("enterprise/dashboard", page)
    }

    func profilePage(req: Request) async throws -> View {
        let enterprise = try await req.currentEnterprise()
        let round = try await req.currentRound()
        let page = ProfilePage(
            chrome: req.chrome("企业信息", breadcrumbs: [("我的申报", SiteURL.enterprise.path), ("企业信息", nil)], organisation: enterprise.name),
            round: round, form: ProfileForm(enterprise), errors: [:],
            notice: req.query[String.self, at: "welcome"] == "1" ? "注册成功。请完善企业信息，申报时将自动带入情况表。" : req.query[String.self, at: "saved"] == "1" ? "企业信息已保存。" : nil,
            creditCode: enterprise.creditCode)
        return try await req.view.render("enterprise/profile", page)
    }

    func saveProfile(req: Request) async throws -> Response {
        let current = try req.auth.require(CurrentUser.self)
        let enterprise = try await req.currentEnterprise()
        let form = try req.decodeBody(ProfileForm.self)
        let round = try await req.currentRound()
        var errors = form.problems(round: round)
        if errors["mobile"] == nil, let mobile = form.normalisedMobile, mobile != current.user.mobile,
           try await User.query(on: req.db).filter(\.$mobile == mobile).first() != nil {
            errors["mobile"] = "该手机号码已被其他账号使用"
        }
        guard errors.isEmpty else {
            let page = ProfilePage(
                chrome: req.chrome("企业信息", breadcrumbs: [("我的申报", SiteURL.enterprise.path), ("企业信息", nil)], organisation: enterprise.name),
                round: round, form: form, errors: errors, notice: nil, creditCode: enterprise.creditCode)
            return try await req.view.render("enterprise/profile", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        form.apply(to: enterprise)
        try await req.accounts.saveProfile(enterprise, of: current.user)
        return req.redirect(to: SiteURL.enterpriseProfile.path + "?saved=1", redirectType: .normal)
    }
}
