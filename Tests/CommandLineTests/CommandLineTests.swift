import Foundation
import Spawn
import Testing

/// Runs the built `jigai` executable as a user would.
@Suite("命令行：jigai catalog / check")
struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The test runner lives beside the products it was built with.
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("jigai")

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    func jigai(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Run {
        let merged = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.filter { $0.key != "DATABASE_URL" }.merging(environment) { $1 }
        let outcome = try ChildProcess.runSynchronously(Self.executable.path, arguments, environment: merged, workingDirectory: Self.root.path,
                                                        input: Data((input ?? "").utf8))
        return Run(status: outcome.exitCode ?? -1, output: outcome.text, errors: outcome.errorText)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("符合条件：退出码 0，输出结论 JSON")
    func eligible() throws {
        let run = try jigai(["check", "Examples/applications/whitelist-2022-h2-tier-2.eligible.json"])
        #expect(run.status == 0)
        let verdict = try json(run.output)
        #expect(verdict["status"] as? String == "eligible")
        #expect((verdict["tier"] as? [String: Any])?["id"] as? String == "tier-2")
        #expect((verdict["routing"] as? [String: Any])?["division"] as? String == "运行处")
    }

    @Test("不符合条件：退出码 1，说明引用条款")
    func ineligible() throws {
        let run = try jigai(["check", "Examples/applications/revenue-increase-2.9-yi.ineligible.json"])
        #expect(run.status == 1)
        let verdict = try json(run.output)
        #expect(verdict["status"] as? String == "ineligible")
        #expect(verdict["summary"] as? String == "不符合申报条件：2022年营收增量 2.90 亿元，低于 3 亿元（附件1（十））")
    }

    @Test("信息不完整：退出码 1")
    func incomplete() throws {
        let run = try jigai(["check", "Examples/applications/revenue-increase-missing-audit.incomplete.json"])
        #expect(run.status == 1)
        #expect(try json(run.output)["status"] as? String == "incomplete")
    }

    @Test("输入有误：退出码 2，中文说明指出字段路径")
    func invalid() throws {
        let run = try jigai(["check", "Examples/applications/revenue-increase-bad-credit-code.invalid.json"])
        #expect(run.status == 2)
        #expect(run.errors.contains("enterprise.creditCode：统一社会信用代码校验位错误"))
        #expect(run.errors.contains("enterprise.county：“140202”不是山西省的县（市、区）代码"))
        #expect(try json(run.output)["status"] as? String == "invalid")
    }

    @Test("从标准输入读取；不是 JSON 时退出码 2")
    func standardInput() throws {
        let data = try String(contentsOf: Self.root.appendingPathComponent("Examples/applications/rd-expense.eligible.json"), encoding: .utf8)
        #expect(try jigai(["check", "-"], input: data).status == 0)
        let broken = try jigai(["check", "-"], input: "{ 不是 JSON")
        #expect(broken.status == 2)
        #expect(broken.errors.contains("不是有效的 JSON 文件"))
    }

    @Test("--blacklist：名单中的企业不符合条件；名单有误时逐行报告")
    func blacklist() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = try json(String(contentsOf: Self.root.appendingPathComponent("Examples/applications/rd-expense.eligible.json"), encoding: .utf8))
        let code = try #require((example["enterprise"] as? [String: Any])?["creditCode"] as? String)
        let list = folder.appendingPathComponent("blacklist.csv")
        try "统一社会信用代码,企业名称,名单来源\n\(code),示例,信用中国（山西）失信黑名单\n".write(to: list, atomically: true, encoding: .utf8)
        let listed = try jigai(["check", "--blacklist", list.path, "Examples/applications/rd-expense.eligible.json"])
        #expect(listed.status == 1)
        #expect(listed.output.contains("列入信用中国（山西）失信黑名单，不得申报"))
        try "统一社会信用代码\n\(code)\n91330100716105852X\n".write(to: list, atomically: true, encoding: .utf8)
        let broken = try jigai(["check", "--blacklist", list.path, "Examples/applications/rd-expense.eligible.json"])
        #expect(broken.status == 2)
        #expect(broken.errors.contains("第 3 行：统一社会信用代码校验位错误"))
    }

    @Test("找不到文件、缺少参数：退出码 2，中文说明")
    func misuse() throws {
        let missing = try jigai(["check", "不存在.json"])
        #expect(missing.status == 2)
        #expect(missing.errors.contains("无法读取申报文件：不存在.json"))
        let noArgument = try jigai(["check"])
        #expect(noArgument.status == 2)
        #expect(noArgument.errors.hasPrefix("命令行参数有误"))
        let badRound = try jigai(["check", "--round", "Examples/applications/rd-expense.eligible.json", "Examples/applications/rd-expense.eligible.json"])
        #expect(badRound.status == 2)
        #expect(badRound.errors.contains("政策文件 rd-expense.eligible.json 有误"))
    }

    @Test("catalog：JSON 与中文提纲")
    func catalog() throws {
        let run = try jigai(["catalog"])
        #expect(run.status == 0)
        let round = try json(run.output)
        #expect(round["noticeNumber"] as? String == "晋工信投资字〔2023〕143号")
        #expect((round["programmes"] as? [[String: Any]])?.count == 5)
        let tree = try jigai(["catalog", "--tree"])
        #expect(tree.status == 0)
        #expect(tree.output.hasPrefix("晋工信投资字〔2023〕143号 山西省技术改造专项资金奖励项目"))
        #expect(tree.output.contains("截止时间：2023-11-10 23:59"))
        #expect(tree.output.contains("（十三）“白名单”企业奖励〔whitelist〕"))
        #expect(tree.output.contains("处室：26. “白名单”企业奖励 — 运行处 李亚界 0351-4032449"))
        let demo = try jigai(["catalog", "--tree", "--round", "Policies/shanxi-2023-demo.json"])
        #expect(demo.output.contains("截止时间：2027-11-10 23:59"))
    }
}
