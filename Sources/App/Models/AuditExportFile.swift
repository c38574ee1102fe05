import Cryptography
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file `jigai audit export` and `jigai audit purge` write, to be kept off the machine: JSON Lines, a header
/// (format, version, the algorithms used, the first sequence and the hash it links to), one line per event with every
/// hashed field and its hash, and a trailer (count, last sequence, last hash). `jigai audit verify-export` checks such
/// a file alone, with no database: every hash recomputed, every link, the count. That the file is the one exported
/// is shown by its digest, which the purge anchor and the 清理操作日志 event keep.
public enum AuditExportFile {
    static let format = "jigai-audit-export"
    static let version = 1

    struct Header: Codable {
        var type = "header"
        var format = AuditExportFile.format
        var version = AuditExportFile.version
        var algorithms: [String]
        var firstSequence: Int
        var previousHash: String
        var exportedAt: Date
        /// The dates asked for (YYYY-MM-DD, Beijing time), or null.
        var from: String?
        var before: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(format, forKey: .format)
            try container.encode(version, forKey: .version)
            try container.encode(algorithms, forKey: .algorithms)
            try container.encode(firstSequence, forKey: .firstSequence)
            try container.encode(previousHash, forKey: .previousHash)
            try container.encode(exportedAt, forKey: .exportedAt)
            try container.encode(from, forKey: .from)
            try container.encode(before, forKey: .before)
        }
    }

    /// One event: the fields `AuditEvent.canonical` covers, `at` in milliseconds since 1970 as the hash takes it.
    struct Event: Codable {
        var type = "event"
        var sequence: Int
        var at: Int64
        var actorID: String?
        var actor: String
        var action: String
        var objectType: String
        var objectID: String?
        var before: String?
        var after: String?
        var address: String?
        var previousHash: String
        var algorithm: String
        var hash: String

        init(_ row: AuditLog.ChainRow) {
            sequence = row.sequence
            at = AuditEvent.milliseconds(row.at)
            actorID = row.actor_id?.uuidString
            actor = row.actor
            action = row.action
            objectType = row.object_type
            objectID = row.object_id
            before = row.before
            after = row.after
            address = row.address
            previousHash = row.previous_hash
            algorithm = row.digest_algorithm
            hash = row.hash
        }

        var canonical: String {
            AuditEvent.canonical(sequence: sequence, milliseconds: at, actorID: actorID, actor: actor, action: action, objectType: objectType,
                                 objectID: objectID, before: before, after: after, address: address, previousHash: previousHash)
        }

        // Empty fields are written as null rather than left out, so that each line shows every field the hash covers.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(at, forKey: .at)
            try container.encode(actorID, forKey: .actorID)
            try container.encode(actor, forKey: .actor)
            try container.encode(action, forKey: .action)
            try container.encode(objectType, forKey: .objectType)
            try container.encode(objectID, forKey: .objectID)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(address, forKey: .address)
            try container.encode(previousHash, forKey: .previousHash)
            try container.encode(algorithm, forKey: .algorithm)
            try container.encode(hash, forKey: .hash)
        }
    }

    struct Trailer: Codable {
        var type = "trailer"
        var count: Int
        var lastSequence: Int
        var lastHash: String
    }

    private struct Kind: Decodable {
        var type: String
    }

    // MARK: Writing

    /// Writes a new file line by line, digesting what it writes; it refuses a file that exists, so that an earlier
    /// export is never overwritten, and is readable by its owner alone, as it holds the addresses of the log.
    final class Writer {
        let url: URL
        private let handle: FileHandle
        private let hasher: any IncrementalHasher
        private let encoder: JSONEncoder

        init(creating url: URL, algorithm: DigestAlgorithm, provider: any CryptoProvider) throws {
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                if errno == EEXIST { throw CommandRefused(message: "导出文件 \(url.path) 已存在；请换一个文件名，以免覆盖以前的导出") }
                throw CommandRefused(message: "无法创建导出文件 \(url.path)（\(String(cString: strerror(errno)))）")
            }
            self.url = url
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            hasher = provider.makeHasher(algorithm)
            encoder = JSONEncoder()
            // Sorted keys, so that the same events always make the same file and the same digest.
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
        }

        func write(_ line: some Encodable) throws {
            var data = try encoder.encode(line)
            data.append(0x0A)
            hasher.update(data)
            try handle.write(contentsOf: data)
        }

        /// Flushes the file to disk, before anything it holds may be deleted, and returns its digest in hex.
        func finish() throws -> String {
            try handle.synchronize()
            try handle.close()
            return AuditEvent.hex(hasher.finalize())
        }

        /// Removes a file that could not be completed.
        func abandon() {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
        }
    }

    // MARK: Checking

    struct Check {
        var header: Header?
        var trailer: Trailer?
        var events = 0
        var lastHash: String?
        var lastSequence: Int?
        /// The file's own digests, to compare with the anchor or the 清理操作日志 event.
        var digests: [DigestAlgorithm: String] = [:]
        var problems: [String] = []
    }

    /// Reads the file a megabyte at a time and checks every line; the problems say what is wrong and on which line.
    static func check(_ url: URL, provider: any CryptoProvider) throws -> Check {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CommandRefused(message: "无法读取导出文件 \(url.path)")
        }
        defer { try? handle.close() }
        let hashers = DigestAlgorithm.allCases.map { ($0, provider.makeHasher($0)) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var check = Check()
        var expectedSequence = 0
        var previous = ""
        var lineNumber = 0
        var pending = Data()

        func line(_ data: Data) {
            lineNumber += 1
            let at = "第 \(lineNumber) 行"
            guard let kind = try? decoder.decode(Kind.self, from: data) else {
                check.problems.append("\(at)不是有效的 JSON 记录")
                return
            }
            if check.trailer != nil {
                check.problems.append("\(at)：文件尾之后还有内容")
                return
            }
            switch kind.type {
            case "header":
                guard lineNumber == 1, let header = try? decoder.decode(Header.self, from: data) else {
                    check.problems.append("\(at)：文件头只能在第 1 行且须完整")
                    return
                }
                guard header.format == format, header.version == version else {
                    check.problems.append("\(at)：不是本系统的操作日志导出文件（格式 \(header.format) 第 \(header.version) 版）")
                    return
                }
                check.header = header
                expectedSequence = header.firstSequence
                previous = header.previousHash
            case "event":
                guard let header = check.header else {
                    if lineNumber == 1 { check.problems.append("第 1 行应为文件头") }
                    return
                }
                guard let event = try? decoder.decode(Event.self, from: data) else {
                    check.problems.append("\(at)：记录缺少字段或字段类型不符")
                    return
                }
                let place = "\(at)（第 \(event.sequence) 条记录）"
                if event.sequence != expectedSequence {
                    check.problems.append("\(place)：应为第 \(expectedSequence) 条，记录缺失或顺序不符")
                }
                if event.previousHash != previous {
                    check.problems.append("\(place)：与上一条的链接不符")
                }
                if let algorithm = DigestAlgorithm(rawValue: event.algorithm) {
                    if !header.algorithms.contains(event.algorithm) {
                        check.problems.append("\(place)：摘要算法 \(event.algorithm) 不在文件头所列的算法中")
                    }
                    if AuditEvent.digest(event.canonical, algorithm: algorithm, provider: provider) != event.hash {
                        check.problems.append("\(place)：内容与哈希不符，记录被改动")
                    }
                } else {
                    check.problems.append("\(place)：摘要算法“\(event.algorithm)”无法识别")
                }
                check.events += 1
                check.lastHash = event.hash
                check.lastSequence = event.sequence
                // Go on from this event, so that one change is reported once rather than at every line after it.
                expectedSequence = event.sequence + 1
                previous = event.hash
            case "trailer":
                guard check.header != nil else { return }
                guard let trailer = try? decoder.decode(Trailer.self, from: data) else {
                    check.problems.append("\(at)：文件尾缺少字段或字段类型不符")
                    return
                }
                check.trailer = trailer
                if trailer.count != check.events {
                    check.problems.append("\(at)：文件尾记有 \(trailer.count) 条记录，文件中实有 \(check.events) 条")
                }
                if trailer.lastSequence != expectedSequence - 1 || trailer.lastHash != previous {
                    check.problems.append("\(at)：文件尾的末条序号或哈希与最后一条记录不符")
                }
            default:
                check.problems.append("\(at)：未知的记录类型“\(kind.type)”")
            }
        }

        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for (_, hasher) in hashers { hasher.update(chunk) }
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                line(pending[start..<newline])
                start = pending.index(after: newline)
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty { line(pending) }
        for (algorithm, hasher) in hashers { check.digests[algorithm] = AuditEvent.hex(hasher.finalize()) }
        if check.header == nil && !check.problems.contains(where: { $0.hasPrefix("第 1 行") }) {
            check.problems.insert("第 1 行应为文件头：这不是操作日志导出文件", at: 0)
        } else if check.header != nil && check.trailer == nil {
            check.problems.append("缺少文件尾：文件不完整，可能被截断")
        }
        return check
    }

    /// `jigai audit verify-export FILE`: the lines to print when the file holds, or a refusal listing what is wrong.
    public static func verify(path: String) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        let check = try check(url, provider: try OpenSSLProvider())
        let shown = 20
        guard check.problems.isEmpty, let header = check.header, let last = check.lastHash else {
            var lines = ["导出文件 \(url.path) 校验未通过："] + check.problems.prefix(shown).map { "  " + $0 }
            if check.problems.count > shown { lines.append("  ……另有 \(check.problems.count - shown) 处") }
            if check.problems.isEmpty { lines.append("  文件中没有记录") }
            throw CommandRefused(message: lines.joined(separator: "\n"))
        }
        let algorithms = header.algorithms.compactMap(DigestAlgorithm.init(rawValue:)).map(\.label).joined(separator: "、")
        return [
            "导出文件完整：第 \(header.firstSequence)–\(check.lastSequence ?? header.firstSequence) 条共 \(check.events) 条操作日志（\(algorithms)），每条的哈希和链接都校验通过",
            "首条之前的哈希：\(header.previousHash)",
            "末条的哈希：\(last)",
            "文件摘要：SHA-256 \(check.digests[.sha256] ?? "")；SM3 \(check.digests[.sm3] ?? "")",
        ]
    }
}
