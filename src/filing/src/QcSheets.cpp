// The QC import template and the summary table (小组汇总表), XLSX and CSV.
#include "QcRules.h"
#include "dossier/core/Error.h"
#include "dossier/core/ValidationError.h"
#include "dossier/filing/QcService.h"
#include "dossier/sheets/XlsxWriter.h"

namespace dossier::filing {
namespace {

/// A CSV field (RFC 4180): text that a spreadsheet would take for a formula (starting with
/// = + - @, a tab or a carriage return) gets a leading apostrophe, as OWASP's CSV-injection
/// advice and the spreadsheets' own "text" prefix have it; then quoted when it holds a comma,
/// a quote or a line break.
std::string csvField(const std::string& value) {
    std::string v = value;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' ||
                       v[0] == '\r')) {
        v.insert(v.begin(), '\'');
    }
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

const char* kindLabel(const std::string& kind) { return kind == "team" ? "班组" : "小组"; }

std::vector<std::string> summaryTitles(bool staff) {
    std::vector<std::string> t;
    if (staff) t.push_back("申报单位");
    for (auto s : {"序号", "类型", "成果名称", "小组名称", "所属企业", "小组人数", "组长",
                   "小组成立日期", "来源"})
        t.emplace_back(s);
    return t;
}

}  // namespace

std::string QcService::templateXlsx(const std::string& type) {
    if (!qc::isKind(type)) {
        throw ValidationError({{"type", type.empty() ? codes::kFieldRequired : codes::kFieldChoice,
                                "type must be group (小组) or team (班组)."}});
    }
    bool team = type == "team";
    sheets::XlsxWriter book;
    book.addSheet("sheet1");
    static constexpr double kWidths[] = {6, 36, 24, 30, 10, 10, 14};
    for (int i = 0; i < 7; ++i) book.setColumn(i, kWidths[i], i == 6);
    for (int i = 0; i < 7; ++i)
        book.text(0, i, std::string(qc::kTitles[static_cast<std::size_t>(i)]), true);
    // The example row: what each column takes, a real date in G.
    book.number(1, 0, 1);
    book.text(1, 1, team ? "提升包装工段一次交检合格率" : "降低合成氨装置吨氨综合能耗");
    book.text(1, 2, team ? "包装车间一班" : "节能降耗QC小组");
    book.text(1, 3, "某某化工有限公司");
    book.number(1, 4, team ? 12 : 6);
    book.text(1, 5, "张三");
    book.date(1, 6, sheets::CivilDate{2023, 5, 6});

    book.addSheet("填写说明");
    book.setColumn(0, 100);
    const char* notes[] = {
        team ? "班组备案导入模板" : "小组备案导入模板",
        "1、文件名不限，但第一个工作表必须名为 sheet1，并且顺序是第一个；",
        "2、成果名称和小组名称与本单位已有记录（或本文件中前面的行）一致时，该行自动忽略，不会覆盖"
        "或重复导入；",
        "3、第一行必须是标题，字段顺序为：序号、成果名称、小组名称、所属企业、小组人数（或班组人数"
        "）、组长、小组成立日期；",
        "4、成果名称（至多100字）、小组名称（至多50字）、组长（至多30字）必填；所属企业至多100字；",
        "5、小组人数填写正整数；小组成立日期填写日期（如 2023-05-06、2023/5/6 或 "
        "2023年5月6日），不能晚于今天；",
        "6、第2行为示例，请替换为本单位的数据；空行自动跳过；公式只读取其保存的结果，不会计算；",
        "7、一次导入至多 20000 行（以服务器配置为准）；有问题的行逐行列出原因，其余行照常导入。",
    };
    int row = 0;
    for (const char* line : notes) {
        book.text(row, 0, line, row == 0);
        ++row;
    }
    return book.finish();
}

std::string QcService::summaryXlsx(const Viewer& viewer, const std::string& year) {
    auto rows = summaryRows(viewer, year);
    bool staff = viewer.isStaff();
    auto titles = summaryTitles(staff);
    sheets::XlsxWriter book;
    book.addSheet("小组汇总表");
    int offset = staff ? 1 : 0;
    if (staff) book.setColumn(0, 30);
    static constexpr double kWidths[] = {6, 6, 36, 24, 30, 10, 10, 14, 8};
    for (int i = 0; i < 9; ++i) book.setColumn(offset + i, kWidths[i], i == 7);
    for (std::size_t i = 0; i < titles.size(); ++i)
        book.text(0, static_cast<int>(i), titles[i], true);
    int r = 1;
    for (const auto& row : rows) {
        if (staff) book.text(r, 0, row.organizationName);
        book.number(r, offset + 0, r);
        book.text(r, offset + 1, kindLabel(row.kind));
        book.text(r, offset + 2, row.title);
        book.text(r, offset + 3, row.groupName);
        book.text(r, offset + 4, row.enterprise);
        book.number(r, offset + 5, static_cast<double>(row.memberCount));
        book.text(r, offset + 6, row.leader);
        if (row.foundedOn.size() == 10) {
            book.date(r, offset + 7,
                      sheets::CivilDate{std::stoi(row.foundedOn.substr(0, 4)),
                                        std::stoi(row.foundedOn.substr(5, 2)),
                                        std::stoi(row.foundedOn.substr(8, 2))});
        }
        book.text(r, offset + 8, row.source == "import" ? "导入" : "录入");
        ++r;
    }
    return book.finish();
}

std::string QcService::summaryCsv(const Viewer& viewer, const std::string& year) {
    auto rows = summaryRows(viewer, year);
    bool staff = viewer.isStaff();
    std::string out = "\xEF\xBB\xBF";  // so Excel reads the Chinese as UTF-8
    auto line = [&out](const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ',';
            out += csvField(fields[i]);
        }
        out += "\r\n";
    };
    line(summaryTitles(staff));
    std::size_t n = 0;
    for (const auto& row : rows) {
        std::vector<std::string> f;
        if (staff) f.push_back(row.organizationName);
        for (std::string v :
             {std::to_string(++n), std::string(kindLabel(row.kind)), row.title, row.groupName,
              row.enterprise, std::to_string(row.memberCount), row.leader, row.foundedOn,
              std::string(row.source == "import" ? "导入" : "录入")})
            f.push_back(std::move(v));
        line(f);
    }
    return out;
}

}  // namespace dossier::filing
