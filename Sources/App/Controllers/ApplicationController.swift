import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The enterprise's applications: start one, fill in the generated form, self-check, submit, withdraw.
struct ApplicationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let applications = routes.grouped(RoleGuard(roles: [.enterprise]))
        applications.get(SiteURL.newApplication, use: choose)
        applications.post(SiteURL.applications, use: create)
        applications.get(SiteURL.application(nil), use: show)
        applications.post(SiteURL.application(nil), use: save)
        applications.post(SiteURL.applicationSubmit(nil), use: submit)
        applications.post(SiteURL.applicationWithdraw(nil), use: withdraw)
        applications.post(SiteURL.applicationWithdrawalRequest(nil), use: requestWithdrawal)
        applications.get(SiteURL.applicationVersion(nil, number: nil), use: version)
        applications.post(SiteURL.applicationCopy(nil), use: copy)
        applications.get(SiteURL.enterpriseLibrary, use: library)
    }

    // MARK: - Starting

    func choose(req: Request) async throws -> View {
        try await renderChoose(req, error: nil)
    }

    func renderChoose(_ req: Request, error: String?) async throws -> View {
        let (record, round) = try await req.openRound()
        let chrome = req.chrome("发起申报", breadcrumbs: [("我的申报", SiteURL.enterprise.path), ("发起申报", nil)])
        let page = ChoosePage(chrome: chrome, catalogue: HomePage(chrome: chrome, round: round, deadline: record.deadline, now: Date()), error: error)
        return try await req.view.render("enterprise/choose", page)
    }

    struct ChooseForm: Content {
        var direction: String?
    }

    func create(req: Request) async throws -> Response {
        let choice = (try req.decodeBody(ChooseForm.self).direction ?? "").split(separator: "/", maxSplits: 1).map(String.init)
        do {
            let stored = try await ApplicationWorkflow(environment: try req.services())
                .create(directionID: choice.first ?? "", subDirectionID: choice.count > 1 ? choice[1] : nil)
            return req.redirect(to: SiteURL.application(try stored.requireID()))
        } catch let error as WorkflowError {
            return try await renderChoose(req, error: error.reason).encodeResponse(status: error.status, for: req)
        }
    }

    /// 复制为新申报: a new draft from an earlier application of the enterprise's, any status.
    func copy(req: Request) async throws -> Response {
        let source = try await req.applicationContext()
        let stored = try await ApplicationWorkflow(environment: try req.services()).copy(source)
        return req.redirect(to: SiteURL.application(try stored.requireID()), done: "copied")
    }

    /// 资料库: what new applications are filled with, and its versions.
    func library(req: Request) async throws -> View {
        let enterprise = try await req.currentEnterprise()
        let round = try await req.currentRound()
        let (versions, sources) = try await LibraryVersion.history(of: enterprise.requireID(), on: req.db)
        let page = try LibraryPage(chrome: req.chrome("资料库", breadcrumbs: [("资料库", nil)], organisation: enterprise.name),
                                   round: round, versions: versions, sources: sources)
        return try await req.view.render("enterprise/library", page)
    }

    // MARK: - Viewing and saving

    func version(req: Request) async throws -> View {
        let context = try await req.applicationContext()
        let base = SiteURL.application(context.id).path
        let page = try await context.versionPage(req, number: req.parameters.get("number", as: Int.self) ?? 0, base: base,
                                                 breadcrumbs: [("我的申报", SiteURL.enterprise.path), (context.spec.fullName, base)])
        return try await req.view.render("application/version", page)
    }

    func show(req: Request) async throws -> View {
        let context = try await req.applicationContext()
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "saved": "已保存。"
        case "submitted": "已提交，等待\(context.verdict.reviewAuthority?.name ?? "审核单位")审核。"
        case "withdrawn": "已撤回。可以修改后重新提交，已提交的版本保留在“历次提交版本”中。"
        case "withdrawal-requested": "撤回申请已提交，等待审核单位决定。"
        case "merged": "已保存，并与他人同时保存的其他修改合并。"
        case "uploaded": "附件已上传。"
        case "imported": "已从 Excel 导入并保存，请核对表格和自检结果。"
        case "copied": "已复制为新的草稿：内容和附件沿用原申报，请核对后确认承诺并提交。"
        case "removed": "附件已删除。"
        default: nil
        }
        return try await req.view.render("enterprise/application", try await context.page(req, submitted: nil, errors: [:], notice: notice, submitProblems: nil))
    }

    func save(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let fields = FormBody.parse(req.body.string ?? "")
        let input = ApplicationFormInput(round: context.round, spec: context.spec, fields: fields)
        let json = input.json(stored: context.application, enterprise: context.enterprise)
        let (read, problems) = ApplicationReader.readLeniently(json, round: context.round)
        guard let application = read else {
            throw Abort(.badRequest, reason: problems.map(\.description).joined(separator: "；"))
        }
        let autosave = req.query[String.self, at: "autosave"] == "1"
        let saved: ApplicationWorkflow.Saved
        do {
            saved = try await ApplicationWorkflow(environment: try req.services()).save(context, application, basedOn: fields["revision"].flatMap(Int.init))
        } catch WorkflowError.staleRevision(let conflict) {
            let message = conflict.message(timeZone: context.round.timeZone)
            if autosave {
                return try await AutosaveConflict(reason: message, revision: conflict.currentRevision).encodeResponse(status: .conflict, for: req)
            }
            // What this tab typed stays on the page; nothing of it was stored.
            let page = try await context.page(req, submitted: fields, errors: [:], notice: nil, submitProblems: nil, conflict: message)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: .conflict, for: req)
        }
        let refreshed = try await req.applicationContext()
        if autosave {
            return try await AutosaveResult(refreshed.verdict, problems: problems, saved: saved).encodeResponse(for: req)
        }
        guard problems.isEmpty else {
            let errors = Dictionary(problems.map { ($0.path, $0.message) }, uniquingKeysWith: { first, _ in first })
            var submitted = fields
            // The fields shown are this tab's; after a merge they still lack the other side's, so the base stays as it was.
            if !saved.merged { submitted["revision"] = String(saved.revision) }
            let page = try await refreshed.page(req, submitted: submitted, errors: errors, notice: nil, submitProblems: nil)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteURL.application(context.id), done: saved.merged ? "merged" : "saved", fragment: "check")
    }

    /// What the page's autosave shows after saving in the background.
    struct AutosaveResult: Content {
        var saved = true
        var verdict: String
        var verdictLabel: String
        var summary: String
        var problems: [InputProblem]
        /// The revision the page now shows, sent with the next save.
        var revision: Int
        /// Another tab's or colleague's changes to other fields were kept.
        var merged: Bool

        init(_ verdict: Verdict, problems: [InputProblem], saved: ApplicationWorkflow.Saved) {
            self.verdict = verdict.status.rawValue
            verdictLabel = verdict.status.label
            summary = verdict.summary
            self.problems = problems
            revision = saved.revision
            merged = saved.merged
        }
    }

    /// Autosave refused because someone else saved conflicting changes; the page keeps what was typed.
    struct AutosaveConflict: Content {
        var saved = false
        var conflict = true
        var reason: String
        var revision: Int
    }

    // MARK: - Submitting and withdrawing

    func submit(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        do {
            try await ApplicationWorkflow(environment: try req.services()).submit(context, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            let page = try await context.page(req, submitted: nil, errors: [:], notice: nil, submitProblems: error.problems)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteURL.application(context.id), done: "submitted")
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        try await ApplicationWorkflow(environment: try req.services())
            .withdraw(context, reason: (try? req.decodeBody(WithdrawForm.self))?.reason, requestKey: req.requestKey)
        return req.redirect(to: SiteURL.application(context.id), done: "withdrawn")
    }

    func requestWithdrawal(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        try await ApplicationWorkflow(environment: try req.services())
            .requestWithdrawal(context, reason: (try? req.decodeBody(WithdrawForm.self))?.reason, requestKey: req.requestKey)
        return req.redirect(to: SiteURL.application(context.id), done: "withdrawal-requested")
    }
}
