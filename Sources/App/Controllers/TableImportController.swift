import Foundation
import PolicyKit
import Vapor

/// 从 Excel 导入: a long table of an application (the 200 enterprises of 智能制造诊断) filled from an xlsx or CSV
/// file, or from cells copied in Excel and pasted.
struct TableImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard(roles: [.enterprise]))
            .post(SiteURL.applicationTableImport(nil, field: nil), body: .collect(maxSize: ByteCount(value: SheetFile.maximumBytes + 64 * 1024)), use: importTable)
    }

    struct Form: Content {
        var file: File?
        var pasted: String?
        var mode: String?
        var revision: Int?
    }

    func importTable(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let field = req.parameters.get("field") ?? ""
        let form = try req.decodeBody(Form.self)
        let pasted = String((form.pasted ?? "").prefix(2_000_000))
        let append = form.mode == "append"
        func refuse(_ message: String, _ lines: [String]) async throws -> Response {
            let refusal = TableImportBox.Refusal(field: field, message: message, lines: lines, pasted: pasted, append: append)
            let page = try await context.page(req, submitted: nil, errors: [:], notice: nil, submitProblems: nil, tableImport: refusal)
            return try await req.view.render("enterprise/application", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        do {
            let sheet: [(line: Int, cells: [String])]
            if let file = form.file, file.data.readableBytes > 0 {
                // The file is untrusted: an xlsx is unpacked in a child process under limits.
                sheet = try await SheetFile.rows(Data(file.data.readableBytesView), directory: req.application.settings.dataDirectory + "/tmp")
            } else if !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                sheet = TableImport.pastedRows(pasted)
            } else {
                return try await refuse("请选择 xlsx 或 CSV 文件，或把在 Excel 中复制的单元格粘贴到文本框中", [])
            }
            _ = try await ApplicationWorkflow(environment: try req.services())
                .importTable(context, field: field, sheet: sheet, append: append, basedOn: form.revision)
            return req.redirect(to: SiteURL.application(context.id), done: "imported", fragment: "section-content")
        } catch let unreadable as SheetFile.Unreadable {
            return try await refuse(unreadable.message, [])
        } catch WorkflowError.invalid(let message, let lines) {
            return try await refuse(message, lines.keys.sorted().compactMap { lines[$0] })
        }
    }
}
