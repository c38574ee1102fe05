import Foundation

/// Names a key inside sealed data: 1–16 ASCII letters, digits, `.`, `_` or `-`, short enough to repeat in every
/// attachment. `current` is taken by the key file's marker line.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    public static let maximumLength = 16

    public let rawValue: String

    public init?(_ text: String) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...Self.maximumLength).contains(text.count), text.allSatisfy(allowed.contains), text != Keyring.currentMarker else {
            return nil
        }
        rawValue = text
    }

    public var description: String { rawValue }
}

/// One key of a keyring: its id and the 32-byte master key from which `SealedBox` derives the SM4 and HMAC-SM3 keys.
public struct SymmetricKeyMaterial: Sendable {
    public static let masterKeyLength = 32

    public let id: KeyID
    public let masterKey: Data

    public init(id: KeyID, masterKey: Data) throws {
        guard masterKey.count == Self.masterKeyLength else {
            throw CryptographyError.invalidKey("密钥“\(id)”应为 \(Self.masterKeyLength) 字节，现为 \(masterKey.count) 字节")
        }
        self.id = id
        self.masterKey = masterKey
    }

    /// A new key from the provider's secure generator.
    public static func random(id: KeyID, using provider: any CryptoProvider) -> SymmetricKeyMaterial {
        SymmetricKeyMaterial(id: id, validMasterKey: provider.randomBytes(masterKeyLength))
    }

    private init(id: KeyID, validMasterKey: Data) {
        self.id = id
        masterKey = validMasterKey
    }
}

/// The attachment keys, kept in a file outside the database so that a copy of the database alone opens nothing.
/// Sealing uses the current key; opening uses the key the sealed data names. Rotating adds a new current key and keeps
/// the old ones for what they sealed.
public struct Keyring: Sendable {
    static let currentMarker = "current"

    public private(set) var currentKey: SymmetricKeyMaterial
    public private(set) var keys: [KeyID: SymmetricKeyMaterial]

    public var current: KeyID { currentKey.id }

    public init(current: SymmetricKeyMaterial, previous: [SymmetricKeyMaterial] = []) throws {
        currentKey = current
        keys = [current.id: current]
        for key in previous {
            guard keys.updateValue(key, forKey: key.id) == nil else { throw CryptographyError.invalidKey("密钥编号“\(key.id)”重复") }
        }
    }

    /// Makes `key` the current key; the others still open what they sealed.
    public mutating func rotate(to key: SymmetricKeyMaterial) throws {
        guard keys[key.id] == nil else { throw CryptographyError.invalidKey("密钥编号“\(key.id)”已经存在") }
        keys[key.id] = key
        currentKey = key
    }

    public func seal(_ plaintext: Data, using provider: any CryptoProvider) throws -> Data {
        try provider.encrypt(plaintext, key: currentKey)
    }

    public func open(_ sealed: Data, using provider: any CryptoProvider) throws -> Data {
        let id = try SealedBox.keyID(of: sealed)
        guard let key = keys[id] else { throw CryptographyError.unknownKey(id) }
        return try provider.decrypt(sealed, key: key)
    }
}

/// The key file: `#` comments, one `id base64-master-key` line per key, and a `current id` line naming the key that
/// seals new data (without it, the first key). It must be readable by its owner only.
extension Keyring {
    /// Reads a key file, refusing one that the group or other users may read or write (mode other than 0600 or 0400).
    public static func load(fromFile path: String) throws -> Keyring {
        func refuse(_ reason: String) -> CryptographyError { .keyFile(path: path, reason: reason) }
        let descriptor = openReadOnly(path)
        guard descriptor >= 0 else { throw refuse("无法打开（\(String(cString: strerror(errno)))）") }
        defer { close(descriptor) }
        // The mode is checked on the opened file itself, so it cannot be swapped between the check and the read.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw refuse("无法读取文件属性（\(String(cString: strerror(errno)))）") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw refuse("不是普通文件") }
        let mode = status.st_mode & 0o777
        guard mode & 0o177 == 0 else {
            throw refuse("权限为 \(String(format: "%04o", mode))，只允许 0600 或 0400（仅属主可读），请执行 chmod 600 \(path)")
        }
        let contents: Data?
        do {
            contents = try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd()
        } catch {
            throw refuse("读取失败（\(error.localizedDescription)）")
        }
        guard let text = String(data: contents ?? Data(), encoding: .utf8) else { throw refuse("不是 UTF-8 文本") }
        do {
            return try Keyring(fileText: text)
        } catch let CryptographyError.invalidKey(reason) {
            throw refuse(reason)
        }
    }

    /// The text of a new key file holding one random key.
    public static func generate(id: KeyID, using provider: any CryptoProvider) -> String {
        Keyring(only: .random(id: id, using: provider)).fileText
    }

    /// The key file's text for this keyring, the current key marked.
    public var fileText: String {
        var lines = [
            "# 晋技改附件加密密钥：权限须为 0600 或 0400，不得放入数据库或版本库。",
            "# 每行一个密钥“编号 Base64 主密钥”；轮换时加入新密钥并改 current 行，旧密钥保留以解密旧数据。",
            "\(Self.currentMarker) \(current)",
        ]
        lines += keys.values.sorted { $0.id.rawValue < $1.id.rawValue }.map { "\($0.id) \($0.masterKey.base64EncodedString())" }
        return lines.joined(separator: "\n") + "\n"
    }

    private init(only key: SymmetricKeyMaterial) {
        currentKey = key
        keys = [key.id: key]
    }

    init(fileText text: String) throws {
        var ordered: [SymmetricKeyMaterial] = []
        var marked: KeyID?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            func refuse(_ reason: String) -> CryptographyError { .invalidKey("第 \(index + 1) 行\(reason)") }
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count == 2 else { throw refuse("应为“编号 Base64 主密钥”或“current 编号”两项") }
            if fields[0] == Self.currentMarker {
                guard marked == nil else { throw refuse("重复指定 current") }
                guard let id = KeyID(fields[1]) else { throw refuse("的密钥编号“\(fields[1])”无效") }
                marked = id
                continue
            }
            guard let id = KeyID(fields[0]) else {
                throw refuse("的密钥编号“\(fields[0])”无效：只能用 1–\(KeyID.maximumLength) 个英文字母、数字、点、下划线或连字符")
            }
            guard !ordered.contains(where: { $0.id == id }) else { throw refuse("的密钥编号“\(id)”重复") }
            guard let masterKey = Data(base64Encoded: fields[1]) else { throw refuse("的密钥不是 Base64") }
            do {
                ordered.append(try SymmetricKeyMaterial(id: id, masterKey: masterKey))
            } catch let CryptographyError.invalidKey(reason) {
                throw refuse("：\(reason)")
            }
        }
        guard let first = ordered.first else { throw CryptographyError.invalidKey("文件中没有密钥") }
        let currentID = marked ?? first.id
        guard let current = ordered.first(where: { $0.id == currentID }) else {
            throw CryptographyError.invalidKey("current 指定的密钥“\(currentID)”不在文件中")
        }
        try self.init(current: current, previous: ordered.filter { $0.id != currentID })
    }
}

/// Outside `Keyring`, whose `open(_:using:)` would hide the system call.
private func openReadOnly(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_CLOEXEC)
}
