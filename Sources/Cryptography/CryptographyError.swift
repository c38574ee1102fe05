import Foundation

/// Why a cryptographic operation or a key file was refused, worded for the user.
public enum CryptographyError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// libcrypto lacks an algorithm (an OpenSSL built or configured without SM3/SM4) or failed.
    case library(String)
    /// Sealed data shorter than its header, IV and MAC.
    case truncated
    case unsupportedVersion(UInt8)
    /// The MAC does not match: the data was changed, or the key with its id has other bytes.
    case authenticationFailed
    /// Sealed data names a key the keyring does not hold.
    case unknownKey(KeyID)
    /// A provider was given another key than the one the sealed data names.
    case keyMismatch(expected: KeyID, found: KeyID)
    case invalidKey(String)
    case keyFile(path: String, reason: String)
    case qrCode(String)

    public var message: String {
        switch self {
        case let .library(reason):
            "密码库不可用：\(reason)"
        case .truncated:
            "密文不完整：数据被截断，或不是本系统加密的数据"
        case let .unsupportedVersion(version):
            "密文格式版本 \(version) 不受支持"
        case .authenticationFailed:
            "密文校验失败：数据已被篡改或密钥不匹配"
        case let .unknownKey(id):
            "密文使用的密钥“\(id)”不在密钥文件中"
        case let .keyMismatch(expected, found):
            "密文使用密钥“\(found)”加密，提供的却是密钥“\(expected)”"
        case let .invalidKey(reason):
            "密钥无效：\(reason)"
        case let .keyFile(path, reason):
            "密钥文件 \(path) 不可用：\(reason)"
        case let .qrCode(reason):
            "二维码生成失败：\(reason)"
        }
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
