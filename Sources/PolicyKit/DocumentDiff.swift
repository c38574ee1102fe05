import Foundation

/// One value that differs between two versions of an application document, by its path
/// (`content.monthlyOutput[2].currentOutput`, the same names the form uses).
public struct FieldChange: Sendable, Equatable {
    public var path: String
    public var before: String?
    public var after: String?

    public init(path: String, before: String?, after: String?) {
        self.path = path
        self.before = before
        self.after = after
    }
}

/// What changed between two submitted versions, so the city sees what the enterprise did after a return.
public enum DocumentDiff {
    /// Leaf values by path; empty strings and nulls count as absent, so clearing a field is a change to “nothing”.
    public static func flatten(_ value: JSONValue, prefix: String = "") -> [String: String] {
        var leaves: [String: String] = [:]
        switch value {
        case .null: break
        case .bool(let flag): leaves[prefix] = flag ? "是" : "否"
        case .number(let number): leaves[prefix] = "\(number)"
        case .string(let text): if !text.isEmpty { leaves[prefix] = text }
        case .array(let items):
            for (index, item) in items.enumerated() { leaves.merge(flatten(item, prefix: "\(prefix)[\(index)]")) { $1 } }
        case .object(let members):
            for (key, member) in members {
                leaves.merge(flatten(member, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { $1 }
            }
        }
        return leaves
    }

    /// Every path whose value differs, in reading order; paths under `ignoring` (e.g. `attachments`) are left out.
    public static func changes(before: JSONValue, after: JSONValue, ignoring: Set<String> = []) -> [FieldChange] {
        let old = flatten(before), new = flatten(after)
        let paths = Set(old.keys).union(new.keys).filter { path in
            !ignoring.contains { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") }
        }
        return paths.filter { old[$0] != new[$0] }
            .sorted { naturalOrder($0, $1) }
            .map { FieldChange(path: $0, before: old[$0], after: new[$0]) }
    }

    /// `rows[2]` before `rows[10]`: digit runs compare as numbers.
    static func naturalOrder(_ left: String, _ right: String) -> Bool {
        func parts(_ text: String) -> [Either] {
            var result: [Either] = []
            var digits = ""
            var letters = ""
            for character in text {
                if character.isASCII && character.isNumber {
                    if !letters.isEmpty { result.append(.text(letters)); letters = "" }
                    digits.append(character)
                } else {
                    if !digits.isEmpty { result.append(.number(Int(digits) ?? 0)); digits = "" }
                    letters.append(character)
                }
            }
            if !digits.isEmpty { result.append(.number(Int(digits) ?? 0)) }
            if !letters.isEmpty { result.append(.text(letters)) }
            return result
        }
        let a = parts(left), b = parts(right)
        for (x, y) in zip(a, b) where x != y {
            switch (x, y) {
            case (.number(let m), .number(let n)): return m < n
            case (.text(let s), .text(let t)): return s < t
            case (.number, .text): return true
            case (.text, .number): return false
            }
        }
        return a.count < b.count
    }

    enum Either: Equatable {
        case number(Int)
        case text(String)
    }
}
