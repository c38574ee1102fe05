import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The enterprise's applications: start one, fill in the generated form, self-check, submit, withdraw.
struct ApplicationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let applications = routes.grouped("enterprise", "applications").grouped(RoleGuard(roles: [.enterprise]))
        applications.get("new", use: choose)
        applications.post(use: create)
        applications.get(":id", use: show)
        applications.post(":id", use: save)
        applications.post(":id", "submit", use: submit)
        applications.post(":id", "withdraw", use: withdraw)
        applications.get(":id", "versions", ":number", use: version)
    }

    // MARK: - Starting

    struct ChoosePage: Encodable {
        var chrome: Chrome
        var catalogue: HomePage
        var error: String?
    }

    func choose(req: Request) async throws -> View {
        try await renderChoose(req, error: nil)
    }

    func renderChoose(_ req: Request, error: String?) async throws -> View {
        let (record, round) = try await req.openRound()
        let chrome = req.chrome("发起申报", breadcrumbs: [("我的申报", "/enterprise"), ("发起申报", nil)])
        let page = ChoosePage(chrome: chrome, catalogue: HomePage(chrome: chrome, round: round, deadline: record.deadline, now: Date()), error: error)
        return try await req.view.render("enterprise/choose", page)
    }

    struct ChooseForm: Content {
        var direction: String?
    }

    func create(req: Request) async throws -> Response {
        let choice = (try req.content.decode(ChooseForm.self).direction ?? "").split(separator: "/", maxSplits: 1).map(String.init)
        do {
            let stored = try await ApplicationService(req: req).create(directionID: choice.first ?? "", subDirectionID: choice.count > 1 ? choice[1] : nil)
            return req.redirect(to: "/enterprise/applications/\(try stored.requireID())", redirectType: .normal)
        } catch let abort as Abort where abort.status == .conflict || abort.status == .unprocessableEntity {
            return try await renderChoose(req, error: abort.reason).encodeResponse(status: abort.status, for: req)
        }
    }

    // MARK: - Viewing and saving

    func version(req: Request) async throws -> View {
        let context = try await ApplicationContext.load(req)
        let base = "/enterprise/applications/\(try context.stored.requireID().uuidString)"
        let page = try await context.versionPage(req, number: req.parameters.get("number", as: Int.self) ?? 0, base: base,
                                                 breadcrumbs: [("我的申报", "/enterprise"), (context.spec.fullName, base)])
        return try await req.view.render("application/version", page)
    }

    func show(req: Request) async throws -> View {
        let context = try await ApplicationContext.load(req)
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "saved": "已保存。"
        case "submitted": "已提交，等待\(context.verdict.reviewAuthority?.name ?? "审核单位")审核。"
        case "withdrawn": "已撤回。撤回的申报保留在列表中。"
        case "uploaded": "附件已上传。"
        case "removed": "附件已删除。"
        default: nil
        }
        return try await req.view.render("enterprise/application", try await context.page(req, submitted: nil, errors: [:], notice: notice, submitProblems: nil))
    }

    func save(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let fields = FormBody.parse(req.body.string ?? "")
        let input = ApplicationFormInput(round: context.round, spec: context.spec, fields: fields)
        let json = input.json(stored: context.application, enterprise: context.enterprise)
        let (read, problems) = ApplicationReader.readLeniently(json, round: context.round)
        guard let application = read else {
            throw Abort(.badRequest, reason: problems.map(\.description).joined(separator: "；"))
        }
        try await ApplicationService(req: req).save(context, application)
        if req.query[String.self, at: "autosave"] == "1" {
            let refreshed = try await ApplicationContext.load(req)
            return try await AutosaveResult(refreshed.verdict, problems: problems).encodeResponse(for: req)
        }
        guard problems.isEmpty else {
            let refreshed = try await ApplicationContext.load(req)
            let errors = Dictionary(problems.map { ($0.path, $0.message) }, uniquingKeysWith: { first, _ in first })
            let page = try await refreshed.page(req, submitted: fields, errors: errors, notice: nil, submitProblems: nil)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: "/enterprise/applications/\(try context.stored.requireID())?done=saved#check", redirectType: .normal)
    }

    /// What the page's autosave shows after saving in the background.
    struct AutosaveResult: Content {
        var saved = true
        var verdict: String
        var verdictLabel: String
        var summary: String
        var problems: [InputProblem]

        init(_ verdict: Verdict, problems: [InputProblem]) {
            self.verdict = verdict.status.rawValue
            verdictLabel = verdict.status.label
            summary = verdict.summary
            self.problems = problems
        }
    }

    // MARK: - Submitting and withdrawing

    func submit(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let problems = try await ApplicationService(req: req).submit(context)
        guard problems.isEmpty else {
            let page = try await context.page(req, submitted: nil, errors: [:], notice: nil, submitProblems: problems)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: "/enterprise/applications/\(try context.stored.requireID())?done=submitted", redirectType: .normal)
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        try await ApplicationService(req: req).withdraw(context, reason: (try? req.content.decode(WithdrawForm.self))?.reason)
        return req.redirect(to: "/enterprise/applications/\(try context.stored.requireID())?done=withdrawn", redirectType: .normal)
    }
}

/// An application in the signed-in user's scope with everything its pages need. An id outside the scope is a 404.
struct ApplicationContext {
    let stored: StoredApplication
    let enterprise: Enterprise
    let round: Round
    let spec: DirectionSpec
    let application: PolicyKit.Application
    let verdict: Verdict
    /// The 失信名单 entries for this enterprise, as every evaluation and stored verdict of it uses them.
    let blacklist: CreditBlacklist
    let deadline: Date

    static func load(_ req: Request) async throws -> ApplicationContext {
        let stored = try await req.scopedApplication()
        let enterprise = try await stored.$enterprise.get(on: req.db)
        guard let round = req.application.settings.rounds[stored.roundCode],
              let record = try await RoundRecord.query(on: req.db).filter(\.$code == stored.roundCode).first() else {
            throw Abort(.internalServerError, reason: "申报所属批次“\(stored.roundCode)”的政策文件不存在")
        }
        var application = try stored.application(round: round)
        if stored.status.isEditableByEnterprise {
            // The profile page is where the 情况表 is kept; a draft always shows the current profile.
            application.enterprise = enterprise.profile
            application.contact = Contact(name: enterprise.contactName, mobile: enterprise.mobile)
        }
        guard let spec = round.directionSpec(application.direction, subDirection: application.subDirection) else {
            throw Abort(.internalServerError, reason: "申报方向“\(application.direction)”不在批次目录中")
        }
        let blacklist = try await BlacklistEntry.blacklist(for: enterprise.creditCode, on: req.db)
        return ApplicationContext(stored: stored, enterprise: enterprise, round: round, spec: spec, application: application,
                                  verdict: req.engine(for: round).evaluate(application, blacklist: blacklist), blacklist: blacklist,
                                  deadline: record.deadline)
    }

    func page(_ req: Request, submitted: [String: String]?, errors: [String: String], notice: String?, submitProblems: [String]?, uploadError: String? = nil) async throws -> ApplicationPage {
        let id = try stored.requireID()
        let files = try await StoredAttachment.current(of: id, on: req.db)
        let events = try await ApplicationEvent.history(of: id, on: req.db)
        let versions = try await ApplicationVersion.all(of: id, on: req.db)
        let notes = stored.status == .returned
            ? try await ReturnNote.query(on: req.db).filter(\.$application.$id == id).filter(\.$version == (versions.last?.number ?? 0)).sort(\.$createdAt).all()
            : []
        let notesByTarget = Dictionary(notes.map { ($0.target, $0.text) }) { first, second in first + "；" + second }
        let builder = ApplicationFormBuilder(round: round, spec: spec, application: application, submitted: submitted, errors: errors,
                                             editable: stored.status.isEditableByEnterprise)
        let general = round.generalCommitments.enumerated().map { ApplicationPage.Commitment(number: $0.offset + 1, text: $0.element) }
        let extra = spec.commitments.enumerated().map { ApplicationPage.Commitment(number: general.count + $0.offset + 1, text: $0.element.text) }
        let deadlineText = DateText.minute(deadline, timeZone: round.timeZone)
        let allProblems = submitProblems ?? (stored.status.isEditableByEnterprise
            ? SubmissionRules.problems(status: stored.status, verdict: verdict, deadline: deadline, now: Date(), timeZone: round.timeZone) : [])
        // The missing items are listed in the panel already; the reasons name them once, as a count.
        let missing = Set(verdict.missing.map(\.message))
        let problems = allProblems.filter { !missing.contains($0) }
            + (allProblems.contains(where: missing.contains) ? ["尚有 \(verdict.missing.count) 项未填写、未上传或未确认（见“待完善”）"] : [])
        return ApplicationPage(
            chrome: req.chrome(stored.projectName ?? spec.fullName, breadcrumbs: [("我的申报", "/enterprise"), (spec.fullName, nil)], organisation: enterprise.name),
            id: id.uuidString, programme: spec.programme.name, direction: spec.fullName,
            status: stored.status.rawValue, statusLabel: stored.status.label,
            editable: stored.status.isEditableByEnterprise, withdrawable: stored.status.isWithdrawable, notice: notice,
            inputProblems: errors.isEmpty ? [] : ["有 \(errors.count) 项填写有误，已在对应位置标出；其余内容已保存。"],
            sections: builder.sections().annotated(with: notesByTarget), commitments: general + extra,
            commitmentAccepted: submitted.map { $0["commitmentAccepted"] == "true" } ?? (application.commitmentAccepted == true),
            attachments: round.attachments(for: spec).map { item in
                ApplicationPage.AttachmentItem(
                    id: item.id, title: item.title, clause: item.clause, generated: item.source == .generated,
                    required: item.requiredWhen == nil ? item.isRequired : false,
                    files: files.filter { $0.item == item.id }.map(ApplicationPage.UploadedFile.init),
                    reviewNote: notesByTarget["attachment:\(item.id)"])
            },
            uploadError: uploadError, uploadLimit: "\(req.application.settings.uploads.maximumFileBytes / 1024 / 1024) MB",
            check: SelfCheckPanel(verdict), submitProblems: problems, deadline: deadlineText,
            returnComment: stored.status == .returned ? events.last { $0.toStatus == .returned }.map { ApplicationPage.ReturnComment(
                by: $0.actor.displayName, at: $0.createdAt.map { DateText.minute($0, timeZone: round.timeZone) } ?? "", text: Self.generalPart(of: $0.comment ?? "", hasNotes: !notes.isEmpty)) } : nil,
            returnNotes: notes.map { NoteRow(target: $0.target, label: $0.targetLabel, text: $0.text) },
            versions: versionSummaries(versions, base: "/enterprise/applications/\(id.uuidString)"),
            timeline: TimelineEntry.entries(events, timeZone: round.timeZone))
    }
}

extension ApplicationContext {
    /// The return's comment without the per-field lines (【字段】意见), which the page lists beside the fields.
    static func generalPart(of comment: String, hasNotes: Bool) -> String {
        guard hasNotes else { return comment }
        return comment.split(separator: "\n").filter { !$0.hasPrefix("【") }.joined(separator: "\n")
    }
}

extension Enterprise {
    var profile: EnterpriseProfile {
        EnterpriseProfile(
            creditCode: creditCode, name: name, city: city, county: county, zone: zone, inTransformationZone: inTransformationZone,
            ownership: ownership, industryCategory: industryCategory, industry: industry, independentLegalPerson: independentLegalPerson,
            implementedInShanxi: implementedInShanxi, noOtherProvincialFunds: noOtherProvincialFunds)
    }
}

extension Request {
    func engine(for round: Round) -> EligibilityEngine {
        application.settings.engines[round.id] ?? EligibilityEngine(round: round)
    }

    /// The round open for applications; none open is a 409 with the reason.
    func openRound() async throws -> (RoundRecord, Round) {
        guard let current = try await RoundRegistry(database: db, catalog: application.settings.rounds).current() else {
            throw Abort(.conflict, reason: "暂无开放的申报批次")
        }
        return current
    }
}
