import Foundation

/// Two edits of one application document made from the same base, merged field by field: a field only one side changed
/// takes that side's value; a field both changed differently is a conflict, and then nothing is merged.
/// Objects are merged member by member; arrays (the tables) are one value each, so two people never interleave rows.
public enum DocumentMerge {
    public enum Outcome: Equatable, Sendable {
        case merged(JSONValue)
        /// The paths both sides changed, in reading order.
        case conflicts([String])
    }

    public static func merge(base: JSONValue, theirs: JSONValue, mine: JSONValue) -> Outcome {
        var conflicts: [String] = []
        let merged = merge(base, theirs, mine, path: "", conflicts: &conflicts)
        return conflicts.isEmpty ? .merged(merged) : .conflicts(conflicts.sorted { DocumentDiff.naturalOrder($0, $1) })
    }

    private static func merge(_ base: JSONValue?, _ theirs: JSONValue?, _ mine: JSONValue?, path: String, conflicts: inout [String]) -> JSONValue {
        if mine == theirs || mine == base { return theirs ?? .null }
        if theirs == base { return mine ?? .null }
        if case .object(let theirMembers)? = theirs, case .object(let myMembers)? = mine {
            let baseMembers: [String: JSONValue]
            if case .object(let members)? = base { baseMembers = members } else { baseMembers = [:] }
            var result: [String: JSONValue] = [:]
            for key in Set(theirMembers.keys).union(myMembers.keys) {
                let value = merge(baseMembers[key], theirMembers[key], myMembers[key], path: path.isEmpty ? key : "\(path).\(key)", conflicts: &conflicts)
                if theirMembers[key] != nil || myMembers[key] != nil, value != .null || theirMembers[key] == .null || myMembers[key] == .null {
                    result[key] = value
                }
            }
            return .object(result)
        }
        conflicts.append(path)
        return theirs ?? .null
    }
}
