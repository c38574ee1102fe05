import Foundation
import PolicyKit
import Testing
@testable import Documents

/// The 申请报告 built from an example application with uploaded PDFs, a JPEG and a PNG, read back with qpdf and poppler.
@Suite("申请报告（附件2）")
struct ApplicationReportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func round() throws -> Round {
        let policies = root.appendingPathComponent("Policies")
        let data = try Data(contentsOf: policies.appendingPathComponent("shanxi-2023.json"))
        return try RoundLoader.load(data, file: "shanxi-2023.json") { try Data(contentsOf: policies.appendingPathComponent($0)) }
    }

    static func application(_ name: String, round: Round) throws -> Application {
        try ApplicationReader.read(try Data(contentsOf: root.appendingPathComponent("Examples/applications/\(name)")), round: round)
    }

    /// An uploaded file as the test made it: its item, what its first page says, and how many pages it has.
    struct MadeUpload {
        var upload: ApplicationReport.Upload
        var firstPageText: String?
        var pages: Int
        var imageEncoding: String?
    }

    /// A PDF upload made with `DemoAttachment`, or a raster scan of one made with pdftoppm.
    static func makeUpload(item: String, title: String, pages: Int, format: String?, in folder: OutputFolder) throws -> MadeUpload {
        let pdf = folder.file("\(item).pdf")
        try DemoAttachment.pdf(title: title, enterprise: "山西示例电子科技有限公司", pages: pages).write(to: pdf)
        guard let format else {
            return MadeUpload(upload: .init(item: item, fileName: "\(title).pdf", content: .pdf(pdf)), firstPageText: title, pages: pages)
        }
        let prefix = folder.file("\(item)-scan").path
        let result = try ExternalTool.run("pdftoppm", ["-r", "50", "-\(format)", pdf.path, prefix])
        try #require(result.status == 0, "pdftoppm: \(result.errors)")
        let suffix = format == "jpeg" ? "jpg" : "png"
        let scans = (1...pages).map { URL(fileURLWithPath: pages == 1 ? "\(prefix)-1.\(suffix)" : "\(prefix)-\($0).\(suffix)") }
        return MadeUpload(upload: .init(item: item, fileName: "扫描件.\(suffix)", content: .images(scans)), firstPageText: nil, pages: pages,
                          imageEncoding: format == "jpeg" ? "jpeg" : "image")
    }

    /// A scan filed sideways: the page says /Rotate 90, as scanners often write landscape pages.
    static func rotated(_ made: MadeUpload, in folder: OutputFolder) throws -> MadeUpload {
        guard case .pdf(let url) = made.upload.content else { return made }
        let rotated = folder.file("rotated-\(url.lastPathComponent)")
        let result = try ExternalTool.run("qpdf", ["--rotate=+90", url.path, rotated.path])
        try #require(result.status == 0, "qpdf --rotate: \(result.errors)")
        var copy = made
        copy.upload.content = .pdf(rotated)
        return copy
    }

    @Test("白名单申报：封面、目录页码、情况表、正文、附件顺序、每页页码、书签、上传文件原样合并")
    func whitelistReport() throws {
        let round = try Self.round()
        let application = try Self.application("whitelist-2022-h2-tier-2.eligible.json", round: round)
        let folder = try OutputFolder("application-report")
        let made = [
            try Self.makeUpload(item: "business-licence", title: "营业执照", pages: 1, format: "jpeg", in: folder),
            try Self.makeUpload(item: "financial-2021", title: "2021年财务报表", pages: 2, format: nil, in: folder),
            try Self.makeUpload(item: "financial-2022", title: "2022年财务报表", pages: 1, format: nil, in: folder),
            try Self.makeUpload(item: "financial-2023h1", title: "2023年上半年财务报表", pages: 1, format: "png", in: folder),
            try Self.rotated(try Self.makeUpload(item: "credit-proof", title: "信用中国查询结果", pages: 1, format: nil, in: folder), in: folder),
            try Self.makeUpload(item: "output-audit-report", title: "产值增长专项审计报告", pages: 3, format: nil, in: folder),
        ]
        let report = try ApplicationReport(
            round: round, application: application, uploads: made.map(\.upload), date: CalendarDate(year: 2023, month: 10, day: 25)
        )
        let probe = try PDFProbe(writing: try report.pdf(), to: folder.file("申请报告.pdf"))

        let check = try probe.qpdfCheck()
        #expect(check.status == 0, "qpdf --check: \(check.output)\(check.errors)")
        #expect(check.output.contains("No syntax or stream encoding errors found"))
        for font in try probe.fonts() {
            #expect(font.embedded, "字体未嵌入：\(font.name)")
        }
        #expect(try probe.info()["Title"] == "山西省技术改造专项资金奖励项目申请报告")

        // The 目录 on page 2: titles in the left column, page numbers in the right one.
        let portrait = PageLayout(landscape: false)
        let columns = portrait.columns([8, 1.3])
        let titles = try portrait.columnText(probe, page: 2, column: columns[0])
        let numbers = try probe.text(page: 2, x: columns[1].x + 1.5, y: portrait.bodyTop, width: columns[1].width - 3, height: portrait.bodyBottom - portrait.bodyTop)
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let attachmentTitles = ["承诺书", "山西省技术改造资金奖励项目现场核查表"]
            + round.generalAttachments.filter { $0.source == .upload }.map(\.title)
            + ["省级专项转移支付项目绩效目标表"]
            + ["有资质的会计师事务所出具的企业产值增长专项审计报告（含申报期间每月当月产值及同比增长情况）"]
        // Numbered by the notice's 四（一）–（六）; 四（三） lists four documents, the others one each here.
        let labels = ["附件（一）", "附件（二）", "附件（三）-1", "附件（三）-2", "附件（三）-3", "附件（三）-4", "附件（四）", "附件（五）", "附件（六）"]
        let expectedTitles = ["一、山西省技术改造专项资金奖励项目情况表", "二、正文"]
            + zip(labels, attachmentTitles).map { "\($0) \($1)" }
        #expect(titles.contains("目录材料名称" + expectedTitles.joined().compacted), "目录：\(titles)")
        try #require(numbers.count == expectedTitles.count, "页码：\(numbers)")
        #expect(numbers == numbers.sorted() && numbers[0] == 3)

        let pageCount = try probe.pageCount()
        var pageTexts = [""]
        for page in 1...pageCount { pageTexts.append(try probe.text(page: page).compacted) }

        // Each listed page starts its part; uploads keep their own first page.
        let starts: [String?] = ["山西省技术改造专项资金奖励项目情况表", "正文", "承诺书", "山西省技术改造资金奖励项目现场核查表"]
            + made.dropLast().map(\.firstPageText) + ["省级专项转移支付项目绩效目标表", made.last!.firstPageText]
        for (index, start) in starts.enumerated() {
            let text = pageTexts[numbers[index]]
            if let start {
                #expect(text.hasPrefix(start), "第 \(numbers[index]) 页应以“\(start)”开始：\(text.prefix(60))")
            } else {
                #expect(text == "—\(numbers[index])—", "扫描件页只有页码：\(text)")
            }
        }
        // Uploaded parts are exactly as long as the uploads; the last part ends on the last page.
        let uploadEntries = [4, 5, 6, 7, 8, 10]
        for (entry, upload) in zip(uploadEntries, made) {
            let end = entry + 1 < numbers.count ? numbers[entry + 1] : pageCount + 1
            #expect(end - numbers[entry] == upload.pages, "\(upload.upload.item) 页数")
        }
        #expect(numbers[3] - numbers[2] == 1, "承诺书与模板一样占一页")
        #expect(pageCount == numbers.last! + made.last!.pages - 1)

        // Every page but the cover carries its own number once.
        #expect(!pageTexts[1].contains("—"))
        for page in 2...pageCount {
            #expect(pageTexts[page].components(separatedBy: "—\(page)—").count == 2, "第 \(page) 页的页码：\(pageTexts[page].suffix(20))")
        }

        // On the page filed sideways the number is upright and as large as anywhere else (4号, about 20 pt of glyph box).
        let sideways = numbers[8]
        let boxes = try ExternalTool.run("pdftotext", ["-bbox", "-f", String(sideways), "-l", String(sideways), probe.url.path, "-"]).output
        let numberWord = try #require(try NSRegularExpression(pattern: #"yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">\#(sideways)<"#)
            .firstMatch(in: boxes, range: NSRange(boxes.startIndex..., in: boxes)))
        let glyphHeight = Double(boxes[Range(numberWord.range(at: 2), in: boxes)!])! - Double(boxes[Range(numberWord.range(at: 1), in: boxes)!])!
        #expect(glyphHeight > 18, "侧放页面的页码高度 \(glyphHeight)")

        // Scans are embedded as images, the JPEG as it was (DCT).
        let images = try ExternalTool.run("pdfimages", ["-list", probe.url.path]).output.split(separator: "\n").dropFirst(2)
            .map { $0.split(separator: " ") }
        for (entry, upload) in zip(uploadEntries, made) where upload.imageEncoding != nil {
            #expect(images.contains { Int($0[0]) == numbers[entry] && $0[8] == upload.imageEncoding! }, "\(upload.upload.item) 的图片")
        }

        // The outline: 封面, 目录 and every listed part, each opening its page.
        let json = try ExternalTool.run("qpdf", ["--json", "--json-key=outlines", probe.url.path])
        let outlines = try #require((try JSONSerialization.jsonObject(with: json.data) as? [String: Any])?["outlines"] as? [[String: Any]])
        #expect(outlines.compactMap { $0["title"] as? String } == ["封面", "目录"] + expectedTitles)
        #expect(outlines.compactMap { $0["destpageposfrom1"] as? Int } == [1, 2] + numbers)

        // Cover.
        let cover = pageTexts[1]
        for text in ["山西省技术改造专项资金奖励项目", "申请报告", "项目单位名称：山西示例电子科技有限公司（单位公章）", "申报专项：企业增量提质专项",
                     "申报方向：“白名单”企业奖励", "项目名称：“白名单”企业奖励（2022年6至12月）", "所属行业：电子信息", "支持方式：奖励",
                     "联系人：王明", "联系手机：13934561234", "二〇二三年十月"] {
            #expect(cover.contains(text), "封面缺少“\(text)”：\(cover)")
        }

        // 情况表 on a landscape page.
        let sizes = try probe.pageSizes()
        #expect(sizes[numbers[0] - 1].width > sizes[numbers[0] - 1].height)
        let city = try #require(round.city("140100"))
        let county = try #require(city.counties.first { $0.code == "140105" })
        let situation = pageTexts[numbers[0]]
        #expect(situation.contains("项目申报企业（单位）（公章）：山西示例电子科技有限公司"))
        #expect(situation.contains("填表说明："))
        // Read column by column, as cells wrap: the twelve columns of 附件2 二（一）, header and the applicant's row.
        let landscape = PageLayout(landscape: true)
        let sheetColumns = landscape.columns([26, 40, 40, 52, 88, 54, 88, 88, 50, 50, 50, 68])
        let cells = ["序号1", "所在市\(city.name)", "所在县\(county.name)", "所在开发区太原经济技术开发区", "企业（单位）名称山西示例电子科技有限公司",
                     "申报专项企业增量提质专项", "申报方向“白名单”企业奖励", "项目名称“白名单”企业奖励（2022年6至12月）", "企业（单位）性质民营企业",
                     "行业分类战略性新兴产业", "所属行业电子信息", "项目联系人及手机王明13934561234"]
        for (column, cell) in zip(sheetColumns, cells) {
            let text = try landscape.columnText(probe, page: numbers[0], column: column)
            #expect(text.contains(cell), "情况表：\(text)")
        }

        // 正文.
        let mainText = pageTexts[numbers[1]..<numbers[2]].joined()
        for text in ["（一）申报单位概况", "1.设立情况、股权结构及主要股东概况、历史沿革", "注册资本5000万元", "3.财务状况",
                     "2021年2022年2023年上半年", "营业收入（万元）86,000.0098,000.0051,000.00", "资产负债率（%）58.2055.1054.80",
                     "上缴税金（万元）3,100.003,650.001,900.00",
                     "（二）申报奖励事项要求编制的其他内容", "“白名单”公布部门：省工信厅", "纳入“白名单”日期：2022年8月15日",
                     "每月当月产值", "同比增长（%）", "8月3,100.006,300.00103.23", "6月3,200.003,650.0014.06",
                     "2022年8月纳入省工信厅重点产业链供应链"] {
            #expect(mainText.contains(text), "正文缺少“\(text)”")
        }

        // 承诺书 with the direction's own commitment under item 4, and the city's block.
        let letter = pageTexts[numbers[2]..<numbers[3]].joined()
        for text in round.generalCommitments.map(\.compacted) + [
            "申报的每月当月产值及同比增长数据与附件专项审计报告一致。", "单位法人代表（签名）（单位公章）", "项目负责人（签名）联系电话：",
            "市工信局（山西转型综改示范区管委会）审核意见：", "目标1：巩固提升主导产品市场竞争力",
        ] {
            #expect(letter.contains(text), "承诺书缺少“\(text)”")
        }
        #expect(pageTexts[numbers[3]].contains("是□否□"))

        // 绩效目标表.
        let targets = pageTexts[numbers[9]..<numbers[10]].joined()
        for text in ["专项名称山西省技术改造专项资金", "省级主管部门山西省工业和信息化厅", "年度金额：1,500.00", "其中：中央补助0.00", "省级预算300.00",
                     "一级指标二级指标三级指标指标值", "产出指标数量指标新增产能≥5万吨", "时效指标", "经济效益指标新增营业收入≥8000万元",
                     "满意度指标服务对象满意度指标用户满意度≥90%"] {
            #expect(targets.contains(text), "绩效目标表缺少“\(text)”")
        }
    }

    @Test("仿制药申报：品种表按申报表的栏目，带企业名称和备注")
    func genericDrugVarieties() throws {
        let round = try Self.round()
        let application = try Self.application("generic-drug.eligible.json", round: round)
        let folder = try OutputFolder("application-report-generic-drug")
        let report = try ApplicationReport(round: round, application: application, uploads: [], date: CalendarDate(year: 2023, month: 10, day: 25))
        let probe = try PDFProbe(writing: try report.pdf(), to: folder.file("申请报告.pdf"))
        #expect(try probe.qpdfCheck().status == 0)
        let text = try probe.text().compacted
        #expect(text.contains(GenericDrugForm.notes[0]))
        let sheet = try #require((1...probe.pageCount()).first { try probe.text(page: $0).compacted.contains("申请奖励品种名称") })
        #expect(try probe.text(page: sheet).compacted.contains("项目申报企业（单位）（公章）：\(application.enterprise.name ?? "")"), "申报表的公章行")
        let page = try #require((1...probe.pageCount()).first { try probe.text(page: $0).compacted.contains("申请奖励品种名称") })
        let portrait = PageLayout(landscape: false)
        let columns = portrait.columns([1.05, 1.6, 1.05, 1.3, 1.3, 0.9])
        let variety = try #require(application.content["varieties"]?.rows?.first)
        let values = [application.enterprise.name, variety["variety"]?.text, variety["specification"]?.text,
                      variety["bioequivalence"]?.text, variety["progress"]?.text, nil]
        for (column, (header, value)) in zip(columns, zip(GenericDrugForm.headers, values)) {
            let cells = try portrait.columnText(probe, page: page, column: column)
            #expect(cells.contains(header + (value ?? "")), "申报表：\(cells)")
        }
        #expect(text.contains("获得奖励的品种，自通过一致性评价之日起5年内"))
    }

    @Test("损坏的上传文件：指出附件项目和文件名")
    func brokenUpload() throws {
        let round = try Self.round()
        let application = try Self.application("whitelist-2022-h2-tier-2.eligible.json", round: round)
        let folder = try OutputFolder("application-report-broken")
        let broken = folder.file("broken.pdf")
        try Data("%PDF-1.7\n这不是 PDF".utf8).write(to: broken)
        let report = try ApplicationReport(
            round: round, application: application,
            uploads: [.init(item: "credit-proof", fileName: "信用报告.pdf", content: .pdf(broken))],
            date: CalendarDate(year: 2023, month: 10, day: 25)
        )
        let error = try #require(throws: DocumentError.self) { try report.pdf() }
        guard case let .unusableUpload(item, file, _) = error else {
            Issue.record("意外的错误：\(error)")
            return
        }
        #expect(item.hasPrefix("不在“信用中国（山西）”网站失信黑名单"))
        #expect(file == "信用报告.pdf")
        #expect(error.description.hasSuffix("无法编入申请报告：文件已损坏或不是 PDF"))
    }
}
