import Fluent
import Foundation
import PolicyKit
import Vapor

/// The provincial admin's rounds: open a round file, apply a changed file, close and reopen, extend a deadline (later,
/// with a reason, never shorter). Each action is one call of `RoundLifecycle` or `Administration`.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(DutyGuard(duty: .system))
        admin.get(SiteURL.adminRound, use: roundPage)
        admin.post(SiteURL.adminDeadline, use: extendDeadline)
        admin.post(SiteURL.adminRoundOpen, use: open)
        admin.post(SiteURL.adminRoundClose, use: close)
        admin.get(SiteURL.adminRoundSimulate, use: simulate)
    }

    func lifecycle(_ req: Request) throws -> RoundLifecycle {
        let user = try req.auth.require(CurrentUser.self).user
        return RoundLifecycle(database: req.db, catalog: req.application.settings.rounds, cryptography: req.application.settings.cryptography, actor: user, address: req.clientAddress)
    }

    func render(_ req: Request, form: Form = Form(), notice: String? = nil, errors: [String: String] = [:]) async throws -> View {
        let current = try await RoundRegistry(database: req.db, catalog: req.application.settings.rounds).current()
        let rows = try await lifecycle(req).states().map { state in
            let round = state.round
            let time = { (date: Date) in DateText.minute(date, timeZone: round.timeZone) }
            var changes: [String] = []
            if case .changed(let found) = state.file { changes = found.map(\.text) }
            return RoundPage.Row(
                id: round.id, noticeNumber: round.noticeNumber, title: round.title,
                state: state.label,
                opened: state.record != nil, closed: state.record?.closedAt != nil,
                deadline: time(state.record?.deadline ?? round.deadline), file: state.file.summary, changes: changes,
                current: current?.round.id == round.id)
        }
        let page = RoundPage(chrome: req.chrome("申报批次", breadcrumbs: [("申报批次", nil)], organisation: req.organisationName),
                             rows: rows, currentID: current?.round.id, form: form, notice: notice, errors: errors)
        return try await req.view.render("admin/round", page)
    }

    func roundPage(req: Request) async throws -> View {
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "extended": "截止时间已延长。"
        case "opened": "批次已开启。"
        case "applied": "政策文件已应用。"
        case "closed": "批次已关闭：企业不能再发起或提交申报，审核照常进行。"
        default: nil
        }
        return try await render(req, notice: notice)
    }

    struct Action: Content {
        var round: String?
        var deadline: String?
        var reason: String?
    }

    func form(_ action: Action, _ name: String) -> Form {
        Form(round: action.round ?? "", action: name, deadline: (action.deadline ?? "").trimmingCharacters(in: .whitespaces),
             reason: (action.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func refused(_ req: Request, _ form: Form, _ error: WorkflowError) async throws -> Response {
        let errors: [String: String] = switch error {
        case .invalid(_, let fields): fields
        default: ["round": error.reason]
        }
        return try await render(req, form: form, errors: errors).encodeResponse(status: error.status == .notFound ? .notFound : .unprocessableEntity, for: req)
    }

    func extendDeadline(req: Request) async throws -> Response {
        let action = try req.decodeBody(Action.self)
        do {
            try await Administration(environment: try req.services()).extendDeadline(action.deadline ?? "", reason: action.reason ?? "",
                                                                                  roundID: action.round.flatMap { $0.isEmpty ? nil : $0 })
        } catch let error as WorkflowError {
            var typed = form(action, "extend")
            if typed.round.isEmpty {
                typed.round = try await RoundRegistry(database: req.db, catalog: req.application.settings.rounds).current()?.round.id ?? ""
            }
            return try await refused(req, typed, error)
        }
        return req.redirect(to: SiteURL.adminRound, done: "extended")
    }

    /// Opens a round file, applies a changed one, or reopens a closed round; the deadline field is optional.
    func open(req: Request) async throws -> Response {
        let action = try req.decodeBody(Action.self)
        let id = action.round ?? ""
        var deadline: Date?
        let typed = (action.deadline ?? "").trimmingCharacters(in: .whitespaces)
        if !typed.isEmpty {
            let zone = req.application.settings.rounds[id]?.timeZone ?? "Asia/Shanghai"
            guard let parsed = DeadlineRules.parse(typed, timeZone: zone) else {
                return try await refused(req, form(action, "open"), .invalid("截止时间有误", fields: ["deadline": "请按 2024-11-08 23:59 的格式填写截止时间"]))
            }
            deadline = parsed
        }
        let outcome: RoundLifecycle.Outcome
        do {
            outcome = try await lifecycle(req).open(id, deadline: deadline)
        } catch let error as WorkflowError {
            return try await refused(req, form(action, "open"), error)
        }
        return req.redirect(to: SiteURL.adminRound, done: outcome.action == .roundApplied ? "applied" : "opened")
    }

    func close(req: Request) async throws -> Response {
        let action = try req.decodeBody(Action.self)
        do {
            _ = try await lifecycle(req).close(action.round ?? "", reason: action.reason ?? "")
        } catch let error as WorkflowError {
            return try await refused(req, form(action, "close"), error)
        }
        return req.redirect(to: SiteURL.adminRound, done: "closed")
    }

    /// What-if on the page: any round file as the draft, any opened round's applications; read only.
    func simulate(req: Request) async throws -> View {
        let draftID = req.query[String.self, at: "draft"].flatMap { $0.isEmpty ? nil : $0 }
        let fromID = req.query[String.self, at: "from"].flatMap { $0.isEmpty ? nil : $0 }
        let catalog = req.application.settings.rounds
        let opened = try await RoundRegistry(database: req.db, catalog: catalog).opened()
        let drafts = catalog.files.values.map(\.round).sorted { ($0.baseYear, $0.id) > ($1.baseYear, $1.id) }
            .map { SelectOption(value: $0.id, label: "\($0.noticeNumber)（\($0.id)）", selected: $0.id == draftID) }
        let sources = opened.map(\.round)
            .map { SelectOption(value: $0.id, label: "\($0.noticeNumber)（\($0.id)）", selected: $0.id == fromID) }
        var page = SimulationPage(chrome: req.chrome("假设分析", breadcrumbs: [("申报批次", SiteURL.adminRound.path), ("假设分析", nil)], organisation: req.organisationName),
                                  drafts: drafts, sources: sources, heading: nil, lines: [], error: nil)
        if let draftID {
            guard let draft = catalog.files[draftID]?.round else { throw Abort(.notFound, reason: "政策文件目录中没有批次“\(draftID)”") }
            do {
                let (current, lines) = try await lifecycle(req).simulate(draft, fromID: fromID)
                page.heading = "按 \(draft.noticeNumber)（\(draft.id)）的条件重新判断 \(current.noticeNumber)（\(current.id)）已提交的申报"
                page.lines = lines.map { line in
                    SimulationPage.Line(direction: line.direction, applications: line.applications, eligibleNow: line.eligibleNow, eligibleDraft: line.eligibleDraft,
                                        change: line.changeText, amountNow: line.amountNow.grouped(), amountDraft: line.amountDraft.grouped(), note: line.note)
                }
            } catch let error as WorkflowError {
                page.error = error.reason
            }
        }
        return try await req.view.render("admin/simulate", page)
    }
}
