import Fluent
import Foundation
import Spawn
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("申请报告：企业预览和下载、审核人员下载、范围之外不可见、损坏的附件", .serialized)
struct ReportTests {
    @Test("企业在提交前预览申请报告：生成时页面自动刷新，生成后可预览和下载；其他企业看不到")
    func enterprisePreview() async throws {
        try await withTestApp { app in
            var (browser, demo) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            #expect(try await browser.upload(app, location, item: "tax-return", fileName: "纳税申报表.pdf", data: Fixtures.pdf(pages: 3)).status == .seeOther)
            #expect(try await browser.upload(app, location, item: "business-licence", fileName: "营业执照.png", data: Fixtures.png).status == .seeOther)
            #expect(try await browser.get(app, location).body.string.contains("action=\"\(location)/report\""))

            let (path, page) = try await browser.buildReport(app, location + "/report")
            #expect(page.contains("申请报告已生成"), "\(page)")
            let preview = try await browser.get(app, path + "/pdf")
            #expect(preview.status == .ok)
            #expect(preview.headers.contentType == .pdf)
            #expect(preview.headers.first(name: .contentDisposition)?.hasPrefix("inline;") == true)
            let text = try PDFText.of(Data(buffer: preview.body))
            #expect(text.contains("项目单位名称：\(demo.name)"))
            #expect(text.contains("附件（三）-1企业营业执照或法人证书"), "目录列出上传的附件，按通知附件2 四（三）编号")
            let download = try await browser.get(app, path + "/pdf?download=1")
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(Data(buffer: download.body) == Data(buffer: preview.body))

            var (other, _) = try await app.demoEnterprise(1)
            #expect(try await other.get(app, path).status == .notFound)
            #expect(try await other.get(app, path + "/pdf").status == .notFound)
            #expect(try await other.post(app, location + "/report", [:]).status == .notFound)
            let reviewer = "/review" + location.dropFirst("/enterprise".count)
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await city.post(app, reviewer + "/report", [:]).status == .notFound, "草稿不在审核范围内")
            let exports = try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.export.rawValue).filter(\.$objectType == "申请报告").count()
            #expect(exports == 1)
        }
    }

    @Test("审核人员下载属地内的申请报告；属地外的审核人员被拒绝，也看不到别人生成的报告")
    func reviewerDownload() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0)
            let reviewer = "/review" + location.dropFirst("/enterprise".count)
            // Submitted on 2023-10-20: a report the city builds later carries that 申报日期, as the enterprise's copy did.
            let stored = try #require(try await StoredApplication.find(UUID(uuidString: String(location.split(separator: "/").last!)), on: app.db))
            stored.submittedAt = try #require(Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "Asia/Shanghai"),
                                                                                                      year: 2023, month: 10, day: 20, hour: 9)))
            try await stored.save(on: app.db)
            var taiyuan = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await taiyuan.get(app, reviewer).body.string.contains("action=\"\(reviewer)/report\""))
            let (path, page) = try await taiyuan.buildReport(app, reviewer + "/report")
            #expect(page.contains("申请报告已生成"), "\(page)")
            let pdf = try await taiyuan.get(app, path + "/pdf")
            #expect(pdf.status == .ok)
            let text = try PDFText.of(Data(buffer: pdf.body))
            #expect(text.contains("山西省技术改造资金奖励项目现场核查表"))
            #expect(text.contains("二〇二三年十月"), "封面的申报日期是提交日期")
            #expect(text.contains("项目单位名称：太原示例钢铁有限公司（单位公章）"))

            var datong = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            #expect(try await datong.post(app, reviewer + "/report", [:]).status == .notFound)
            #expect(try await datong.get(app, path).status == .notFound)
            #expect(try await datong.get(app, path + "/pdf").status == .notFound)
            var division = try await app.staff(.divisionReviewer, organisation: "raw-materials", login: "yuancailiao")
            #expect(try await division.post(app, reviewer + "/report", [:]).status == .notFound, "未报送省厅")
            // The enterprise's own side is not the reviewers'.
            #expect(try await taiyuan.post(app, location + "/report", [:]).status != .seeOther)
        }
    }

    @Test("上传时看似正常、实际损坏的图片：报告生成失败，中文说明指出附件项目和文件名，服务不受影响")
    func hostileUpload() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            // A PNG whose header declares a 600×800 scan, followed by bytes that are not image data.
            var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) + Data("IHDR".utf8)
            png += Data([0, 0, 0x02, 0x58, 0, 0, 0x03, 0x20, 8, 2, 0, 0, 0, 0x12, 0x34, 0x56, 0x78])
            png += Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            #expect(try await browser.upload(app, location, item: "business-licence", fileName: "营业执照（扫描）.png", data: png).status == .seeOther)

            let (path, page) = try await browser.buildReport(app, location + "/report")
            #expect(page.contains("附件“企业营业执照或法人证书”中的文件“营业执照（扫描）.png”无法编入申请报告：PNG 图片已损坏"), "\(page)")
            #expect(try await browser.get(app, path + "/pdf").status == .conflict)
            #expect(try await browser.get(app, location).status == .ok)
        }
    }

    @Test("子进程超出内存上限：报告生成失败并说明原因，服务照常响应")
    func memoryLimit() async throws {
        try await withTestApp { app in
            // Far below what the program needs just to start: the child dies, the server does not.
            app.settings.reports.memoryBytes = 32 * 1024 * 1024
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let (_, page) = try await browser.buildReport(app, location + "/report")
            #expect(page.contains("生成申请报告失败（超出内存或处理时间限制）"), "\(page)")
            #expect(try await browser.get(app, location).status == .ok)
        }
    }

    @Test("子进程超过时间上限：被强制结束，报告生成失败并说明超时，服务照常响应")
    func wallClockLimit() async throws {
        try await withTestApp { app in
            // A child that never finishes and uses no CPU, so only the wall-clock limit can end it; it leaves its pid behind.
            let folder = URL(fileURLWithPath: app.settings.dataDirectory)
            let hanging = folder.appendingPathComponent("hanging-report")
            let pidFile = folder.appendingPathComponent("hanging-report.pid")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "#!/bin/sh\necho $$ > '\(pidFile.path)'\nexec sleep 600\n".write(to: hanging, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hanging.path)
            app.settings.reports.executable = hanging
            app.settings.reports.seconds = 2
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let (_, page) = try await browser.buildReport(app, location + "/report")
            #expect(page.contains("生成申请报告超时（超过 2 秒）"), "\(page)")
            #expect(try await browser.get(app, location).status == .ok)
            let pid = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!pid.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "超时的子进程 \(pid) 仍在运行")
        }
    }

    @Test("服务重启中断的生成任务：状态页不再等待并说明原因，可以重新生成")
    func interruptedJob() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let applicationID = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            let enterprise = try #require(try await User.query(on: app.db).filter(\.$role == .enterprise).first())
            let job = ReportJob(applicationID: applicationID, requestedBy: try enterprise.requireID())
            try await job.create(on: app.db)
            job.createdAt = Date().addingTimeInterval(-Double(app.settings.reports.seconds + ReportJob.margin + 5))
            try await job.save(on: app.db)
            let jobPath = location + "/report/" + (try job.requireID()).uuidString

            let page = try await browser.get(app, jobPath).body.string
            #expect(page.contains(ReportJob.interruptedMessage), "\(page)")
            #expect(page.contains("请返回申报页重新生成"))
            #expect(!page.contains("http-equiv=\"refresh\""))
            let (path, rebuilt) = try await browser.buildReport(app, location + "/report")
            #expect(path != jobPath)
            #expect(rebuilt.contains("申请报告已生成"), "\(rebuilt)")
        }
    }

    @Test("启动时清理：SQLite 上仍在生成的任务都记为中断，报告目录中没有对应已完成任务的文件被删除；PostgreSQL 上只处理超时的")
    func startupSweep() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let (donePath, _) = try await browser.buildReport(app, location + "/report")
            let enterprise = try #require(try await User.query(on: app.db).filter(\.$role == .enterprise).first())
            let doneID = try #require(UUID(uuidString: String(donePath.split(separator: "/").last ?? "")))
            let applicationID = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            let building = ReportJob(applicationID: applicationID, requestedBy: try enterprise.requireID())
            try await building.create(on: app.db)
            let reports = URL(fileURLWithPath: app.settings.dataDirectory).appendingPathComponent("reports")
            let leftovers = [".\(UUID().uuidString).pdf.\(UUID().uuidString).tmp", "\(UUID().uuidString).log", "\(UUID().uuidString).pdf"]
            for name in leftovers { FileManager.default.createFile(atPath: reports.appendingPathComponent(name).path, contents: Data("x".utf8)) }

            let (jobs, files) = try await StoreSweeper.sweepReports(app)
            let remaining = try FileManager.default.contentsOfDirectory(atPath: reports.path)
            let stored = try #require(try await ReportJob.find(building.id, on: app.db))
            #expect(remaining.contains("\(doneID.uuidString).pdf"))
            if app.settings.databaseKind == .sqlite {
                #expect(jobs == 1 && files == 3)
                #expect(stored.status == .failed && stored.message == ReportJob.interruptedMessage)
                #expect(remaining == ["\(doneID.uuidString).pdf"])
            } else {
                #expect(jobs == 0 && files == 0)
                #expect(stored.status == .building)
                #expect(remaining.count == 1 + leftovers.count)
            }
            #expect(try await browser.get(app, donePath + "/pdf").status == .ok)
        }
    }

    @Test("重新生成时只保留最新的一份")
    func newestOnly() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let (first, _) = try await browser.buildReport(app, location + "/report")
            let (second, page) = try await browser.buildReport(app, location + "/report")
            #expect(first != second)
            #expect(page.contains("申请报告已生成"))
            #expect(try await browser.get(app, first).status == .notFound)
            #expect(try await ReportJob.query(on: app.db).count() == 1)
            let reports = URL(fileURLWithPath: app.settings.dataDirectory).appendingPathComponent("reports").path
            #expect(try FileManager.default.contentsOfDirectory(atPath: reports).filter { $0.hasSuffix(".pdf") }.count == 1)
        }
    }
}
