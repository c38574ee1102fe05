import Documents
import Fluent
import Foundation
import PolicyKit
import Vapor

/// 操作日志: the admin browses and exports the audit chain, filtered, newest first, with the chain's check on top.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let audit = routes.grouped(DutyGuard(duty: .audit))
        audit.get(SiteURL.adminAudit, use: browse)
        audit.get(SiteURL.adminAuditExport, use: export)
    }

    struct Filters: Content {
        var action: String?
        var actor: String?
        var object: String?
        var from: String?
        var to: String?
        var page: Int?
    }

    static let pageSize = 50
    static let exportLimit = 100_000

    static let timeZone = "Asia/Shanghai"

    /// The start of a day written 2023-11-10, in Beijing time; nil for anything else.
    static func day(_ text: String?) -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let zone = TimeZone(identifier: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// The filtered events; a date that cannot be read is reported beside its field and does not filter.
    func query(_ req: Request, _ filters: Filters) -> (QueryBuilder<AuditEvent>, [String: String]) {
        var query = AuditEvent.query(on: req.db)
        var errors: [String: String] = [:]
        if let action = filters.action, !action.isEmpty { query = query.filter(\.$action == action) }
        if let actor = filters.actor?.trimmingCharacters(in: .whitespaces), !actor.isEmpty {
            query = query.filter(\.$actor ~~ actor)
        }
        if let object = filters.object?.trimmingCharacters(in: .whitespaces), !object.isEmpty {
            query = query.filter(\.$objectID == object)
        }
        for (field, text, dayOffset) in [("from", filters.from, 0), ("to", filters.to, 1)] {
            guard let text, !text.isEmpty else { continue }
            guard let day = Self.day(text) else {
                errors[field] = "请按 2023-11-10 的格式填写日期"
                continue
            }
            let bound = day.addingTimeInterval(Double(dayOffset) * 86_400)
            query = dayOffset == 0 ? query.filter(\.$at >= bound) : query.filter(\.$at < bound)
        }
        return (query, errors)
    }

    func browse(req: Request) async throws -> View {
        let filters = try req.query.decode(Filters.self)
        let (query, errors) = self.query(req, filters)
        let total = try await query.copy().count()
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, filters.page ?? 1), pageCount)
        let events = try await query.sort(\.$sequence, .descending).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let verification = try await req.audit.verify()
        let extent = verification.anchor == nil ? "全部" : "现存"
        let purged = verification.purgeNote.map { $0 + "。" } ?? ""
        let view = Page(
            chrome: req.chrome("操作日志", breadcrumbs: [("操作日志", nil)], organisation: req.organisationName),
            filters: filters,
            actions: AuditLog.Action.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == filters.action) },
            verified: verification.firstBroken == nil,
            verification: verification.firstBroken.map { "哈希链校验未通过：\($0.reason)。请立即核查数据库。" }
                ?? "哈希链校验通过：\(extent) \(verification.events) 条记录完整、未被改动。\(purged)",
            rows: events.map(Self.row),
            total: total, page: page, pageCount: pageCount,
            previous: page > 1 ? Self.href(SiteURL.adminAudit.path, filters, page: page - 1) : nil,
            next: page < pageCount ? Self.href(SiteURL.adminAudit.path, filters, page: page + 1) : nil,
            exportHref: Self.href(SiteURL.adminAuditExport.path, filters, page: nil),
            errors: errors)
        return try await req.view.render("admin/audit", view)
    }

    static func row(_ event: AuditEvent) -> Page.Row {
        Page.Row(sequence: event.sequence, at: DateText.minute(event.at, timeZone: timeZone), actor: event.actor, action: event.action,
                 objectType: event.objectType, objectID: event.objectID ?? "", before: event.before ?? "", after: event.after ?? "", address: event.address ?? "")
    }

    static func href(_ path: String, _ filters: Filters, page: Int?) -> String {
        var components = URLComponents()
        components.queryItems = [("action", filters.action), ("actor", filters.actor), ("object", filters.object), ("from", filters.from), ("to", filters.to),
                                 ("page", page.map(String.init))]
            .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
        let query = components.percentEncodedQuery ?? ""
        return query.isEmpty ? path : path + "?" + query
    }

    /// The filtered events as CSV (UTF-8 with BOM, so that Excel reads the Chinese); the export is itself recorded.
    func export(req: Request) async throws -> Response {
        let filters = try req.query.decode(Filters.self)
        let (query, _) = self.query(req, filters)
        let events = try await query.sort(\.$sequence, .descending).limit(Self.exportLimit).all()
        var csv = "\u{FEFF}序号,时间,操作人,操作,对象类型,对象编号,变更前,变更后,来源地址,哈希\r\n"
        for event in events {
            let row = Self.row(event)
            csv += ([String(row.sequence), row.at, row.actor, row.action, row.objectType, row.objectID, row.before, row.after, row.address, event.hash]
                .map(Self.csvField).joined(separator: ",")) + "\r\n"
        }
        try await req.accounts.exported(by: try req.auth.require(CurrentUser.self).user, objectType: "操作日志", objectID: nil,
                                        detail: "\(events.count) 条；筛选：\(Self.href("", filters, page: nil))")
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        let encoded = "操作日志.csv".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "audit.csv"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"audit.csv\"; filename*=UTF-8''\(encoded)")
        return response
    }

    /// A CSV field; cells starting with a formula character are prefixed so that a spreadsheet shows them as text.
    static func csvField(_ text: String) -> String {
        let text = SpreadsheetText.neutralised(text)
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
