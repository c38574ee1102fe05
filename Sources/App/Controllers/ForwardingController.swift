import Documents
import Fluent
import Foundation
import PolicyKit
import Vapor

/// 市报省: the city gathers approved applications into a batch with its 审核意见 and forwards it to the province;
/// the division then records 拟奖励 or 不予奖励.
struct ForwardingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let city = routes.grouped(RoleGuard(roles: [.cityReviewer]))
        city.get(SiteURL.forwarding, use: candidates)
        city.post(SiteURL.forwarding, use: forward)
        let staff = routes.grouped(RoleGuard(roles: [.cityReviewer, .divisionReviewer, .admin]))
        staff.get(SiteURL.forwardingBatch(nil), use: show)
        staff.get(SiteURL.forwardingSummaryXLSX(nil), use: summaryXLSX)
        staff.get(SiteURL.forwardingSummaryPDF(nil), use: summaryPDF)
        routes.grouped(RoleGuard(roles: [.divisionReviewer])).post(SiteURL.reviewDivision(nil), use: decide)
    }

    struct Candidate {
        var stored: StoredApplication
        var application: PolicyKit.Application
        var round: Round
    }

    /// Approved applications of the reviewer's authority not yet in a batch, in 序号 order (by approval time).
    func approved(_ req: Request) async throws -> [Candidate] {
        let stored = try await ForwardingWorkflow(environment: try req.services()).candidates()
        return try stored.compactMap { record in
            guard let round = req.application.settings.rounds[record.roundCode] else { return nil }
            return Candidate(stored: record, application: try record.application(round: round), round: round)
        }
    }

    func candidates(req: Request) async throws -> View {
        try await renderCandidates(req, error: nil, opinion: "")
    }

    func renderCandidates(_ req: Request, error: String?, opinion: String) async throws -> View {
        let rows = try await approved(req).enumerated().map { index, candidate in
            ForwardingCandidatesPage.Row(id: candidate.stored.id?.uuidString ?? "", number: index + 1, cells: SummaryRows.row(candidate.application, round: candidate.round))
        }
        let page = ForwardingCandidatesPage(chrome: req.chrome("报送省厅", breadcrumbs: [("审核列表", SiteURL.review.path), ("报送省厅", nil)], organisation: req.organisationName),
                                  authority: req.organisationName ?? "", rows: rows, error: error, opinion: opinion)
        return try await req.view.render("review/forwarding", page)
    }

    func forward(req: Request) async throws -> Response {
        let fields = FormBody.parse(req.body.string ?? "")
        let opinion = (fields["opinion"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let chosen = Set(fields.keys.filter { $0.hasPrefix("application.") && fields[$0] == "on" }.compactMap { UUID(uuidString: String($0.dropFirst("application.".count))) })
        do {
            let forwarding = try await ForwardingWorkflow(environment: try req.services()).forward(chosen, opinion: opinion, requestKey: fields["requestKey"])
            return req.redirect(to: SiteURL.forwardingBatch(try forwarding.requireID()))
        } catch let error as WorkflowError {
            let message = if case .invalid(let summary, _) = error { summary } else { error.reason }
            return try await renderCandidates(req, error: message, opinion: opinion).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// A batch in the caller's scope (`ForwardingWorkflow.batch`) with its documents read.
    func batch(_ req: Request) async throws -> (Forwarding, [Candidate]) {
        let (forwarding, stored) = try await ForwardingWorkflow(environment: try req.services()).batch(req.parameters.get("forwarding", as: UUID.self))
        let candidates = try stored.compactMap { record -> Candidate? in
            guard let round = req.application.settings.rounds[record.roundCode] else { return nil }
            return Candidate(stored: record, application: try record.application(round: round), round: round)
        }
        return (forwarding, candidates)
    }

    func show(req: Request) async throws -> View {
        let (forwarding, candidates) = try await batch(req)
        let name = authorityName(forwarding.authority, req: req)
        let page = ForwardingBatchPage(
            chrome: req.chrome("汇总批次", breadcrumbs: [("审核列表", SiteURL.review.path), ("汇总批次", nil)], organisation: req.organisationName),
            id: forwarding.id?.uuidString ?? "", authority: name, opinion: forwarding.opinion,
            forwardedAt: forwarding.forwardedAt.map { DateText.minute($0, timeZone: "Asia/Shanghai") } ?? "",
            rows: candidates.enumerated().map { index, candidate in
                ForwardingCandidatesPage.Row(id: candidate.stored.id?.uuidString ?? "", number: index + 1, cells: SummaryRows.row(candidate.application, round: candidate.round))
            })
        return try await req.view.render("review/batch", page)
    }

    func authorityName(_ id: String, req: Request) -> String {
        req.application.settings.rounds.rounds.values.lazy.compactMap { $0.reviewAuthorities.first { $0.id == id }?.name }.first ?? id
    }

    func sheet(_ req: Request) async throws -> SummarySheet {
        let (forwarding, candidates) = try await batch(req)
        try await req.accounts.exported(by: try req.auth.require(CurrentUser.self).user, objectType: "汇总表", objectID: forwarding.id?.uuidString)
        return SummarySheet(reviewAuthority: authorityName(forwarding.authority, req: req),
                            rows: candidates.map { SummaryRows.row($0.application, round: $0.round) },
                            instructions: candidates.first?.round.summaryInstructions ?? [])
    }

    func summaryXLSX(req: Request) async throws -> Response {
        let data = try await sheet(req).xlsx()
        return download(data, type: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"), name: "申报汇总表.xlsx")
    }

    func summaryPDF(req: Request) async throws -> Response {
        let data = try await sheet(req).pdf()
        return download(data, type: HTTPMediaType(type: "application", subType: "pdf"), name: "申报汇总表.pdf")
    }

    func download(_ data: Data, type: HTTPMediaType, name: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "summary"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"summary\"; filename*=UTF-8''\(encoded)")
        return response
    }

    // MARK: - Division

    struct DivisionDecision: Content {
        var decision: String?
        var opinion: String?
    }

    func decide(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let form = try req.decodeBody(DivisionDecision.self)
        let action: WorkflowAction
        switch form.decision {
        case ApplicationStatus.proposedReward.rawValue: action = .proposeReward
        case ApplicationStatus.notRewarded.rawValue: action = .refuseReward
        default: throw WorkflowError.invalid("请选择拟奖励或不予奖励", fields: [:])
        }
        try await ReviewWorkflow(environment: try req.services()).decide(action, context, comment: form.opinion, requestKey: req.requestKey)
        return req.redirect(to: SiteURL.reviewApplication(context.id), done: "decided")
    }
}
