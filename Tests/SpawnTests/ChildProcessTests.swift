import Foundation
import Spawn
import Testing

@Suite("子进程：posix_spawn 启动、超时、输出上限、描述符不泄漏")
struct ChildProcessTests {
    @Test("退出码、标准输出和标准错误、标准输入、工作目录、环境变量")
    func basics() throws {
        let outcome = try ChildProcess.runSynchronously("/bin/sh", ["-c", "cat; pwd; echo \"$JIGAI_PROBE\" >&2; exit 3"],
                                                        environment: ["JIGAI_PROBE": "探针"], workingDirectory: "/tmp", input: Data("输入\n".utf8))
        #expect(outcome.termination == .exited(3))
        #expect(outcome.text == "输入\n/tmp\n")
        #expect(outcome.errorText == "探针\n")
        #expect(!outcome.timedOut)
    }

    @Test("没有给输入时标准输入是 /dev/null；输出可写入文件或丢弃")
    func destinations() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("out.txt").path
        let outcome = try ChildProcess.runSynchronously("/bin/sh", ["-c", "wc -c; echo 丢弃 >&2"], output: .file(file), errors: .discard)
        #expect(outcome.exitCode == 0)
        #expect(outcome.output.isEmpty && outcome.errors.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test("超过时间上限被 SIGKILL 结束并标明超时")
    func timeout() throws {
        let started = Date()
        let outcome = try ChildProcess.runSynchronously("/bin/sleep", ["30"], timeout: 0.5)
        #expect(outcome.timedOut)
        #expect(outcome.termination == .signalled(SIGKILL))
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("输出超过上限时被结束，只保留开头")
    func outputLimit() throws {
        let outcome = try ChildProcess.runSynchronously("/usr/bin/yes", ["字"], keepOutputBytes: 8, killAfterOutputBytes: 1 << 20)
        #expect(outcome.outputBytes > 1 << 20)
        #expect(outcome.output.count == 8)
        #expect(outcome.termination == .signalled(SIGKILL))
        #expect(!outcome.timedOut)
    }

    @Test("找不到程序时抛出说明原因的错误")
    func missingExecutable() throws {
        #expect(throws: ChildProcess.LaunchFailure.self) { try ChildProcess.runSynchronously("/nonexistent/program", []) }
    }

    /// Foundation's Process crashed listing /proc/self/fd with a few hundred descriptors open; here the child closes
    /// them itself, so none of this process's files reach it.
    @Test("打开 1,500 个文件时并发启动 200 个子进程：都正常结束，子进程只继承 0、1、2")
    func manyOpenDescriptors() async throws {
        let opened = (0..<1500).map { _ in open("/dev/null", O_RDONLY) }
        defer { opened.forEach { _ = close($0) } }
        #expect(opened.allSatisfy { $0 >= 0 })
        let listings = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<200 {
                group.addTask { try await ChildProcess.run("/bin/ls", ["/proc/self/fd"]).text }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(listings.count == 200)
        // ls itself holds one descriptor for the listing it reads.
        for listing in listings {
            let descriptors = listing.split(separator: "\n").compactMap { Int($0) }.filter { $0 > 3 }
            #expect(descriptors.isEmpty, "子进程继承了描述符 \(descriptors)")
        }
    }
}
