import Foundation
import Spawn
import Testing

/// The yearly procedure on the command line — check, diff, simulate, open — and a next-year round served alone, from
/// another working folder.
@Suite("命令行：jigai round / simulate / admin create", .serialized)
struct RoundCommandTests {
    static let root = CommandLineTests.root
    static let nextYear = root.appendingPathComponent("Tests/Rounds/shanxi-2024.json")

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    func jigai(_ arguments: [String], environment: [String: String] = [:], in folder: URL = RoundCommandTests.root) throws -> Run {
        let merged = ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" && $0.key != "JIGAI_POLICIES" }.merging(environment) { $1 }
        let outcome = try ChildProcess.runSynchronously(CommandLineTests.executable.path, arguments, environment: merged, workingDirectory: folder.path, input: Data())
        return Run(status: outcome.exitCode ?? -1, output: outcome.text, errors: outcome.errorText)
    }

    func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("round check：通过为 0，有错为 1 并逐条指出，读不到为 2；警告不改变退出码")
    func check() throws {
        let clean = try jigai(["round", "check", "Policies/shanxi-2023.json", Self.nextYear.path])
        #expect(clean.status == 0, "\(clean.output)\(clean.errors)")
        #expect(clean.output.contains("申报批次 shanxi-2024（晋工信投资字〔2024〕88号），基准年度 2023，13 个申报方向\n  检查通过"))

        let folder = try temporaryFolder("check")
        defer { try? FileManager.default.removeItem(at: folder) }
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.nextYear)) as! [String: Any]
        object["deadline"] = "2024-11-31T23:59:59+08:00"
        object["dedline_note"] = "x"
        try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("broken.json"))
        let broken = try jigai(["round", "check", folder.appendingPathComponent("broken.json").path])
        #expect(broken.status == 1)
        #expect(broken.output.contains("错误　deadline：“2024-11-31T23:59:59+08:00”不是带时区的有效时间"))
        #expect(broken.output.contains("此文件不能使用"))

        object["deadline"] = "2024-11-08T23:59:59+08:00"
        object.removeValue(forKey: "dedline_note")
        var instructions = object["summaryInstructions"] as! [String]
        instructions[0] = "2019年度" + instructions[0]
        object["summaryInstructions"] = instructions
        try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("leftover.json"))
        let warned = try jigai(["round", "check", folder.appendingPathComponent("leftover.json").path])
        #expect(warned.status == 0)
        #expect(warned.output.contains("警告　summaryInstructions[0]：") && warned.output.contains("检查通过，有 1 条警告"), "\(warned.output)")

        let missing = try jigai(["round", "check", folder.appendingPathComponent("none.json").path])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("无法读取政策文件"))
    }

    @Test("round diff：列出两个批次的变化，中文，以处数结尾")
    func diff() throws {
        let run = try jigai(["round", "diff", "Policies/shanxi-2023.json", Self.nextYear.path])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("批次比较：shanxi-2023（晋工信投资字〔2023〕143号）→ shanxi-2024（晋工信投资字〔2024〕88号）"))
        for line in ["2023年营收增量门槛：3 亿元 → 2.5 亿元", "删除申报方向“智能制造诊断”", "新增申报方向“工业互联网平台”",
                     "申报截止时间：2023-11-10 23:59 → 2024-11-08 23:59", "新增“白名单”申报期间“2024年1至3月”，月份：1-2月、3月", "联系人：韩鹏月 → 赵文涛"] {
            #expect(run.output.contains(line), "\(line)")
        }
        #expect(run.output.contains("处变化"))
    }

    @Test("只有下一年度的政策文件、从其他目录运行：catalog、check、report 都按 2024 批次，报告中没有 2023 批次的文字")
    func nextYearAlone() throws {
        let folder = try temporaryFolder("next-year")
        defer { try? FileManager.default.removeItem(at: folder) }
        let policies = folder.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.nextYear, to: policies.appendingPathComponent("shanxi-2024.json"))
        let environment = ["JIGAI_POLICIES": policies.path]

        let catalog = try jigai(["catalog", "--tree"], environment: environment, in: folder)
        #expect(catalog.status == 0, "\(catalog.errors)")
        #expect(catalog.output.hasPrefix("晋工信投资字〔2024〕88号"))
        #expect(!catalog.output.contains("智能制造诊断") && !catalog.output.contains("2023年1至3月"))

        let example = Self.root.appendingPathComponent("Tests/Rounds/applications/rd-expense.eligible.json").path
        let check = try jigai(["check", example], environment: environment, in: folder)
        #expect(check.status == 0, "\(check.output)\(check.errors)")
        #expect(check.output.contains("\"round\" : \"shanxi-2024\""))
        let old = try jigai(["check", Self.root.appendingPathComponent("Examples/applications/rd-expense.eligible.json").path], environment: environment, in: folder)
        #expect(old.status == 2)
        #expect(old.errors.contains("中没有申报批次“shanxi-2023”；可选：shanxi-2024"))

        let pdf = folder.appendingPathComponent("申请报告.pdf")
        let report = try jigai(["report", example, "-o", pdf.path], environment: environment, in: folder)
        #expect(report.status == 0, "\(report.errors)")
        let text = try ChildProcess.runSynchronously("/usr/bin/pdftotext", ["-enc", "UTF-8", pdf.path, "-"]).text
        let compact = text.filter { !$0.isWhitespace }
        #expect(compact.contains("2023年6至12月、或2024年1至3月"))
        for stale in ["143号", "2022年6至12月", "2023年1至3月", "智能制造诊断", "2023年上半年"] {
            #expect(!compact.contains(stale), "2024 年的申请报告中出现了“\(stale)”")
        }
    }

    @Test("开启与假设分析：round open/list/close、simulate 按 2024 草案重判 2023 年的申报；admin create 密码不出现在命令行")
    func lifecycle() throws {
        let folder = try temporaryFolder("lifecycle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let policies = folder.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        for name in ["shanxi-2023.json", "shanxi-2023-demo.json"] {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Policies/\(name)"), to: policies.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Self.nextYear, to: policies.appendingPathComponent("shanxi-2024.json"))
        let environment = ["JIGAI_POLICIES": policies.path, "JIGAI_DATA": folder.appendingPathComponent("data").path]

        #expect(try jigai(["migrate", "--yes"], environment: environment).status == 0)
        #expect(try jigai(["demo"], environment: environment).status == 0)
        let before = try jigai(["round", "list"], environment: environment)
        #expect(before.output.contains("shanxi-2023-demo　晋工信投资字〔2023〕143号　已开启　截止 2027-11-10 23:59　政策文件与开启时一致"))
        #expect(before.output.contains("shanxi-2024　晋工信投资字〔2024〕88号　未开启　文件中的截止时间 2024-11-08 23:59"))

        let simulated = try jigai(["simulate", Self.nextYear.path, "--from", "shanxi-2023-demo"], environment: environment)
        #expect(simulated.status == 0, "\(simulated.errors)")
        #expect(simulated.output.contains("按 shanxi-2024（晋工信投资字〔2024〕88号）的条件重新判断 shanxi-2023-demo（晋工信投资字〔2023〕143号）的申报"))
        #expect(simulated.output.contains("消费品增量奖励\t1\t1\t1\t0\t"))
        #expect(simulated.output.contains("合计\t"))

        let past = try jigai(["round", "open", "shanxi-2024", "--deadline", "2020-01-01 00:00"], environment: environment)
        #expect(past.status == 1)
        #expect(past.errors.contains("截止时间 2020-01-01 00:00 已过，须晚于现在"))
        let opened = try jigai(["round", "open", "shanxi-2024", "--deadline", "2027-11-08 23:59"], environment: environment)
        #expect(opened.status == 0, "\(opened.errors)")
        #expect(opened.output.contains("已开启申报批次 shanxi-2024（晋工信投资字〔2024〕88号），截止 2027-11-08 23:59"))
        #expect(try jigai(["round", "close", "shanxi-2023-demo", "--reason", "2023 年度受理结束"], environment: environment).status == 0)
        let after = try jigai(["round", "list"], environment: environment)
        #expect(after.output.contains("shanxi-2023-demo　晋工信投资字〔2023〕143号　已关闭"))
        #expect(after.output.contains("shanxi-2024　晋工信投资字〔2024〕88号　已开启　截止 2027-11-08 23:59"))

        let password = folder.appendingPathComponent("password")
        try Data("12345678901\n".utf8).write(to: password)
        let weak = try jigai(["admin", "create", "--login", "chief", "--name", "投资处管理员", "--password-file", password.path], environment: environment)
        #expect(weak.status == 1)
        try Data("Luya-Peak-Wind-27\n".utf8).write(to: password)
        let created = try jigai(["admin", "create", "--login", "chief", "--name", "投资处管理员", "--password-file", password.path], environment: environment)
        #expect(created.status == 0, "\(created.errors)")
        #expect(created.output.contains("已创建管理员账号 chief（投资处管理员）"))
        let noTerminal = try jigai(["admin", "create", "--login", "chief2", "--name", "x"], environment: environment)
        #expect(noTerminal.status == 2)
        #expect(noTerminal.errors.contains("请在终端中运行以输入密码，或用 --password-file 指定密码文件"))
        #expect(try jigai(["audit", "verify"], environment: environment).status == 0)

        // The demo's accounts have a published password: production refuses to serve them.
        let refused = try jigai(["serve", "--port", "18493"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("生产环境拒绝启动：以下账号仍使用公开的演示密码：") && refused.errors.contains("admin"))
    }
}
