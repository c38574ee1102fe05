import App
import ArgumentParser
import Documents
import Foundation
import PolicyKit
import Vapor

/// `jigai summary`: a reviewing authority's 申报汇总表 from the database, as Excel and, with --pdf, as PDF beside it.
struct Summary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "导出审核单位的申报汇总表（附件3，Excel；--pdf 同时输出 PDF）",
        discussion: "列出该审核单位审核通过、已报省厅及此后处室已决定的申报。数据库与 serve 相同：DATABASE_URL 或 $JIGAI_DATA/jigai.sqlite。"
    )

    @ArgumentParser.Option(name: .long, help: "审核单位：简称（太原市）、全称（太原市工信局）或编号（140100）")
    var authority: String
    @ArgumentParser.Option(name: [.short, .customLong("output")], help: "输出的 Excel 文件（.xlsx）")
    var output: String
    @ArgumentParser.Flag(name: .long, help: "同时输出 PDF（与 Excel 文件同名，扩展名 .pdf）")
    var pdf = false
    @ArgumentParser.Option(name: .long, help: "申报批次编号（默认最近开启的批次）")
    var round: String?

    func run() async throws {
        do {
            let (sheet, sheetRound) = try await withConfiguredApp { app in
                do {
                    return try await AuthoritySummary.sheet(authority: authority, roundID: round, app: app)
                } catch let unknown as AuthoritySummary.UnknownAuthority {
                    throw CommandFailure(message: unknown.description, code: 2)
                } catch let unknown as AuthoritySummary.UnknownRound {
                    throw CommandFailure(message: unknown.description, code: 2)
                }
            }
            let excel = URL(fileURLWithPath: output)
            try sheet.writeXLSX(to: excel)
            var written = [excel.path]
            if pdf {
                let file = excel.deletingPathExtension().appendingPathExtension("pdf")
                try sheet.pdf().write(to: file, options: .atomic)
                written.append(file.path)
            }
            print("\(sheet.reviewAuthority)申报汇总表（\(sheetRound.id)，\(sheetRound.noticeNumber)）：\(sheet.rows.count) 份申报，已写入 \(written.joined(separator: "、"))")
        } catch let failure as CommandFailure {
            Self.report(failure)
        } catch let error as DocumentError {
            Self.report(CommandFailure(message: error.description, code: 1))
        } catch {
            Self.report(CommandFailure(message: "导出申报汇总表失败：\(error)", code: 1))
        }
    }
}

/// Runs `body` with the application configured as `serve` would be (database, policies), without serving.
func withConfiguredApp<Result>(_ body: (Vapor.Application) async throws -> Result) async throws -> Result {
    let app = try await Vapor.Application.make(try Environment.detect(arguments: ["jigai"]))
    do {
        try await configure(app)
        _ = try await app.installRoundSnapshots()
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch let error as RoundError {
        try? await app.asyncShutdown()
        throw CommandFailure(message: error.description, code: 2)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}
