import Foundation
import Testing

@testable import Cryptography

@Suite("摘要：SM3（GB/T 32905-2016）与 SHA-256，一次计算与分块计算")
struct DigestTests {
    @Test("SM3 附录 A 示例 1：“abc”")
    func sm3Example1() {
        #expect(provider.digest(Data("abc".utf8), algorithm: .sm3).hex == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test("SM3 附录 A 示例 2：64 字节的“abcd”×16")
    func sm3Example2() {
        let message = Data(String(repeating: "abcd", count: 16).utf8)
        #expect(message.count == 64)
        #expect(provider.digest(message, algorithm: .sm3).hex == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test("SHA-256（FIPS 180-2）：“abc”")
    func sha256() {
        #expect(provider.digest(Data("abc".utf8), algorithm: .sha256).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("分块计算（含空块和 1 字节块）与一次计算相同", arguments: DigestAlgorithm.allCases)
    func incremental(algorithm: DigestAlgorithm) {
        let data = provider.randomBytes(1_000_003)
        let hasher = provider.makeHasher(algorithm)
        var offset = 0
        for size in [0, 1, 63, 64, 65, 4096, 0, 100_000].cycled(until: data.count) {
            let end = min(offset + size, data.count)
            hasher.update(data[offset..<end])
            offset = end
        }
        #expect(offset == data.count)
        #expect(hasher.finalize() == provider.digest(data, algorithm: algorithm))
        #expect(provider.digest(data, algorithm: .sm3) != provider.digest(data, algorithm: .sha256))
    }
}

extension Array where Element == Int {
    /// The sizes repeated until they add up to at least `total`.
    fileprivate func cycled(until total: Int) -> [Int] {
        var sizes: [Int] = []
        var sum = 0
        while sum < total {
            for size in self {
                sizes.append(size)
                sum += size
            }
        }
        return sizes
    }
}
