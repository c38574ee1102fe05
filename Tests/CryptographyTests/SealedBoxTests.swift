import Foundation
import Testing

@testable import Cryptography

@Suite("SM4-CTR + HMAC-SM3 密文格式：往返、篡改、错误密钥、密钥轮换")
struct SealedBoxTests {
    static func key(_ id: String) -> SymmetricKeyMaterial {
        .random(id: keyID(id), using: provider)
    }

    @Test("加密再解密得到原文；长度为头部 + IV + 明文 + MAC；同一明文两次加密结果不同", arguments: [0, 1, 15, 16, 17, 1 << 20])
    func roundTrip(length: Int) throws {
        let keyring = try Keyring(current: Self.key("2025a"))
        let plaintext = provider.randomBytes(length)
        let sealed = try keyring.seal(plaintext, using: provider)
        #expect(sealed.count == 2 + 5 + 16 + length + 32)
        #expect(sealed.prefix(7) == Data([1, 5]) + Data("2025a".utf8))
        #expect(try SealedBox.keyID(of: sealed) == keyID("2025a"))
        #expect(try keyring.open(sealed, using: provider) == plaintext)
        #expect(try keyring.seal(plaintext, using: provider) != sealed)
        if length > 0 {
            #expect(sealed[(7 + 16)...].prefix(length) != plaintext)
        }
    }

    @Test("改动任一字节（版本、密钥编号、IV、密文、MAC）都被拒绝")
    func tamper() throws {
        let keyring = try Keyring(current: Self.key("k1"), previous: [Self.key("k2")])
        let sealed = try keyring.seal(Data("企业营业执照扫描件".utf8), using: provider)
        for index in sealed.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var altered = sealed
                altered[index] ^= flip
                let error = try #require(throws: CryptographyError.self) { try keyring.open(altered, using: provider) }
                switch index {
                case 0: #expect(error == .unsupportedVersion(sealed[0] ^ flip))
                // A changed id length reads another id, or runs past the end: any refusal will do.
                case 1: break
                case 2...3:
                    let named = String(bytes: altered[2...3], encoding: .utf8).flatMap(KeyID.init)
                    #expect(error == named.map { .unknownKey($0) } ?? .authenticationFailed)
                default: #expect(error == .authenticationFailed)
                }
            }
        }
        // “k1” changed to “k2”, a key the keyring holds: the MAC still refuses it.
        var renamed = sealed
        renamed[3] = UInt8(ascii: "2")
        #expect(throws: CryptographyError.authenticationFailed) { try keyring.open(renamed, using: provider) }
        #expect(CryptographyError.authenticationFailed.message == "密文校验失败：数据已被篡改或密钥不匹配")
    }

    @Test("截断或追加字节被拒绝")
    func truncation() throws {
        let keyring = try Keyring(current: Self.key("k1"))
        let sealed = try keyring.seal(Data("申报书".utf8), using: provider)
        for length in [0, 1, 2, 4, 4 + 16, 4 + 16 + 31] {
            #expect(throws: CryptographyError.truncated) { try keyring.open(sealed.prefix(length), using: provider) }
        }
        #expect(throws: CryptographyError.authenticationFailed) { try keyring.open(sealed.dropLast(), using: provider) }
        #expect(throws: CryptographyError.authenticationFailed) { try keyring.open(sealed + Data([0]), using: provider) }
        // A slice of a larger buffer, whose indices do not start at zero, opens like a copy.
        #expect(try keyring.open((Data([9, 9]) + sealed).dropFirst(2), using: provider) == Data("申报书".utf8))
    }

    @Test("错误的密钥：同编号不同内容被 MAC 拒绝；编号不符、未知编号给出各自的错误")
    func wrongKey() throws {
        let original = Self.key("k1")
        let sealed = provider.encrypt(Data("财务报表".utf8), key: original)
        let impostor = Self.key("k1")
        #expect(throws: CryptographyError.authenticationFailed) { try provider.decrypt(sealed, key: impostor) }
        #expect(throws: CryptographyError.keyMismatch(expected: keyID("k2"), found: keyID("k1"))) {
            try provider.decrypt(sealed, key: Self.key("k2"))
        }
        #expect(throws: CryptographyError.unknownKey(keyID("k1"))) { try Keyring(current: Self.key("k2")).open(sealed, using: provider) }
        #expect(try provider.decrypt(sealed, key: original) == Data("财务报表".utf8))
    }

    @Test("轮换：旧密钥加密的数据仍能解开，新数据使用新密钥编号；编号不可重复")
    func rotation() throws {
        var keyring = try Keyring(current: Self.key("2024"))
        let old = try keyring.seal(Data("旧附件".utf8), using: provider)
        try keyring.rotate(to: Self.key("2025"))
        #expect(keyring.current == keyID("2025"))
        let new = try keyring.seal(Data("新附件".utf8), using: provider)
        #expect(try SealedBox.keyID(of: new) == keyID("2025"))
        #expect(try keyring.open(old, using: provider) == Data("旧附件".utf8))
        #expect(try keyring.open(new, using: provider) == Data("新附件".utf8))
        #expect(throws: CryptographyError.self) { try keyring.rotate(to: Self.key("2024")) }
        #expect(throws: CryptographyError.self) { try Keyring(current: Self.key("a"), previous: [Self.key("a")]) }
    }

    /// Opens a sealed box with the openssl command line alone, following the layout `SealedBox` documents, so the
    /// format is what the documentation says and not merely what this code reads back.
    @Test("格式与文档一致：openssl 命令行按文档推导密钥、核对 MAC 并解密", .enabled(if: Tool.path("openssl") != nil))
    func documentedLayout() throws {
        let key = Self.key("doc")
        let plaintext = Data("晋城市技术改造专项资金申报附件".utf8)
        let sealed = provider.encrypt(plaintext, key: key)
        func hmacSM3(key: Data, _ message: Data) throws -> String {
            let output = try Tool.run("openssl", ["mac", "-digest", "SM3", "-macopt", "hexkey:\(key.hex)", "HMAC"], input: message)
            return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
        let encryptionKey = String(try hmacSM3(key: key.masterKey, Data("jigai sealed-box v1 SM4".utf8)).prefix(32))
        let macKey = Data(hex: try hmacSM3(key: key.masterKey, Data("jigai sealed-box v1 HMAC-SM3".utf8)))
        let headerLength = 2 + 3
        let iv = sealed[headerLength..<headerLength + 16]
        let ciphertext = sealed[(headerLength + 16)..<(sealed.count - 32)]
        #expect(try hmacSM3(key: macKey, sealed.dropLast(32)) == sealed.suffix(32).hex)
        let decrypted = try Tool.run("openssl", ["enc", "-d", "-sm4-ctr", "-K", encryptionKey, "-iv", Data(iv).hex], input: Data(ciphertext))
        #expect(decrypted == plaintext)
    }
}
