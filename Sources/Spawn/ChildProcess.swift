import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes started with posix_spawn. Foundation's `Process` lists /proc/self/fd before every launch and, in
/// swift-corelibs-foundation as shipped with Swift 6.3.1, over-reads that listing's buffer: with a few hundred connections
/// open the server crashed (SIGSEGV in `Process.run`) during 200 concurrent submissions. Here the child closes its
/// inherited descriptors itself, standard input is /dev/null, and SIGPIPE is restored to its default.
public enum ChildProcess {
    /// Where standard output or standard error goes.
    public enum Destination: Sendable {
        case discard
        case capture
        /// A file, created or truncated.
        case file(String)
    }

    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    public struct Outcome: Sendable {
        public var termination: Termination
        /// Standard output when captured, up to `keepOutputBytes`.
        public var output: Data
        /// How much standard output was read in all.
        public var outputBytes: Int64
        /// Standard error when captured.
        public var errors: Data
        /// Killed because it outlived its time limit.
        public var timedOut: Bool

        /// The exit code, or nil when a signal ended the process.
        public var exitCode: Int32? {
            if case .exited(let code) = termination { return code }
            return nil
        }

        public var text: String { String(decoding: output, as: UTF8.self) }
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    public struct LaunchFailure: Error, CustomStringConvertible {
        public var executable: String
        public var call: String
        public var code: Int32
        public var description: String { "无法启动 \(executable)（\(call)：\(String(cString: strerror(code)))）" }
    }

    /// Runs the program to its end on a thread of its own, so that callers on an event loop or in a task never block.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           workingDirectory: String? = nil, input: Data? = nil, output: Destination = .capture, errors: Destination = .capture, keepOutputBytes: Int = .max,
                           killAfterOutputBytes: Int64? = nil, timeout: Double? = nil) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try runSynchronously(executable, arguments, environment: environment, workingDirectory: workingDirectory,
                                         input: input, output: output, errors: errors,
                                         keepOutputBytes: keepOutputBytes, killAfterOutputBytes: killAfterOutputBytes, timeout: timeout)
                })
            }
        }
    }

    /// Runs the program to its end, blocking the calling thread. Standard input is `input`, or /dev/null without it.
    /// Output beyond `killAfterOutputBytes` kills the child, and so does outliving `timeout` seconds.
    public static func runSynchronously(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                                        workingDirectory: String? = nil, input: Data? = nil, output: Destination = .capture, errors: Destination = .capture, keepOutputBytes: Int = .max,
                                        killAfterOutputBytes: Int64? = nil, timeout: Double? = nil) throws -> Outcome {
        let (pid, inputWriter, outputReader, errorReader) = try spawn(executable, arguments, environment: environment,
                                                                      workingDirectory: workingDirectory, input: input != nil,
                                                                      output: output, errors: errors)
        let child = Child(pid: pid)
        if let inputWriter, let input {
            // A child that exits without reading all of its input must not take this process down with SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            DispatchQueue.global().async {
                input.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = write(inputWriter, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0, errno == EINTR { continue }
                        guard written > 0 else { break }
                        offset += written
                    }
                }
                close(inputWriter)
            }
        }
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { child.kill(timedOut: true) }
        }
        let errorData = LockedData()
        let errorsRead = DispatchSemaphore(value: 0)
        if let errorReader {
            DispatchQueue.global().async {
                _ = drain(errorReader, keep: .max, into: errorData, stopAfter: nil)
                errorsRead.signal()
            }
        } else {
            errorsRead.signal()
        }
        let outputData = LockedData()
        var outputBytes: Int64 = 0
        if let outputReader {
            outputBytes = drain(outputReader, keep: keepOutputBytes, into: outputData, stopAfter: killAfterOutputBytes)
            if let limit = killAfterOutputBytes, outputBytes > limit { child.kill(timedOut: false) }
        }
        if let outputReader { close(outputReader) }
        errorsRead.wait()
        if let errorReader { close(errorReader) }
        let termination = child.wait()
        return Outcome(termination: termination, output: outputData.value, outputBytes: outputBytes, errors: errorData.value,
                       timedOut: child.timedOut)
    }

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]?, workingDirectory: String?,
                              input: Bool, output: Destination, errors: Destination) throws -> (pid_t, Int32?, Int32?, Int32?) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The server ignores SIGPIPE and its threads may block signals; the child starts with neither.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // The parent's ends, and the child's ends (closed in the parent once the child has them).
        var kept: [Int32] = []
        var given: [Int32] = []
        defer { given.forEach { _ = close($0) } }
        func pipe() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [-1, -1]
            guard cspawn_pipe_cloexec(&ends) == 0 else {
                throw LaunchFailure(executable: executable, call: "pipe2", code: errno)
            }
            return (ends[0], ends[1])
        }
        func connect(_ destination: Destination, to descriptor: Int32) throws -> Int32? {
            switch destination {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
                return nil
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                return nil
            case .capture:
                let ends = try pipe()
                kept.append(ends.read)
                given.append(ends.write)
                posix_spawn_file_actions_adddup2(&actions, ends.write, descriptor)
                return ends.read
            }
        }
        do {
            var inputWriter: Int32?
            if input {
                let ends = try pipe()
                kept.append(ends.write)
                given.append(ends.read)
                posix_spawn_file_actions_adddup2(&actions, ends.read, 0)
                inputWriter = ends.write
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            let outputReader = try connect(output, to: 1)
            let errorReader = try connect(errors, to: 2)
            cspawn_add_close_from(&actions, 3)
            if let workingDirectory { cspawn_add_chdir(&actions, workingDirectory) }

            let environment = environment ?? ProcessInfo.processInfo.environment
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                argv.forEach { free($0) }
                envp.forEach { free($0) }
            }
            var pid = pid_t()
            let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            guard result == 0 else { throw LaunchFailure(executable: executable, call: "posix_spawn", code: result) }
            return (pid, inputWriter, outputReader, errorReader)
        } catch {
            kept.forEach { _ = close($0) }
            throw error
        }
    }

    /// Reads a pipe to its end (or past `stopAfter` bytes); returns how many bytes it read.
    private static func drain(_ descriptor: Int32, keep: Int, into data: LockedData, stopAfter: Int64?) -> Int64 {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return total }
            total += Int64(count)
            data.append(buffer[0..<count], keepingAtMost: keep)
            if let stopAfter, total > stopAfter { return total }
        }
    }

    /// A running child: it is killed only while it has not been reaped, so a recycled process id is never hit.
    private final class Child: @unchecked Sendable {
        let pid: pid_t
        private let lock = NSLock()
        private var exited = false
        private var killedForTime = false

        init(pid: pid_t) {
            self.pid = pid
        }

        var timedOut: Bool { lock.withLock { killedForTime } }

        func kill(timedOut: Bool) {
            lock.withLock {
                guard !exited else { return }
                if timedOut { killedForTime = true }
                _ = Glibc.kill(pid, SIGKILL)
            }
        }

        func wait() -> Termination {
            // Waits for the end without reaping (the id stays taken), then closes the window for kill, then reaps.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
            lock.withLock { exited = true }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let signal = status & 0x7F
            return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        }
    }

    private final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        var value: Data { lock.withLock { data } }

        func append(_ bytes: ArraySlice<UInt8>, keepingAtMost limit: Int) {
            lock.withLock {
                guard data.count < limit else { return }
                data.append(contentsOf: bytes.prefix(limit - data.count))
            }
        }
    }
}
