import Foundation
import PolicyKit
import Vapor

/// 链主、链上企业营业收入奖励名单: the admin imports the awards (CSV or xlsx) so that reviewers see which 营收增量 and
/// 消费品增量 applicants already have one for the same year (附件1（十）（十一）：不重复支持).
struct ChainRewardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let lists = routes.grouped(DutyGuard(duty: .system))
        lists.get(SiteURL.adminChainRewards, use: index)
        lists.post(SiteURL.adminChainRewards, body: .collect(maxSize: ByteCount(value: SheetFile.maximumBytes + 64 * 1024)), use: upload)
        lists.post(SiteURL.adminChainRewardsDelete(nil), use: remove)
    }

    struct Page: Encodable {
        struct ImportRow: Encodable {
            var id: String
            var fileName: String
            var years: String
            var count: Int
            var importedAt: String
            var importedBy: String
        }

        struct Flagged: Encodable {
            var id: String
            var enterprise: String
            var creditCode: String
            var direction: String
            var projectName: String
            var statusLabel: String
            var listed: String
            var declared: Bool
        }

        var chrome: Chrome
        /// The open round's 不重复支持 rules, with their clauses.
        var rules: [String]
        /// The directions those rules name, for the sentences around them.
        var directions: String
        var imports: [ImportRow]
        var flagged: [Flagged]
        var notice: String?
        var fileName: String?
        var error: String?
        var problems: [String]
    }

    func render(_ req: Request, notice: String? = nil, fileName: String? = nil, error: String? = nil, problems: [String] = []) async throws -> View {
        let round = try await req.currentRound()
        let timeZone = round.timeZone
        let chainRules = round.chainRevenueRules
        let directions = (chainRules.flatMap { $0.directions ?? [] }).compactMap { id in round.allDirections.first { $0.direction.id == id }?.direction.name }
        let groups = try await ChainRewardQuery.imports(on: req.db)
        let imports = groups.map { group in
            let first = group.entries[0]
            return Page.ImportRow(id: group.id.uuidString, fileName: first.fileName, years: Set(group.entries.map(\.year)).sorted().map { "\($0)" }.joined(separator: "、"),
                                  count: group.entries.count, importedAt: DateText.minute(first.importedAt, timeZone: timeZone), importedBy: first.importedBy)
        }
        let flagged = try await ChainRewardQuery.flagged(groups, rounds: req.application.settings.rounds, on: req.db).map { row in
            Page.Flagged(
                id: row.application.id?.uuidString ?? "", enterprise: row.application.enterprise.name, creditCode: row.application.enterprise.creditCode,
                direction: row.round.directionSpec(row.application.direction, subDirection: row.application.subDirection)?.fullName ?? row.application.direction,
                projectName: row.application.projectName ?? "", statusLabel: row.application.status.label,
                listed: row.awards.map { "\($0.year)年度\($0.category.map { "（\($0)）" } ?? "")" }.joined(separator: "、"), declared: row.declared)
        }
        let page = Page(chrome: req.chrome("链主、链上企业奖励名单", breadcrumbs: [("链主、链上企业奖励名单", nil)], organisation: req.organisationName),
                        rules: chainRules.map { "\($0.text)（\($0.clause)）" }, directions: directions.joined(separator: "、"), imports: imports, flagged: flagged, notice: notice, fileName: fileName, error: error, problems: problems)
        return try await req.view.render("admin/chain-rewards", page)
    }

    func index(req: Request) async throws -> View {
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "imported": "名单已导入。"
        case "removed": "已删除。"
        default: nil
        }
        return try await render(req, notice: notice)
    }

    struct Upload: Content {
        var file: File?
    }

    func upload(req: Request) async throws -> Response {
        let upload = try req.decodeBody(Upload.self)
        let fileName = UploadChecks.cleanedName(upload.file?.filename ?? "")
        do {
            _ = try await Administration(environment: try req.services())
                .importChainRewards(file: upload.file.map { Data($0.data.readableBytesView) } ?? Data(), fileName: fileName)
        } catch WorkflowError.invalid(let message, let lines) {
            return try await render(req, fileName: fileName.isEmpty ? nil : fileName, error: message, problems: lines.keys.sorted().compactMap { lines[$0] })
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteURL.adminChainRewards, done: "imported")
    }

    func remove(req: Request) async throws -> Response {
        try await Administration(environment: try req.services()).removeChainRewards(req.parameters.get("import", as: UUID.self))
        return req.redirect(to: SiteURL.adminChainRewards, done: "removed")
    }
}
