import Foundation
import NIOConcurrencyHelpers
import PolicyKit
import Vapor

/// The rounds the server knows: every round file under `Policies/`, loaded and validated at start-up, and every opened
/// round as the database keeps it (the file it was opened with), which wins over its file. Shared by every copy of the
/// settings, so that a round opened or re-applied while the server runs is seen by every request.
public final class RoundCatalog: Sendable {
    struct Entry {
        var round: Round
        /// Its rules and routing compiled once.
        var engine: EligibilityEngine
    }

    private let entries: NIOLockedValueBox<[String: Entry]>
    /// The round files as found at start-up, by id, with their merged objects (what opening a round snapshots).
    public let files: [String: (round: Round, object: [String: JSONValue])]

    init(files loaded: [(round: Round, object: [String: JSONValue])]) {
        files = Dictionary(loaded.map { ($0.round.id, $0) }, uniquingKeysWith: { first, _ in first })
        entries = NIOLockedValueBox(files.mapValues { Entry(round: $0.round, engine: EligibilityEngine(round: $0.round)) })
    }

    public var rounds: [String: Round] { entries.withLockedValue { $0.mapValues(\.round) } }

    public subscript(id: String) -> Round? { entries.withLockedValue { $0[id]?.round } }

    public func engine(for round: Round) -> EligibilityEngine {
        entries.withLockedValue { $0[round.id]?.engine } ?? EligibilityEngine(round: round)
    }

    /// Makes `round` the version requests use (an opened round's snapshot).
    public func install(_ round: Round) {
        let entry = Entry(round: round, engine: EligibilityEngine(round: round))
        entries.withLockedValue { $0[round.id] = entry }
    }

    /// The round of the latest base year; of one year, a round file of its own rather than one derived from it (the demo).
    public var latest: Round? {
        rounds.values.max { ($0.baseYear, $0.extends == nil ? 1 : 0, $1.id) < ($1.baseYear, $1.extends == nil ? 1 : 0, $0.id) }
    }

    /// Loads `*.json` in `directory`; the first broken file stops start-up with its entry and reason.
    public static func load(directory: String) throws -> RoundCatalog {
        RoundCatalog(files: try loadFiles(directory: directory).map { ($0.round, $0.object) })
    }

    /// Every round file in `directory` with its merged object (as a snapshot keeps it).
    public static func loadFiles(directory: String) throws -> [(url: URL, round: Round, object: [String: JSONValue])] {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw RoundError(file: folder.path, entry: "", reason: "找不到政策文件目录（JIGAI_POLICIES）")
        }
        return try names.map { name in
            let url = folder.appendingPathComponent(name)
            let (round, object) = try loadFileWithObject(url)
            return (url, round, object)
        }
    }

    public static func loadFile(_ url: URL) throws -> Round {
        try loadFileWithObject(url).round
    }

    public static func loadFileWithObject(_ url: URL) throws -> (round: Round, object: [String: JSONValue]) {
        let folder = url.deletingLastPathComponent()
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RoundError(file: url.path, entry: "", reason: "无法读取文件")
        }
        let resolve = { (name: String) in try Data(contentsOf: folder.appendingPathComponent(name)) }
        let round = try RoundLoader.load(data, file: url.lastPathComponent, resolve: resolve)
        return (round, try RoundLoader.mergedObject(data, file: url.lastPathComponent, resolve: resolve))
    }
}
