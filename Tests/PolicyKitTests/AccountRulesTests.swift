import Testing
@testable import PolicyKit

@Suite("审核员账号规则与一次性密码")
struct AccountRulesTests {
    let authorities: Set<String> = ["140100", "140200", "transformation-zone"]

    @Test("合格的审核员账号没有问题")
    func valid() {
        #expect(StaffAccountRules.problems(login: "ty.wang_01", displayName: "王审核", role: .cityReviewer, organisation: "140100",
                                           organisations: authorities, mobile: "13900001111", loginTaken: false).isEmpty)
    }

    @Test("登录名、姓名、角色、所属单位、手机号逐项报错")
    func problems() {
        let problems = StaffAccountRules.problems(login: "王", displayName: "", role: .admin, organisation: nil, organisations: authorities,
                                                  mobile: "12", loginTaken: false)
        #expect(problems.keys.sorted() == ["displayName", "login", "mobile", "role"])
        #expect(StaffAccountRules.problems(login: "13900001111", displayName: "x", role: .cityReviewer, organisation: "140100",
                                           organisations: authorities, mobile: nil, loginTaken: false)["login"] == "登录名不能是统一社会信用代码或手机号码")
        #expect(StaffAccountRules.problems(login: "wang", displayName: "x", role: .divisionReviewer, organisation: "140100",
                                           organisations: ["raw-materials"], mobile: nil, loginTaken: false)["organisation"] == "请选择省厅处室")
        #expect(StaffAccountRules.problems(login: "wang", displayName: "x", role: .cityReviewer, organisation: "140100",
                                           organisations: authorities, mobile: nil, loginTaken: true)["login"] == "登录名“wang”已被使用")
    }

    @Test("一次性密码符合密码规则、不含易混字符、每次不同")
    func temporaryPasswords() {
        let passwords = (0..<200).map { _ in TemporaryPassword.make() }
        #expect(Set(passwords).count == passwords.count)
        for password in passwords {
            #expect(PasswordPolicy.problems(password).isEmpty)
            #expect(password.count == 14)
            #expect(!password.contains { "0O1lI".contains($0) })
        }
    }
}

@Suite("安全规则：弱密码的词根、匿名事件汇总、上传文件名")
struct SecurityRulesTests {
    @Test("词根：去掉数字和符号、还原常见替换", arguments: [
        ("Welcome2023", "welcome"), ("P@ssw0rd123", "password"), ("Shanxi2023!", "shanxi"), ("K8#mq2Lz9v", "kmqlzv"), ("2023-11-10", ""),
    ])
    func core(password: String, expected: String) {
        #expect(PasswordPolicy.core(password) == expected)
    }

    @Test("发给字典检查的是密码本身和它的词根")
    func dictionaryCandidates() {
        #expect(PasswordPolicy.dictionaryCandidates("Welcome2023") == ["Welcome2023", "welcome"])
        #expect(PasswordPolicy.dictionaryCandidates("abc12345678") == ["abc12345678"])
    }

    @Test("公开的演示密码和本系统、本地常见词不能作密码")
    func siteWords() {
        #expect(PasswordPolicy.problems(PasswordPolicy.publishedDemoPassword).contains { $0.contains("演示密码") })
        #expect(PasswordPolicy.problems("Taiyuan@2023").contains { $0.contains("taiyuan") })
        #expect(PasswordPolicy.problems("Fenhe-River-2023").isEmpty)
    }

    @Test("匿名事件：每个时段前 20 条逐条记录，之后在第 21、100、1000 条写汇总，其余只计数")
    func anonymousAudit() {
        let policy = AnonymousAuditPolicy.standard
        let decisions = (1...2000).map(policy.decide(number:))
        #expect(decisions.prefix(20).allSatisfy { $0 == .record })
        #expect(decisions[20] == .summarise(total: 21))
        #expect(decisions[99] == .summarise(total: 100))
        #expect(decisions[999] == .summarise(total: 1000))
        #expect(decisions.filter { $0 != .count }.count == 23)
    }

    @Test("上传文件名：路径、控制字符、改变文字方向的隐藏字符被拒绝；作标签时被去掉", arguments: [
        "报告\u{202E}fdp.exe", "a/b.pdf", "a\\b.pdf", "换行\n.pdf", "零宽\u{200B}.pdf", "\u{2066}隔离\u{2069}.pdf", "制表\t.pdf",
    ])
    func crafted(name: String) {
        #expect(UploadChecks.nameProblem(name) != nil)
        #expect(UploadChecks.nameProblem(UploadChecks.cleanedName(name)) == nil)
    }

    @Test("正常的中文文件名通过")
    func ordinaryName() {
        #expect(UploadChecks.nameProblem("2022年度专项审计报告（盖章）.pdf") == nil)
        #expect(UploadChecks.cleanedName("失信名单 2023.xlsx") == "失信名单 2023.xlsx")
    }
}
