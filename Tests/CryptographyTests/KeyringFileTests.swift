import Foundation
import Testing

@testable import Cryptography

@Suite("密钥文件：生成、读取、current 标记、权限检查")
struct KeyringFileTests {
    static func write(_ text: String, to url: URL, mode: Int) throws {
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    @Test("生成的文件以 0600 保存后可读出，密钥一致，能解开用它加密的数据")
    func generateAndLoad() throws {
        try withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("keys.txt")
            let text = Keyring.generate(id: keyID("2025a"), using: provider)
            try Self.write(text, to: file, mode: 0o600)
            let keyring = try Keyring.load(fromFile: file.path)
            #expect(keyring.current == keyID("2025a"))
            #expect(keyring.keys.count == 1)
            #expect(keyring.currentKey.masterKey.count == 32)
            #expect(keyring.fileText == text)
            let sealed = try keyring.seal(Data("附件".utf8), using: provider)
            #expect(try Keyring.load(fromFile: file.path).open(sealed, using: provider) == Data("附件".utf8))
            #expect(Keyring.generate(id: keyID("2025a"), using: provider) != text)
        }
    }

    @Test("0400 可读；0644、0640、0604、0700、0660 被拒绝并说明如何修正", arguments: [0o644, 0o640, 0o604, 0o700, 0o660])
    func permissions(mode: Int) throws {
        try withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("keys.txt")
            try Self.write(Keyring.generate(id: keyID("k"), using: provider), to: file, mode: mode)
            let error = try #require(throws: CryptographyError.self) { try Keyring.load(fromFile: file.path) }
            #expect(error.message.contains(String(format: "权限为 %04o", mode)))
            #expect(error.message.contains("chmod 600 \(file.path)"))
            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: file.path)
            #expect(try Keyring.load(fromFile: file.path).current == keyID("k"))
        }
    }

    @Test("不存在的文件、目录给出原因")
    func unreadable() throws {
        try withTemporaryFolder { folder in
            let missing = try #require(throws: CryptographyError.self) { try Keyring.load(fromFile: folder.appendingPathComponent("无").path) }
            #expect(missing.message.contains("无法打开"))
            let directory = try #require(throws: CryptographyError.self) { try Keyring.load(fromFile: folder.path) }
            #expect(directory.message.contains("不是普通文件"))
        }
    }

    @Test("current 行指定当前密钥；没有时取第一行；注释和空行忽略；轮换后的文本可再读出")
    func currentMarker() throws {
        let first = SymmetricKeyMaterial.random(id: keyID("2024"), using: provider)
        let second = SymmetricKeyMaterial.random(id: keyID("2025"), using: provider)
        let lines = ["2024 \(first.masterKey.base64EncodedString())", "  2025\t\(second.masterKey.base64EncodedString())  "]
        let unmarked = try Keyring(fileText: "# 注释\n\n" + lines.joined(separator: "\n"))
        #expect(unmarked.current == keyID("2024"))
        #expect(unmarked.keys[keyID("2025")]?.masterKey == second.masterKey)
        let marked = try Keyring(fileText: (lines + ["current 2025"]).joined(separator: "\n"))
        #expect(marked.current == keyID("2025"))
        var rotated = unmarked
        let third = SymmetricKeyMaterial.random(id: keyID("2026"), using: provider)
        try rotated.rotate(to: third)
        let reread = try Keyring(fileText: rotated.fileText)
        #expect(reread.current == keyID("2026"))
        #expect(Set(reread.keys.keys) == [keyID("2024"), keyID("2025"), keyID("2026")])
    }

    @Test("格式错误逐行说明", arguments: [
        ("k1 \(Data(count: 32).base64EncodedString())\nk1 \(Data(count: 32).base64EncodedString())", "第 2 行的密钥编号“k1”重复"),
        ("k1 \(Data(count: 16).base64EncodedString())", "第 1 行：密钥“k1”应为 32 字节，现为 16 字节"),
        ("k1 不是base64", "第 1 行的密钥不是 Base64"),
        ("密钥 \(Data(count: 32).base64EncodedString())", "第 1 行的密钥编号“密钥”无效"),
        ("k1", "第 1 行应为"),
        ("current k2\nk1 \(Data(count: 32).base64EncodedString())", "current 指定的密钥“k2”不在文件中"),
        ("current k1\ncurrent k1", "第 2 行重复指定 current"),
        ("# 只有注释\n", "文件中没有密钥"),
    ])
    func malformed(text: String, reason: String) throws {
        let error = try #require(throws: CryptographyError.self) { try Keyring(fileText: text) }
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test("密钥编号：1–16 个字母、数字、点、下划线、连字符，不能是 current")
    func keyIDs() {
        #expect(KeyID("2025-a_1.x") != nil)
        #expect(KeyID(String(repeating: "a", count: 16)) != nil)
        for invalid in ["", String(repeating: "a", count: 17), "a b", "密钥", "a/b", "current"] {
            #expect(KeyID(invalid) == nil, "\(invalid)")
        }
    }
}
