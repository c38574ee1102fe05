import Documents
import Foundation
import PolicyKit

// `make bench`: the documents against the tools an office would otherwise use.
//   (a) a whole 申请报告 (about 30 drawn pages, ten 10-page PDFs, five JPEG scans), built as the server builds it — by
//       `jigai report` in a child process — vs qpdf merging the same PDFs; wall time and peak memory (/usr/bin/time %M);
//   (b) the drawn pages alone, rendered in-process with the fonts already set up (as the server renders its own
//       pages), vs LibreOffice converting an equivalent .docx in a child process;
//   (c) a 10,000-row 申报汇总表 written in-process vs Python XlsxWriter writing the same rows, timed inside its own
//       process too, so that neither side counts interpreter or program start-up.
// Both in-process figures are the median of 5 runs after a warm-up; their memory is the measuring process's peak.

@main
struct DocumentBench {
    static func main() throws {
        do {
            try Bench().run()
        } catch let failure as BenchFailure {
            FileHandle.standardError.write(Data("基准测试失败：\(failure.message)\n".utf8))
            exit(1)
        }
    }
}

struct BenchFailure: Error {
    var message: String
}

/// The rows of (c) as both writers read them: the sheet's title, authority, headers and column widths as JSON, and the
/// rows as tab-separated lines (11 columns, 序号 left to the writer).
struct SheetInput: Codable {
    var title: String
    var authority: String
    var headers: [String]
    var widths: [Double]
    var instructions: [String]

    static func write(from rows: URL, to output: URL) throws {
        let input = try JSONDecoder().decode(SheetInput.self, from: Data(contentsOf: rows.deletingPathExtension().appendingPathExtension("json")))
        // Scan the bytes once: tabs and newlines never occur inside a UTF-8 sequence, and the generic `split` on Data
        // cost twice the time of writing the workbook.
        let data = try Data(contentsOf: rows)
        var sheetRows: [SummarySheet.Row] = []
        sheetRows.reserveCapacity(10_000)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var cells: [String] = []
            cells.reserveCapacity(11)
            var start = 0
            func flushRow() {
                guard cells.count == 11 else { cells.removeAll(keepingCapacity: true); return }
                let contact = cells[10].split(separator: " ")
                sheetRows.append(SummarySheet.Row(city: cells[0], county: cells[1], zone: cells[2], enterpriseName: cells[3], programme: cells[4],
                                                  direction: cells[5], projectName: cells[6], ownership: cells[7], industryCategory: cells[8],
                                                  industry: cells[9], contactName: String(contact.first ?? ""), contactMobile: String(contact.last ?? "")))
                cells.removeAll(keepingCapacity: true)
            }
            for index in 0...bytes.count {
                let byte = index < bytes.count ? bytes[index] : UInt8(ascii: "\n")
                guard byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") else { continue }
                cells.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
                if byte == UInt8(ascii: "\n") { flushRow() }
            }
        }
        try SummarySheet(reviewAuthority: input.authority, rows: sheetRows, instructions: input.instructions).writeXLSX(to: output)
    }
}

struct Measurement {
    var seconds: Double
    var peakMegabytes: Double
}

struct Bench {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-document-bench-\(UUID().uuidString)")
    let runs = 5

    func run() throws {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let jigai = products.appendingPathComponent("jigai").path
        guard FileManager.default.isExecutableFile(atPath: jigai) else {
            throw BenchFailure(message: "找不到 \(jigai)，请先 swift build -c release --product jigai")
        }
        let python = root.appendingPathComponent(".venv-bench/bin/python").path
        let roundValue = try RoundLoader.load(Data(contentsOf: root.appendingPathComponent("Policies/shanxi-2023.json")), file: "shanxi-2023.json") { name in
            try Data(contentsOf: root.appendingPathComponent("Policies").appendingPathComponent(name))
        }
        let hasPython = FileManager.default.isExecutableFile(atPath: python)
        let soffice = Self.which("soffice")

        print("== 文档生成基准（每项 \(runs) 次取中位数，另有 1 次预热；内存为子进程的峰值常驻内存）==")
        let uploads = try makeUploads()
        let scans = try makeScans()
        let (full, drawnOnly, blocks) = try makeApplications(uploads: uploads, scans: scans)

        // (a)
        let report = work.appendingPathComponent("report.pdf").path
        let round = root.appendingPathComponent("Policies/shanxi-2023.json").path
        let ours = try measure(jigai, ["report", full.path, "--round", round, "-o", report])
        let floor = try measure("/usr/bin/qpdf", ["--empty", "--pages"] + uploads.map(\.path) + ["--", work.appendingPathComponent("merged.pdf").path])
        let reportPages = try pages(report)
        var table: [[String]] = []
        table.append(row(
            "(a) 申请报告：\(reportPages) 页（10 份 10 页 PDF、5 张 JPEG 扫描件）", ours,
            "qpdf 合并同样的 10 份 PDF", floor,
            ratio: ours.seconds / floor.seconds, ratioText: "为下限的 %.1f 倍",
            target: "≤ 1 s 且 ≤ 8 倍下限", met: ours.seconds <= 1 && ours.seconds <= 8 * floor.seconds))

        // (b)
        let drawn = work.appendingPathComponent("drawn.pdf")
        let drawnApplication = try ApplicationReader.read(Data(contentsOf: drawnOnly), round: roundValue)
        let drawnReport = try ApplicationReport(round: roundValue, application: drawnApplication, uploads: [], date: CalendarDate(year: 2023, month: 10, day: 20))
        let drawnMeasurement = try measureInProcess { try drawnReport.write(to: drawn) }
        let drawnPages = try pages(drawn.path)
        if let soffice, hasPython {
            let docx = work.appendingPathComponent("report.docx")
            try JSONEncoder().encode(blocks).write(to: work.appendingPathComponent("blocks.json"))
            try check(python, [root.appendingPathComponent("Benchmarks/python/make_docx.py").path, work.appendingPathComponent("blocks.json").path, docx.path])
            let profile = "-env:UserInstallation=file://\(work.appendingPathComponent("libreoffice-profile").path)"
            let office = try measure(soffice, [profile, "--headless", "--convert-to", "pdf", "--outdir", work.appendingPathComponent("office").path, docx.path])
            let officePages = try pages(work.appendingPathComponent("office/report.pdf").path)
            table.append(row(
                "(b) 自绘页面 \(drawnPages) 页", drawnMeasurement, "LibreOffice 转换同样内容的 .docx（\(officePages) 页）", office,
                ratio: office.seconds / drawnMeasurement.seconds, ratioText: "快 %.1f 倍", target: "快 ≥ 5 倍",
                met: office.seconds >= 5 * drawnMeasurement.seconds))
        } else {
            table.append(row("(b) 自绘页面 \(drawnPages) 页", drawnMeasurement, soffice == nil ? "未安装 LibreOffice（soffice），跳过对照" : "缺少 .venv-bench，跳过对照",
                             nil, ratio: nil, ratioText: "", target: "快 ≥ 5 倍", met: nil))
        }

        // (c)
        let rows = work.appendingPathComponent("rows.tsv")
        let (header, lines) = Self.sheetInput(count: 10_000, instructions: roundValue.summaryInstructions)
        try JSONEncoder().encode(header).write(to: work.appendingPathComponent("rows.json"))
        try lines.joined(separator: "\n").write(to: rows, atomically: true, encoding: .utf8)
        let sheetOutput = work.appendingPathComponent("swift.xlsx")
        let sheet = try measureInProcess { try SheetInput.write(from: rows, to: sheetOutput) }
        if hasPython {
            let xlsxWriter = try measureReported(python, [root.appendingPathComponent("Benchmarks/python/write_xlsx.py").path, rows.path, work.appendingPathComponent("python.xlsx").path])
            table.append(row("(c) 汇总表 10,000 行（xlsx）", sheet, "Python XlsxWriter 写同样的行", xlsxWriter,
                             ratio: xlsxWriter.seconds / sheet.seconds, ratioText: "快 %.1f 倍", target: "快 ≥ 3 倍", met: xlsxWriter.seconds >= 3 * sheet.seconds))
        } else {
            table.append(row("(c) 汇总表 10,000 行（xlsx）", sheet, "缺少 .venv-bench，跳过对照", nil, ratio: nil, ratioText: "", target: "快 ≥ 3 倍", met: nil))
        }
        print(Self.format([["项目", "晋技改", "对照", "比较", "目标", "结果"]] + table))
    }

    // MARK: - Inputs

    /// Ten 10-page PDFs, as a scanner or an office suite would deliver them: text pages with an embedded CJK font each.
    func makeUploads() throws -> [URL] {
        try (1...10).map { index in
            let url = work.appendingPathComponent("upload-\(index).pdf")
            try DemoAttachment.pdf(title: "证明材料\(index)", enterprise: "山西示例实业有限公司", pages: 10).write(to: url)
            return url
        }
    }

    /// Five A4 pages scanned at 150 dpi as JPEG.
    func makeScans() throws -> [URL] {
        let source = work.appendingPathComponent("scans.pdf")
        try DemoAttachment.pdf(title: "企业营业执照", enterprise: "山西示例实业有限公司", pages: 5).write(to: source)
        try check("/usr/bin/pdftoppm", ["-r", "150", "-jpeg", source.path, work.appendingPathComponent("scan").path])
        return (1...5).map { work.appendingPathComponent("scan-\($0).jpg") }
    }

    /// The 研发费用奖励 example with long texts (about 30 drawn pages), once with the uploads and once without;
    /// and the same content as blocks for the .docx.
    func makeApplications(uploads: [URL], scans: [URL]) throws -> (URL, URL, [Block]) {
        let example = root.appendingPathComponent("Examples/applications/rd-expense.eligible.json")
        guard var json = try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any],
              var overview = json["overview"] as? [String: Any], var content = json["content"] as? [String: Any] else {
            throw BenchFailure(message: "无法读取 \(example.path)")
        }
        let sentences = ["公司坚持创新驱动发展战略，持续加大研发投入，围绕主导产品开展关键核心技术攻关，形成了较为完善的技术创新体系。",
                         "报告期内，公司与省内外高校和科研院所开展产学研合作，共建联合实验室两个，引进高层次技术人才十五名。",
                         "通过实施智能化改造，生产效率提高百分之二十以上，单位产品能耗下降百分之十二，产品合格率稳定在百分之九十九以上。",
                         "公司建立了覆盖研发立项、过程管理、成果转化和知识产权保护的全流程制度，研发费用实行专账核算。"]
        func text(_ paragraphs: Int, seed: Int) -> [String] {
            (0..<paragraphs).map { index in (0..<3).map { sentences[(seed + index + $0) % sentences.count] }.joined() }
        }
        let establishment = text(30, seed: 0), business = text(30, seed: 1), innovation = text(30, seed: 2)
        overview["texts"] = ["establishment": establishment.joined(separator: "\n"), "business": business.joined(separator: "\n")]
        content["innovationWork"] = innovation.joined(separator: "\n")
        json["overview"] = overview
        json["content"] = content
        json["attachments"] = [[String: String]]()
        let drawnOnly = work.appendingPathComponent("drawn.json")
        try JSONSerialization.data(withJSONObject: json).write(to: drawnOnly)

        let items = ["financial-2021", "financial-2022", "financial-2023h1", "credit-proof", "tax-return", "rd-assurance-report"]
        json["attachments"] = scans.map { ["item": "business-licence", "file": $0.lastPathComponent] }
            + uploads.enumerated().map { ["item": items[$0.offset % items.count], "file": $0.element.lastPathComponent] }
        let full = work.appendingPathComponent("full.json")
        try JSONSerialization.data(withJSONObject: json).write(to: full)

        let round = try RoundLoader.load(Data(contentsOf: root.appendingPathComponent("Policies/shanxi-2023.json")), file: "shanxi-2023.json") {
            try Data(contentsOf: root.appendingPathComponent("Policies").appendingPathComponent($0))
        }
        let finance = [["项目", "2021年", "2022年", "2023年上半年"]] + ["营业收入（万元）", "主营业务收入（万元）", "利润总额（万元）", "上缴税金（万元）", "资产负债率（%）"]
            .map { [$0, "86,000.00", "98,000.00", "51,000.00"] }
        var blocks: [Block] = [.heading("山西省技术改造专项资金奖励项目申请报告")]
        blocks += ["项目单位名称：山西示例实业有限公司", "申报专项：技术创新牵引专项", "申报方向：研发费用奖励", "项目名称：研发费用奖励",
                   "所属行业：高端装备制造", "支持方式：奖励", "联系人：王明", "联系手机：13934561234"].map(Block.paragraph)
        blocks += [.pageBreak, .heading("目　　录"), .table([["材料名称", "页码"]] + (1...12).map { ["附件\($0)", "\($0 + 2)"] }), .pageBreak]
        blocks += [.heading("山西省技术改造专项资金奖励项目情况表"), .table([SummarySheet(reviewAuthority: "", rows: [], instructions: []).headers,
                   ["1", "太原市", "小店区", "太原经济技术开发区", "山西示例实业有限公司", "技术创新牵引专项", "研发费用奖励", "研发费用奖励",
                    "民营企业", "战略性新兴产业", "高端装备制造", "王明 13934561234"]]), .pageBreak]
        blocks += [.heading("正文"), .paragraph("（一）申报单位概况"), .paragraph("1.设立情况、股权结构及主要股东概况、历史沿革")]
        blocks += establishment.map(Block.paragraph) + [.paragraph("2.主营业务及产品情况")] + business.map(Block.paragraph)
        blocks += [.paragraph("3.财务状况"), .table(finance), .paragraph("（二）申报奖励事项要求编制的其他内容")] + innovation.map(Block.paragraph)
        blocks += [.pageBreak, .heading("承诺书")] + round.generalCommitments.map(Block.paragraph) + [.pageBreak]
        blocks += [.heading("山西省技术改造资金奖励项目现场核查表"), .table((1...8).map { ["核查项目\($0)", "是□ 否□"] }), .pageBreak]
        blocks += [.heading("省级专项转移支付项目绩效目标表"), .table([["一级指标", "二级指标", "三级指标", "指标值"]] + (1...10).map { ["产出指标", "数量指标", "指标\($0)", "≥ \($0 * 10)"] })]
        return (full, drawnOnly, blocks)
    }

    /// One piece of the .docx: the Python script reads `kind` and `text` or `rows`.
    enum Block: Encodable {
        case heading(String), paragraph(String), table([[String]]), pageBreak

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            switch self {
            case .heading(let text): try container.encode("heading", forKey: .kind); try container.encode(text, forKey: .text)
            case .paragraph(let text): try container.encode("paragraph", forKey: .kind); try container.encode(text, forKey: .text)
            case .table(let rows): try container.encode("table", forKey: .kind); try container.encode(rows, forKey: .rows)
            case .pageBreak: try container.encode("pagebreak", forKey: .kind)
            }
        }

        enum Key: String, CodingKey { case kind, text, rows }
    }

    static func sheetInput(count: Int, instructions: [String]) -> (SheetInput, [String]) {
        let places = [("太原市", "小店区", "山西转型综改示范区"), ("大同市", "云冈区", ""), ("长治市", "潞州区", "长治高新技术产业开发区"), ("晋城市", "泽州县", ""), ("运城市", "盐湖区", "运城经济技术开发区")]
        let directions = [("企业增量提质专项", "营收增量奖励", "营收增量奖励（钢铁）", "传统优势产业", "钢铁"), ("技术创新牵引专项", "研发费用奖励", "研发费用奖励", "战略性新兴产业", "新材料"),
                          ("技术创新牵引专项", "仿制药一致性评价", "盐酸二甲双胍片", "战略性新兴产业", "现代医药"), ("数字化智能化改造专项", "两化融合管理体系贯标", "AA级", "战略性新兴产业", "电子信息")]
        let ownerships = ["央企", "省属国企", "地方国企", "民营企业", "其他"]
        let rows = (0..<count).map { index -> String in
            let place = places[index % places.count]
            let direction = directions[index % directions.count]
            return [place.0, place.1, place.2, "山西示例第\(index + 1)号有限公司", direction.0, direction.1, direction.2, ownerships[index % ownerships.count],
                    direction.3, direction.4, "联系人\(index % 97) 139\(String(format: "%08d", index))"].joined(separator: "\t")
        }
        let sheet = SummarySheet(reviewAuthority: "山西省工业和信息化厅", rows: [], instructions: instructions)
        return (SheetInput(title: SummarySheet.title, authority: sheet.reviewAuthorityLine, headers: sheet.headers,
                           widths: [6, 10, 10, 14, 24, 16, 26, 26, 10, 14, 12, 18], instructions: instructions), rows)
    }

    // MARK: - Measuring

    /// Median wall time over `runs` runs after a warm-up, and the largest peak resident memory seen.
    func measure(_ executable: String, _ arguments: [String]) throws -> Measurement {
        let report = work.appendingPathComponent("time.txt").path
        var times: [Double] = []
        var peak = 0.0
        for run in 0...runs {
            let start = DispatchTime.now()
            try check("/usr/bin/time", ["-f", "%M", "-o", report, executable] + arguments)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let kilobytes = Double((try String(contentsOfFile: report, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if run > 0 { times.append(seconds) }
            peak = max(peak, kilobytes / 1024)
        }
        return Measurement(seconds: times.sorted()[times.count / 2], peakMegabytes: peak)
    }

    /// Median wall time of `work` run in this process over `runs` runs after a warm-up; memory is this process's peak.
    func measureInProcess(_ work: () throws -> Void) throws -> Measurement {
        var times: [Double] = []
        for run in 0...runs {
            let start = DispatchTime.now()
            try work()
            if run > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9) }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Measurement(seconds: times.sorted()[times.count / 2], peakMegabytes: Double(usage.ru_maxrss) / 1024)
    }

    /// Median of the seconds a child reports for its own work on its last output line (`SECONDS PEAK_MB`), after a warm-up.
    func measureReported(_ executable: String, _ arguments: [String]) throws -> Measurement {
        var times: [Double] = []
        var peak = 0.0
        for run in 0...runs {
            let output = work.appendingPathComponent("reported.txt")
            try check(executable, arguments, standardOutput: output)
            let fields = (try String(contentsOf: output, encoding: .utf8)).split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            guard fields.count >= 2 else { throw BenchFailure(message: "\(executable) 没有报告用时") }
            if run > 0 { times.append(fields[fields.count - 2]) }
            peak = max(peak, fields[fields.count - 1])
        }
        return Measurement(seconds: times.sorted()[times.count / 2], peakMegabytes: peak)
    }

    func check(_ executable: String, _ arguments: [String], standardOutput: URL? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = work
        let errors = work.appendingPathComponent("errors.txt")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil) else {
            throw BenchFailure(message: "无法写入 \(errors.path)")
        }
        if let standardOutput {
            FileManager.default.createFile(atPath: standardOutput.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: standardOutput)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw BenchFailure(message: "\(([executable] + arguments).joined(separator: " ").prefix(300))\n\(message)")
        }
    }

    func pages(_ pdf: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        process.arguments = ["--show-npages", pdf]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    static func which(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    // MARK: - Output

    func row(_ what: String, _ ours: Measurement, _ other: String, _ theirs: Measurement?, ratio: Double?, ratioText: String, target: String, met: Bool?) -> [String] {
        let describe = { (m: Measurement) in String(format: "%.3f s，%.0f MB", m.seconds, m.peakMegabytes) }
        return [what, describe(ours), other + (theirs.map { "：" + describe($0) } ?? ""), ratio.map { String(format: ratioText, $0) } ?? "—",
                target, met.map { $0 ? "达标" : "未达标" } ?? "跳过"]
    }

    /// Columns padded by display width (a Chinese character is two columns wide).
    static func format(_ rows: [[String]]) -> String {
        func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) } }
        let widths = (0..<rows[0].count).map { column in rows.map { width($0[column]) }.max() ?? 0 }
        return rows.map { cells in
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - width($0)) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
