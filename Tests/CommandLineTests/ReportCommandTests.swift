import Foundation
import Spawn
import Testing

/// `jigai report` on every example application, read back with qpdf and poppler as a reviewer's tools would.
@Suite("命令行：jigai report")
struct ReportCommandTests {
    static let examples = try! FileManager.default.contentsOfDirectory(atPath: CommandLineTests.root.appendingPathComponent("Examples/applications").path)
        .filter { $0.hasSuffix(".json") }.sorted()

    /// Checklist item id → title, from the round as `jigai catalog` prints it.
    static let itemTitles: [String: String] = {
        let run = try! CommandLineTests().jigai(["catalog"])
        var titles: [String: String] = [:]
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let id = object["id"] as? String, let title = object["title"] as? String, object["source"] != nil { titles[id] = title }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try! JSONSerialization.jsonObject(with: Data(run.output.utf8)))
        return titles
    }()

    static let generatedStarts = ["承诺书": "承诺书", "山西省技术改造资金奖励项目现场核查表": "山西省技术改造资金奖励项目现场核查表",
                                  "省级专项转移支付项目绩效目标表": "省级专项转移支付项目绩效目标表"]

    static func tool(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let outcome = try ChildProcess.runSynchronously("/usr/bin/env", [tool] + arguments, errors: .discard)
        return (outcome.exitCode ?? -1, outcome.text)
    }

    static func compact(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("每个示例都能生成申请报告：结构完好、字体嵌入、目录页码指向各部分的首页", arguments: examples)
    func example(_ name: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("申请报告.pdf").path
        let run = try CommandLineTests().jigai(["report", "Examples/applications/\(name)", "-o", pdf])
        try #require(run.status == 0, "\(name)：\(run.errors)")

        let check = try Self.tool("qpdf", ["--check", pdf])
        #expect(check.status == 0 && check.output.contains("No syntax or stream encoding errors found"), "\(check.output)")
        let fonts = try Self.tool("pdffonts", [pdf]).output.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for font in fonts {
            let fields = font.split(separator: " ")
            #expect(fields[fields.count - 5] == "yes", "字体未嵌入：\(font)")
        }
        let info = try Self.tool("pdfinfo", [pdf]).output
        let pageCount = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") })
        var pages = [""]
        for page in 1...pageCount {
            pages.append(Self.compact(try Self.tool("pdftotext", ["-layout", "-enc", "UTF-8", "-f", String(page), "-l", String(page), pdf, "-"]).output))
        }
        #expect(pages[1].hasPrefix("山西省技术改造专项资金奖励项目申请报告"), "封面：\(pages[1].prefix(40))")
        #expect(pages[2].hasPrefix("目录材料名称页码"), "目录：\(pages[2].prefix(40))")

        // The 目录 lists every part after it, titles on the left and page numbers in the right-hand column.
        let json = try Self.tool("qpdf", ["--json", "--json-key=outlines", pdf]).output
        let outlines = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["outlines"] as? [[String: Any]])
        let titles = outlines.compactMap { $0["title"] as? String }
        try #require(titles.prefix(4) == ["封面", "目录", "一、山西省技术改造专项资金奖励项目情况表", "二、正文"], "书签：\(titles)")
        let listed = Array(titles.dropFirst(2))
        // The left-hand column of the type area (A4 portrait, 28 mm margin, the title column 8/9.3 of 156 mm), read on its own
        // because long titles wrap.
        let titleColumn = try Self.tool("pdftotext", ["-layout", "-enc", "UTF-8", "-f", "2", "-l", "2", "-r", "72",
                                                      "-x", "81", "-y", "105", "-W", "375", "-H", "630", pdf, "-"]).output
        #expect(Self.compact(titleColumn).contains(Self.compact(listed.joined())), "目录：\(titleColumn)")
        let words = try Self.tool("pdftotext", ["-bbox", "-f", "2", "-l", "2", pdf, "-"]).output
        let pattern = try NSRegularExpression(pattern: #"xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([0-9]+)<"#)
        // Top to bottom as printed: pdftotext may list a number beside a three-line title after the rows below it.
        let numbers = pattern.matches(in: words, range: NSRange(words.startIndex..., in: words)).compactMap { match -> (top: Double, number: Int)? in
            let field = { (index: Int) in String(words[Range(match.range(at: index), in: words)!]) }
            // The right-hand column of the type area; the page's own number sits centred below it.
            guard Double(field(1))! > 440, Double(field(3))! < 740, let number = Int(field(4)) else { return nil }
            return (Double(field(2))!, number)
        }.sorted { $0.top < $1.top }.map(\.number)
        try #require(numbers.count == listed.count, "目录页码：\(numbers)")
        #expect(outlines.compactMap { $0["destpageposfrom1"] as? Int } == [1, 2] + numbers)
        #expect(numbers == numbers.sorted() && numbers.last! <= pageCount)

        let application = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: CommandLineTests.root.appendingPathComponent("Examples/applications/\(name)"))) as? [String: Any])
        let files = Dictionary(((application["attachments"] as? [[String: String]]) ?? []).map { ($0["item"]!, $0["file"]!) }, uniquingKeysWith: { first, _ in first })
        for (title, page) in zip(listed, numbers) {
            let text = pages[page]
            switch title {
            case "一、山西省技术改造专项资金奖励项目情况表": #expect(text.hasPrefix("山西省技术改造专项资金奖励项目情况表"))
            case "二、正文": #expect(text.hasPrefix("正文"))
            default:
                // “附件（三）-2 2021年财务审计报告…”: the number, a space, the item's title.
                #expect(title.hasPrefix("附件（"), "\(title)")
                let itemTitle = String(title.split(separator: " ", maxSplits: 1).last ?? "")
                if let start = Self.generatedStarts[itemTitle] {
                    #expect(text.hasPrefix(start), "第 \(page) 页应以“\(start)”开始：\(text.prefix(40))")
                    continue
                }
                let item = try #require(Self.itemTitles.first { $0.value == itemTitle && files[$0.key] != nil }?.key, "\(title) 没有上传的文件")
                let upload = CommandLineTests.root.appendingPathComponent("Examples/applications").appendingPathComponent(files[item]!)
                if upload.pathExtension == "jpg" {
                    #expect(text == "—\(page)—", "扫描件页只有页码：\(text)")
                } else {
                    let first = Self.compact(try Self.tool("pdftotext", ["-layout", "-enc", "UTF-8", "-f", "1", "-l", "1", upload.path, "-"]).output)
                    #expect(text.hasPrefix(first), "第 \(page) 页应是“\(files[item]!)”的首页：\(text.prefix(40))")
                }
            }
        }
        for page in 2...pageCount {
            #expect(pages[page].hasSuffix("—\(page)—"), "第 \(page) 页的页码：\(pages[page].suffix(12))")
        }
    }

    @Test("损坏或伪装的附件：按附件项目和文件名说明，退出码 1，不留下输出文件")
    func hostileUploads() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = CommandLineTests.root.appendingPathComponent("Examples/applications")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("attachments"), withIntermediateDirectories: true)
        for file in ["business-licence.jpg", "financial-statements.pdf", "supporting-document.pdf"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent("attachments/\(file)"), to: folder.appendingPathComponent("attachments/\(file)"))
        }
        try FileManager.default.copyItem(at: source.appendingPathComponent("rd-expense.eligible.json"), to: folder.appendingPathComponent("申报.json"))
        let application = folder.appendingPathComponent("申报.json").path
        let output = folder.appendingPathComponent("申请报告.pdf").path
        let creditTitle = try #require(Self.itemTitles["credit-proof"])

        try Data("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF".utf8)
            .write(to: folder.appendingPathComponent("attachments/credit-proof.pdf"))
        let broken = try CommandLineTests().jigai(["report", application, "-o", output])
        #expect(broken.status == 1)
        #expect(broken.errors == "附件“\(creditTitle)”中的文件“attachments/credit-proof.pdf”无法编入申请报告：文件已损坏或不是 PDF\n", "\(broken.errors)")
        #expect(!FileManager.default.fileExists(atPath: output))

        try Data("<html><script>alert(1)</script></html>".utf8).write(to: folder.appendingPathComponent("attachments/credit-proof.pdf"))
        let disguised = try CommandLineTests().jigai(["report", application, "-o", output])
        #expect(disguised.status == 1)
        #expect(disguised.errors.contains("附件“\(creditTitle)”中的文件“attachments/credit-proof.pdf”无法编入申请报告：该文件不是 PDF、JPEG 或 PNG 文件"), "\(disguised.errors)")

        try FileManager.default.removeItem(at: folder.appendingPathComponent("attachments/credit-proof.pdf"))
        let missing = try CommandLineTests().jigai(["report", application, "-o", output])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("中的文件“attachments/credit-proof.pdf”无法编入申请报告：文件不存在或无法读取"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("参数有误：退出码 2")
    func misuse() throws {
        let neither = try CommandLineTests().jigai(["report", "-o", "/tmp/x.pdf"])
        #expect(neither.status == 2)
        #expect(neither.errors.contains("请给出申报文件或 --application 编号（二者选一）"))
        let badID = try CommandLineTests().jigai(["report", "--application", "不是编号", "-o", "/tmp/x.pdf"])
        #expect(badID.status == 2)
        #expect(badID.errors.contains("申报编号“不是编号”格式有误"))
    }
}
