import Foundation

/// An enumeration of a round file whose values are a closed list: a typo is refused with the list, in Chinese.
protocol KnownValues {
    static var knownValues: [String] { get }
}

extension KnownValues where Self: CaseIterable & RawRepresentable, RawValue == String {
    static var knownValues: [String] { allCases.map(\.rawValue) }
}

extension EligibilityRule.Kind: KnownValues {}
extension FieldType: KnownValues {}
extension AttachmentSource: KnownValues {}
extension ProjectNameRuleKind: KnownValues {}
extension FieldFigure.Kind: KnownValues {}
extension ReportFigure: KnownValues {}
extension CrossRule.Kind: KnownValues {}

/// Decodes a round file from its JSON tree and remembers which keys each object's type asked for, so that a key no
/// type knows (a misspelt `attachements`) is refused instead of silently dropped. Dates must be true calendar dates
/// (2024-11-31 is refused, not read as 12-01), and closed lists name their values.
final class StrictDecoder {
    /// Per object: its path, its keys, and the keys the decoding type asked for.
    struct ObjectUse {
        var path: [CodingKey]
        var keys: [String]
        var asked: Set<String> = []
    }

    private(set) var objects: [String: ObjectUse] = [:]

    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try unbox(type, value, path: [])
    }

    /// The keys present in the file that no type asked for, with the keys that type knows.
    var unknownKeys: [(path: [CodingKey], key: String, known: [String])] {
        objects.values.sorted { Self.text($0.path) < Self.text($1.path) }.flatMap { use in
            use.keys.filter { !use.asked.contains($0) }.sorted().map { (use.path, $0, use.asked.sorted()) }
        }
    }

    static func text(_ path: [CodingKey]) -> String {
        path.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }

    func register(_ path: [CodingKey], keys: [String]) {
        let id = Self.text(path)
        if objects[id] == nil { objects[id] = ObjectUse(path: path, keys: keys) }
    }

    func ask(_ key: String, at path: [CodingKey]) {
        objects[Self.text(path)]?.asked.insert(key)
    }

    func unbox<T: Decodable>(_ type: T.Type, _ value: JSONValue, path: [CodingKey]) throws -> T {
        if T.self == Date.self {
            return try date(value, path: path) as! T
        }
        if T.self == Decimal.self {
            guard case .number(let number) = value else { throw mismatch(type, value, path) }
            return number as! T
        }
        if let listed = T.self as? any KnownValues.Type {
            guard case .string(let text) = value else { throw mismatch(type, value, path) }
            guard listed.knownValues.contains(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "未知取值“\(text)”，可选：\(listed.knownValues.joined(separator: "、"))"))
            }
        }
        return try T(from: Node(decoder: self, value: value, codingPath: path))
    }

    func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "实为\(value.kindDescription)"))
    }

    /// 2023-11-10T23:59:59+08:00 with every part in range: Foundation's parser rolls 11-31 over to 12-01.
    func date(_ value: JSONValue, path: [CodingKey]) throws -> Date {
        guard case .string(let text) = value else { throw mismatch(Date.self, value, path) }
        let corrupted = DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "“\(text)”不是带时区的有效时间，应写作 2023-11-10T23:59:59+08:00"))
        let characters = Array(text)
        guard characters.count >= 20, characters[10] == "T", CalendarDate(String(characters[0..<10])) != nil else { throw corrupted }
        let clock = String(characters[11..<19]).split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, clock[0] < 24, clock[1] < 60, clock[2] < 60,
              let date = ISO8601DateFormatter().date(from: text) else { throw corrupted }
        return date
    }

    /// One value of the tree being decoded.
    struct Node: Decoder {
        let decoder: StrictDecoder
        let value: JSONValue
        let codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let object) = value else { throw decoder.mismatch([String: Any].self, value, codingPath) }
            decoder.register(codingPath, keys: Array(object.keys))
            return KeyedDecodingContainer(Keyed<Key>(decoder: decoder, object: object, codingPath: codingPath))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let array) = value else { throw decoder.mismatch([Any].self, value, codingPath) }
            return Unkeyed(decoder: decoder, array: array, codingPath: codingPath)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            Single(decoder: decoder, value: value, codingPath: codingPath)
        }
    }

    struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue!)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: StrictDecoder
        let object: [String: JSONValue]
        let codingPath: [CodingKey]

        var allKeys: [Key] { object.keys.compactMap(Key.init(stringValue:)) }

        func contains(_ key: Key) -> Bool {
            decoder.ask(key.stringValue, at: codingPath)
            return object[key.stringValue] != nil
        }

        func value(_ key: Key) throws -> JSONValue {
            decoder.ask(key.stringValue, at: codingPath)
            guard let value = object[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "缺少此项"))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            decoder.ask(key.stringValue, at: codingPath)
            return object[key.stringValue].map { $0 == .null } ?? true
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try decoder.unbox(type, try value(key), path: codingPath + [key])
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            decoder.ask(key.stringValue, at: codingPath)
            guard let value = object[key.stringValue], value != .null else { return nil }
            return try decoder.unbox(type, value, path: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try Node(decoder: decoder, value: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try Node(decoder: decoder, value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { Node(decoder: decoder, value: .object(object), codingPath: codingPath) }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            Node(decoder: decoder, value: try value(key), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: StrictDecoder
        let array: [JSONValue]
        let codingPath: [CodingKey]
        var currentIndex = 0

        init(decoder: StrictDecoder, array: [JSONValue], codingPath: [CodingKey]) {
            self.decoder = decoder
            self.array = array
            self.codingPath = codingPath
        }

        var count: Int? { array.count }
        var isAtEnd: Bool { currentIndex >= array.count }

        mutating func next() throws -> (JSONValue, [CodingKey]) {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "数组已读完"))
            }
            defer { currentIndex += 1 }
            return (array[currentIndex], codingPath + [Index(currentIndex)])
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, array[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (value, path) = try next()
            return try decoder.unbox(type, value, path: path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let (value, path) = try next()
            return try Node(decoder: decoder, value: value, codingPath: path).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let (value, path) = try next()
            return try Node(decoder: decoder, value: value, codingPath: path).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder {
            let (value, path) = try next()
            return Node(decoder: decoder, value: value, codingPath: path)
        }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: StrictDecoder
        let value: JSONValue
        let codingPath: [CodingKey]

        func decodeNil() -> Bool { value == .null }

        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let flag) = value else { throw decoder.mismatch(type, value, codingPath) }
            return flag
        }

        func decode(_ type: String.Type) throws -> String {
            guard case .string(let text) = value else { throw decoder.mismatch(type, value, codingPath) }
            return text
        }

        func decode(_ type: Double.Type) throws -> Double {
            guard case .number(let number) = value else { throw decoder.mismatch(type, value, codingPath) }
            return NSDecimalNumber(decimal: number).doubleValue
        }

        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

        func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            guard case .number(let number) = value, let integer = Int64(exactly: NSDecimalNumber(decimal: number).doubleValue),
                  Decimal(integer) == number, let result = I(exactly: integer) else {
                throw decoder.mismatch(type, value, codingPath)
            }
            return result
        }

        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try decoder.unbox(type, value, path: codingPath)
        }
    }
}
