import App
import ArgumentParser
import Documents
import Foundation
import PolicyKit
import Vapor

/// `jigai report`: the 申请报告 from an application file, or from the database as the server asks for it in a child process,
/// so that the uploads are parsed outside the server and under its limits.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "生成申请报告（PDF）：从申报文件（JSON），或用 --application 从数据库",
        discussion: "申报文件中附件的路径相对于该文件。数据库与 serve 相同：DATABASE_URL 或 $JIGAI_DATA/jigai.sqlite。"
            + "退出码：0 已生成；1 附件无法编入或生成失败；2 输入有误。"
    )

    @ArgumentParser.Argument(help: "申报文件（JSON），格式见 docs/application-format.md")
    var file: String?
    @ArgumentParser.Option(name: .long, help: "数据库中申报的编号")
    var application: String?
    @ArgumentParser.Option(name: [.short, .customLong("output")], help: "输出的 PDF 文件")
    var output: String
    @OptionGroup var roundOptions: RoundOptions

    func validate() throws {
        guard (file == nil) != (application == nil) else {
            throw ValidationError("请给出申报文件或 --application 编号（二者选一）")
        }
    }

    func run() async throws {
        do {
            let report = if let application { try await fromDatabase(application) } else { try fromFile(file ?? "") }
            try report.write(to: URL(fileURLWithPath: output))
        } catch let failure as CommandFailure {
            Self.report(failure)
        } catch let error as DocumentError {
            Self.report(CommandFailure(message: error.description, code: 1))
        } catch {
            Self.report(CommandFailure(message: "生成申请报告失败：\(error)", code: 1))
        }
    }

    func fromFile(_ path: String) throws -> ApplicationReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "无法读取申报文件：\(path)", code: 2)
        }
        let round = try roundOptions.load(named: RoundOptions.roundID(of: data))
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw CommandFailure(message: "申报文件 \(path) 不是有效的 JSON 文件", code: 2)
        }
        // A draft is previewed before it is complete: what is valid goes into the report, the rest is named.
        let (read, problems) = ApplicationReader.readLeniently(json, round: round)
        guard let application = read else {
            throw CommandFailure(message: "输入有误：\n" + problems.map { "  " + $0.description }.joined(separator: "\n"), code: 2)
        }
        if !problems.isEmpty {
            FileHandle.standardError.write(Data(("以下内容有误，未编入申请报告：\n" + problems.map { "  " + $0.description }.joined(separator: "\n") + "\n").utf8))
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let spec = round.directionSpec(application.direction, subDirection: application.subDirection)
        let titles = Dictionary((spec.map(round.attachments) ?? []).map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let uploads = try application.attachments.map { reference in
            let url = URL(fileURLWithPath: reference.file, relativeTo: folder).standardizedFileURL
            let unusable = { (reason: String) in
                DocumentError.unusableUpload(item: titles[reference.item] ?? reference.item, file: reference.file, reason: reason)
            }
            guard let handle = FileHandle(forReadingAtPath: url.path) else { throw unusable("文件不存在或无法读取") }
            defer { try? handle.close() }
            let prefix = [UInt8](handle.readData(ofLength: 64 * 1024))
            let (kind, problem) = UploadChecks.problem(prefix: prefix, declaredName: "")
            guard let kind, problem == nil else { throw unusable(problem ?? "文件类型无法识别") }
            return ApplicationReport.Upload(item: reference.item, fileName: reference.file, kind: kind, url: url)
        }
        return try ApplicationReport(round: round, application: application, uploads: uploads,
                                     date: CalendarDate(Date(), timeZone: TimeZone(identifier: round.timeZone) ?? .current))
    }

    func fromDatabase(_ text: String) async throws -> ApplicationReport {
        guard let id = UUID(uuidString: text) else {
            throw CommandFailure(message: "申报编号“\(text)”格式有误", code: 2)
        }
        return try await withConfiguredApp { try await StoredReport.make(applicationID: id, app: $0) }
    }
}
