import Foundation
import Testing
@testable import App

/// Where jigai finds its templates, public files and round files, whatever folder it is started in.
@Suite("安装目录：从任何目录运行都能找到模板和政策文件")
struct InstallLayoutTests {
    func path(_ url: URL) -> String { url.standardizedFileURL.path }

    @Test("JIGAI_HOME；源码目录；PREFIX/bin/jigai 对应的 PREFIX/share/jigai；编译出程序的源码目录")
    func home() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("share/jigai/Resources/Views"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let installed = prefix.appendingPathComponent("bin/jigai")
        let checkout = URL(fileURLWithPath: PackageRoot.path)

        #expect(path(InstallLayout.home(environment: [:], workingDirectory: "/tmp", executable: installed)) == path(prefix.appendingPathComponent("share/jigai")))
        #expect(path(InstallLayout.home(environment: [:], workingDirectory: "/tmp", executable: checkout.appendingPathComponent(".build/debug/jigai"))) == path(checkout))
        #expect(path(InstallLayout.home(environment: [:], workingDirectory: checkout.path, executable: installed)) == path(checkout), "在源码目录中运行用源码目录")
        #expect(path(InstallLayout.home(environment: ["JIGAI_HOME": "/srv/jigai"], workingDirectory: checkout.path, executable: installed)) == "/srv/jigai")
        #expect(path(InstallLayout.home(environment: [:], workingDirectory: "/tmp", executable: URL(fileURLWithPath: "/usr/bin/jigai"))) == "/tmp", "找不到时用当前目录")
        #expect(InstallLayout.policiesDirectory(environment: ["JIGAI_POLICIES": "/etc/jigai/policies"]) == "/etc/jigai/policies")
    }
}
