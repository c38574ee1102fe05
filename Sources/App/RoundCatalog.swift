import Foundation
import PolicyKit
import Vapor

/// Every round file under `Policies/`, loaded and validated once at start-up.
public struct RoundCatalog: Sendable {
    public let rounds: [String: Round]

    public init(rounds: [Round]) {
        self.rounds = Dictionary(uniqueKeysWithValues: rounds.map { ($0.id, $0) })
    }

    public subscript(id: String) -> Round? { rounds[id] }

    /// Loads `*.json` in `directory`; the first broken file stops start-up with its entry and reason.
    public static func load(directory: String) throws -> RoundCatalog {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw Abort(.internalServerError, reason: "找不到政策文件目录 \(folder.path)")
        }
        var rounds: [Round] = []
        for name in names {
            rounds.append(try loadFile(folder.appendingPathComponent(name)))
        }
        return RoundCatalog(rounds: rounds)
    }

    public static func loadFile(_ url: URL) throws -> Round {
        let folder = url.deletingLastPathComponent()
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RoundError(file: url.lastPathComponent, entry: "", reason: "无法读取文件")
        }
        return try RoundLoader.load(data, file: url.lastPathComponent) { name in
            try Data(contentsOf: folder.appendingPathComponent(name))
        }
    }
}
