import Foundation
import Testing

@testable import Cryptography

@Suite("恢复码：生成、格式、规范化、摘要")
struct RecoveryCodesTests {
    static let alphabet = Set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    static func wellFormed(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { $0.count == 4 && $0.allSatisfy(alphabet.contains) }
    }

    @Test("默认 10 个，可指定个数；形如 7KQ4-MX2P；互不相同；不含 0、O、1、I、L")
    func generate() {
        let codes = RecoveryCodes.generate(using: provider)
        #expect(codes.count == 10)
        #expect(codes.allSatisfy(Self.wellFormed), "\(codes)")
        #expect(Set(codes).count == codes.count)
        #expect(RecoveryCodes.generate(count: 25, using: provider).count == 25)
        #expect(RecoveryCodes.generate(count: 0, using: provider).isEmpty)
        #expect(RecoveryCodes.alphabet.count == 31)
        #expect(!RecoveryCodes.alphabet.contains { "0O1IL".contains($0) })
    }

    /// 1,600 characters: a character never drawn would have probability (30/31)^1600 ≈ 10^-23.
    @Test("字母表中每个字符都会出现")
    func everyCharacterDrawn() {
        let drawn = Set(RecoveryCodes.generate(count: 200, using: provider).joined().filter { $0 != "-" })
        #expect(drawn == Self.alphabet)
    }

    @Test("规范化：大小写、空格、各种连字符、全角字符", arguments: [
        "7KQ4-MX2P", "7kq4-mx2p", "7KQ4MX2P", " 7kq4 mx2p\n", "7KQ4—MX2P", "７ＫＱ４－ＭＸ２Ｐ", "7KQ4　MX2P",
    ])
    func normalize(input: String) {
        #expect(RecoveryCodes.normalize(input) == "7KQ4MX2P")
    }

    @Test("不是恢复码时返回 nil", arguments: ["7KQ4-MX2", "7KQ4-MX2PP", "7KQ4-MX2O", "7KQ4-MX21", "7KQ4-MX2L", "", "恢复码恢复码恢复码"])
    func rejects(input: String) {
        #expect(RecoveryCodes.normalize(input) == nil)
        #expect(RecoveryCodes.digest(input, algorithm: .sm3, using: provider) == nil)
    }

    @Test("摘要按规范化后的码计算：不同写法摘要相同，与直接计算一致", arguments: DigestAlgorithm.allCases)
    func digest(algorithm: DigestAlgorithm) throws {
        let code = try #require(RecoveryCodes.generate(count: 1, using: provider).first)
        let stored = try #require(RecoveryCodes.digest(code, algorithm: algorithm, using: provider))
        #expect(stored == provider.digest(Data(code.replacingOccurrences(of: "-", with: "").utf8), algorithm: algorithm))
        #expect(RecoveryCodes.digest(" " + code.lowercased().replacingOccurrences(of: "-", with: " "), algorithm: algorithm, using: provider) == stored)
        #expect(stored.count == 32)
    }
}
