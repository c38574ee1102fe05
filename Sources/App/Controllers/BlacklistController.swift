import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// 失信名单: the admin imports lists (CSV or xlsx), sees whose applications they affect, and removes lists or entries.
struct BlacklistController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let lists = routes.grouped(DutyGuard(duty: .system))
        lists.get(SiteURL.adminBlacklists, use: index)
        lists.post(SiteURL.adminBlacklists, body: .collect(maxSize: ByteCount(value: SheetFile.maximumBytes + 64 * 1024)), use: upload)
        lists.get(SiteURL.adminBlacklist(nil), use: show)
        lists.post(SiteURL.adminBlacklistDelete(nil), use: removeImport)
        lists.post(SiteURL.adminBlacklistEntryDelete(nil, entry: nil), use: removeEntry)
    }

    func render(_ req: Request, notice: String? = nil, fileName: String? = nil, error: String? = nil, problems: [String] = [], source: String? = nil) async throws -> View {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let timeZone = try req.vocabularyRound(nil).timeZone
        let groups = try await BlacklistQuery.imports(on: sql)
        let sources = try await BlacklistQuery.sources(on: sql)
        let affected = try await BlacklistQuery.affected(on: sql)
        let rounds = req.application.settings.rounds
        let page = IndexPage(
            chrome: req.chrome("失信名单", breadcrumbs: [("失信名单", nil)], organisation: req.organisationName),
            imports: groups.map { group in
                IndexPage.ImportRow(id: group.import_id.uuidString, fileName: group.file_name,
                                    sources: sources.filter { $0.import_id == group.import_id }.map(\.source).joined(separator: "、"),
                                    count: group.entries, importedAt: DateText.minute(group.imported_at, timeZone: timeZone), importedBy: group.imported_by)
            },
            affected: affected.map { row in
                let spec = rounds[row.round_code]?.directionSpec(row.direction, subDirection: row.sub_direction)
                let status = ApplicationStatus(rawValue: row.status)
                return IndexPage.Affected(id: row.id.uuidString, enterprise: row.name, creditCode: row.credit_code, direction: spec?.fullName ?? row.direction,
                                          projectName: row.project_name ?? "", status: row.status, statusLabel: status?.label ?? row.status, source: row.source)
            },
            sources: CreditBlacklist.listNames.map { SelectOption(value: $0, label: $0, selected: $0 == (source ?? CreditBlacklist.listNames[0])) },
            notice: notice, fileName: fileName, error: error, problems: problems)
        return try await req.view.render("admin/blacklists", page)
    }

    func index(req: Request) async throws -> View {
        let notice: String? = switch req.query[String.self, at: "done"] ?? "" {
        case "imported": "失信名单已导入。"
        case "removed": "已删除。"
        default: nil
        }
        return try await render(req, notice: notice)
    }

    struct Upload: Content {
        var file: File?
        var source: String?
    }

    func upload(req: Request) async throws -> Response {
        let upload = try req.decodeBody(Upload.self)
        let fileName = UploadChecks.cleanedName(upload.file?.filename ?? "")
        do {
            _ = try await Administration(environment: try req.services())
                .importBlacklist(file: upload.file.map { Data($0.data.readableBytesView) } ?? Data(), fileName: fileName, source: upload.source)
        } catch WorkflowError.invalid(let message, let lines) {
            let source = upload.source.flatMap { CreditBlacklist.listNames.contains($0) ? $0 : nil }
            return try await render(req, fileName: fileName.isEmpty ? nil : fileName, error: message, problems: lines.keys.sorted().compactMap { lines[$0] }, source: source)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteURL.adminBlacklists, done: "imported")
    }

    func entries(_ req: Request) async throws -> (UUID, [BlacklistEntry]) {
        try await Administration(environment: try req.services()).blacklistEntries(req.parameters.get("import", as: UUID.self))
    }

    func show(req: Request) async throws -> View {
        let (id, entries) = try await entries(req)
        let first = entries[0]
        let page = ShowPage(
            chrome: req.chrome(first.fileName, breadcrumbs: [("失信名单", SiteURL.adminBlacklists.path), (first.fileName, nil)], organisation: req.organisationName),
            id: id.uuidString, fileName: first.fileName, importedAt: DateText.minute(first.importedAt, timeZone: try req.vocabularyRound(nil).timeZone),
            importedBy: first.importedBy,
            entries: entries.map { ShowPage.Row(id: $0.id?.uuidString ?? "", creditCode: $0.creditCode, name: $0.name ?? "", source: $0.source) })
        return try await req.view.render("admin/blacklist", page)
    }

    func removeImport(req: Request) async throws -> Response {
        try await Administration(environment: try req.services()).removeBlacklist(req.parameters.get("import", as: UUID.self))
        return req.redirect(to: SiteURL.adminBlacklists, done: "removed")
    }

    func removeEntry(req: Request) async throws -> Response {
        let id = req.parameters.get("import", as: UUID.self)
        let before = try await Administration(environment: try req.services()).removeBlacklistEntry(id, entry: req.parameters.get("entry", as: UUID.self))
        return before > 1 ? req.redirect(to: SiteURL.adminBlacklist(id)) : req.redirect(to: SiteURL.adminBlacklists, done: "removed")
    }
}
