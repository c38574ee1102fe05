import Fluent
import Foundation
import NIOConcurrencyHelpers
import Spawn
import Vapor

/// `JIGAI_REPORT_SECONDS` (120) wall-clock and `JIGAI_REPORT_MEMORY_MB` (2048) address space for one 申请报告, and the
/// `jigai` executable that builds it (`JIGAI_EXECUTABLE`; by default the one beside the running program, which is the
/// server itself in production and the build's own `jigai` under the test runner).
struct ReportLimits: Sendable {
    var executable: URL
    var seconds: Int
    var memoryBytes: Int

    static func fromEnvironment() -> ReportLimits {
        let beside = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("jigai")
        return ReportLimits(
            executable: Environment.get("JIGAI_EXECUTABLE").map { URL(fileURLWithPath: $0) } ?? beside,
            seconds: Environment.get("JIGAI_REPORT_SECONDS").flatMap(Int.init) ?? 120,
            memoryBytes: (Environment.get("JIGAI_REPORT_MEMORY_MB").flatMap(Int.init) ?? 2048) * 1024 * 1024)
    }
}

/// Builds 申请报告 in child processes (`jigai report --application ID -o FILE`): uploads are parsed by libqpdf and cairo,
/// which must not be able to crash, hang or exhaust the server. The child gets an address-space and CPU limit through
/// prlimit, and is killed when it outlives the wall-clock limit.
final class ReportBuilder: LifecycleHandler, Sendable {
    private let running = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    /// Where finished reports are kept, by job id.
    static func folder(_ settings: Settings) -> URL {
        URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("reports", isDirectory: true)
    }

    static func file(for jobID: UUID, settings: Settings) -> URL {
        folder(settings).appendingPathComponent("\(jobID.uuidString).pdf")
    }

    /// Starts building in the background; the job records the outcome.
    func start(_ job: ReportJob, app: Vapor.Application) throws {
        let jobID = try job.requireID()
        let applicationID = job.$application.id
        let settings = app.settings
        let database = app.db
        let logger = app.logger
        // Created under the lock, so that the task's own removal at its end always comes after this insertion.
        running.withLockedValue { tasks in
            tasks[jobID] = Task {
                let outcome = await Self.build(applicationID: applicationID, to: Self.file(for: jobID, settings: settings), settings: settings)
                do {
                    if let stored = try await ReportJob.find(jobID, on: database) {
                        stored.status = outcome == nil ? .done : .failed
                        stored.message = outcome
                        stored.finishedAt = Date()
                        try await stored.save(on: database)
                    }
                } catch {
                    logger.report(error: error)
                }
                _ = self.running.withLockedValue { $0.removeValue(forKey: jobID) }
            }
        }
    }

    /// Builds one report; nil when it succeeded, otherwise the reason in Chinese.
    static func build(applicationID: UUID, to output: URL, settings: Settings) async -> String? {
        let limits = settings.reports
        do {
            try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            let outcome = try await ChildProcess.run(
                "/usr/bin/prlimit",
                ["--as=\(limits.memoryBytes)", "--cpu=\(limits.seconds)", "--", limits.executable.path,
                 "report", "--application", applicationID.uuidString, "-o", output.path],
                environment: childEnvironment(settings), output: .discard, timeout: Double(limits.seconds))
            if outcome.timedOut {
                return "生成申请报告超时（超过 \(limits.seconds) 秒），请检查上传的附件是否过大或已损坏"
            }
            if outcome.exitCode == 0 { return nil }
            let message = outcome.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            // jigai explains its own failures in Chinese and exits with 1 or 2; a child killed by a signal or its limits, or one
            // that could not even be started (prlimit exits with 126 or 127), says nothing a user can act on.
            if let code = outcome.exitCode, [1, 2].contains(code), !message.isEmpty {
                return message
            }
            return "生成申请报告失败（超出内存或处理时间限制），请检查上传的附件是否过大或已损坏"
        } catch let failure as ChildProcess.LaunchFailure {
            return "无法生成申请报告：\(failure)"
        } catch {
            return "无法生成申请报告：服务器无法写入报告目录"
        }
    }

    /// The child reads the same database and policies as the server; glibc keeps few malloc arenas, which would otherwise
    /// reserve address space per thread and count against the limit.
    static func childEnvironment(_ settings: Settings) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["JIGAI_DATA"] = settings.dataDirectory
        environment["JIGAI_POLICIES"] = settings.policiesDirectory
        environment["DATABASE_URL"] = settings.databaseURL
        environment["MALLOC_ARENA_MAX"] = "2"
        return environment
    }

    func shutdownAsync(_ application: Vapor.Application) async {
        for task in running.withLockedValue({ Array($0.values) }) {
            await task.value
        }
    }
}

extension Vapor.Application {
    private struct ReportBuilderKey: StorageKey {
        typealias Value = ReportBuilder
    }

    var reportBuilder: ReportBuilder {
        get {
            guard let builder = storage[ReportBuilderKey.self] else { fatalError("configure(_:) has not run") }
            return builder
        }
        set { storage[ReportBuilderKey.self] = newValue }
    }
}
