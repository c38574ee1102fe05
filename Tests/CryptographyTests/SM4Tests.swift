import Foundation
import Testing

@testable import Cryptography

@Suite("SM4（GB/T 32907-2016）与 HMAC-SM3（GM/T 0042-2015）")
struct SM4Tests {
    static let key = Data(hex: "0123456789abcdeffedcba9876543210")

    /// CTR's first keystream block is SM4 of the IV, so sixteen zero bytes encrypted with IV = P give the
    /// single-block ciphertext of P: the standard's vectors check the cipher through the code the sealed format uses.
    static func encryptBlock(_ block: Data, with library: LibCrypto) -> Data {
        library.sm4CTR(key: key, iv: block, Data(count: 16))
    }

    @Test("附录 A 示例 1：密钥与明文均为 0123456789abcdeffedcba9876543210")
    func singleBlock() {
        #expect(Self.encryptBlock(Self.key, with: provider.library).hex == "681edf34d206965e86b3e94f536e4246")
    }

    @Test("附录 A 示例 2：同一密钥加密 1,000,000 次")
    func millionIterations() {
        let started = ContinuousClock.now
        var block = Self.key
        for _ in 0..<1_000_000 {
            block = Self.encryptBlock(block, with: provider.library)
        }
        print("SM4 1,000,000 次迭代用时 \(ContinuousClock.now - started)")
        #expect(block.hex == "595298c7c6fd271f0402f804c33d3f66")
    }

    /// The expected bytes came from `openssl enc -sm4-ctr -K 0123456789abcdeffedcba9876543210
    /// -iv fffffffffffffffffffffffffffffffe` over the bytes 0…63; the IV makes the 128-bit counter carry over.
    @Test("CTR 多个分组、计数器进位：与 openssl 命令行一致；再加密一次还原明文")
    func counterMode() {
        let plaintext = Data(0..<64)
        let iv = Data(hex: "fffffffffffffffffffffffffffffffe")
        let ciphertext = provider.library.sm4CTR(key: Self.key, iv: iv, plaintext)
        #expect(ciphertext.hex == "661316b2cd2d2589977512f08f82f6577800bd6d1d6672f09ee25fd541877eef"
            + "0656d6482de404ebbf7c193b77f98c057e6869c30b168b270aa2956da4d5a6d3")
        #expect(provider.library.sm4CTR(key: Self.key, iv: iv, ciphertext) == plaintext)
        #expect(provider.library.sm4CTR(key: Self.key, iv: iv, Data()).isEmpty)
    }

    /// GM/T 0042-2015 appendix D.3; each output was cross-checked on this machine with
    /// `openssl mac -digest SM3 -macopt hexkey:<key> HMAC`.
    @Test("HMAC-SM3 标准示例", arguments: [
        (Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopqabcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
         "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a"),
        (Data(repeating: 0xcd, count: 50),
         "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425",
         "220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae"),
        (Data("Hi There".utf8),
         "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
         "c0ba18c68b90c88bc07de794bfc7d2c8d19ec31ed8773bc2b390c9604e0be11e"),
    ])
    func hmacSM3(message: Data, key: String, mac: String) {
        #expect(provider.library.hmacSM3(key: Data(hex: key), message).hex == mac)
    }

    @Test("常数时间比较：等长相同为真，任一字节不同或长度不同为假")
    func constantTimeEqual() {
        let mac = provider.randomBytes(32)
        #expect(provider.library.constantTimeEqual(mac, Data(mac)))
        for index in mac.indices {
            var changed = mac
            changed[index] ^= 0x80
            #expect(!provider.library.constantTimeEqual(mac, changed))
        }
        #expect(!provider.library.constantTimeEqual(mac, mac.prefix(31)))
    }
}
