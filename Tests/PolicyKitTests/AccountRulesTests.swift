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
