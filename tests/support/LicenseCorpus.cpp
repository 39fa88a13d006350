#include "LicenseCorpus.h"

#include <algorithm>
#include <fstream>
#include <random>

#include "TestSupport.h"

namespace dossier::test {
namespace {

std::vector<std::string> codePointsOf(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0xF0) {
            len = 4;
        } else if (c >= 0xE0) {
            len = 3;
        } else if (c >= 0xC0) {
            len = 2;
        }
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

/// The same name with four characters after the place name replaced: another company of
/// the same city and trade, the hardest clearly different name.
std::string fourCharactersOff(const std::string& name, std::mt19937& rng) {
    static const char* kPool[] = {"星", "辰", "电", "子", "华", "宇", "恒", "通",
                                  "瑞", "丰", "泰", "和", "兴", "隆", "安", "达"};
    auto cps = codePointsOf(name);
    std::size_t from = 2;
    for (std::size_t i = from; i < from + 4 && i < cps.size(); ++i) {
        std::string c;
        do {
            c = kPool[rng() % 16];
        } while (c == cps[i]);
        cps[i] = c;
    }
    std::string out;
    for (const auto& c : cps) out += c;
    return out;
}

double uniform(std::mt19937& rng, double lo, double hi) {
    return lo + (hi - lo) * (double(rng()) / 4294967296.0);
}

}  // namespace

bool CorpusItem::isRight(const evidence::CheckResult& result) const {
    if (result.code == "license.match" && result.status != evidence::CheckStatus::Pass) {
        return false;
    }
    return std::find(right.begin(), right.end(), result.code.text()) != right.end();
}

std::vector<CorpusItem> licenseCorpus(int count, std::uint32_t seed, int dpi) {
    std::vector<std::string> codes;
    std::ifstream in(fixturePath("real/uscc/valid_uscc_python_stdnum.txt"));
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') codes.push_back(line);
    }
    static const char* kNames[] = {
        "广州精科医学检验所有限公司",   "中山市旭日商贸有限公司",
        "北京中道质量技术研究院",       "\xF0\xA0\xAE\xB7野家（上海）餐饮管理有限公司",
        "浙江正泰电器股份有限公司",     "深圳市鑫淼科技有限公司",
        "青岛海尔智能技术研发有限公司", "四川长虹电器股份有限公司",
        "苏州澄湖精密仪表有限公司",     "宁波舜宇光电信息有限公司",
        "江苏恒瑞医药股份有限公司",     "合肥美菱股份有限公司",
    };
    constexpr int kKinds = 12;
    static const char* kKindNames[kKinds] = {
        "clean",      "rot90",      "rot270",   "rot180",      "photo",           "seal_name",
        "wrong_name", "wrong_code", "inverted", "skew_lowres", "seal_wrong_name", "rot_photo"};
    std::mt19937 rng(seed);
    std::vector<CorpusItem> out;
    for (int i = 0; i < count; ++i) {
        CorpusItem item;
        auto& s = item.spec;
        const int kind = i % kKinds;
        item.kind = kKindNames[kind];
        s.code = codes[rng() % codes.size()];
        s.name = kNames[rng() % (sizeof kNames / sizeof kNames[0])];
        s.dpi = dpi != 0 ? dpi : 150 + 10 * static_cast<int>(rng() % 16);
        s.layout = static_cast<int>(rng() % 2);
        s.codeFont = static_cast<int>(rng() % 4);
        s.jpegQuality = 70 + static_cast<int>(rng() % 25);
        if (rng() % 3 == 0) s.skewDegrees = uniform(rng, -1.2, 1.2);
        if (rng() % 3 == 0) s.grayscale = true;
        auto photograph = [&] {
            s.unevenLight = uniform(rng, 0.2, 0.5);
            s.lightFrom = static_cast<int>(rng() % 4);
            s.blurSigma = uniform(rng, 0.5, 1.3);
            s.noise = true;
            s.jpegQuality = 40 + static_cast<int>(rng() % 30);
            s.skewDegrees = uniform(rng, -2.0, 2.0);
        };
        item.declaredCode = s.code;
        item.declaredName = s.name;
        item.right = {"license.match"};
        switch (kind) {
            case 0:
                break;
            case 1:
                s.quarterTurns = 1;
                break;
            case 2:
                s.quarterTurns = 3, s.noise = true;
                break;
            case 3:
                s.quarterTurns = 2;
                break;
            case 4:
                photograph();
                s.quarterTurns = rng() % 2 == 0 ? 0 : static_cast<int>(rng() % 4);
                break;
            case 5:
            case 10:
                s.sealOverName = uniform(rng, 2.4, 3.8);
                s.quarterTurns = static_cast<int>(rng() % 4);
                if (kind == 5) {
                    s.sealAt = uniform(rng, 0.25, 0.8);
                    item.right.push_back("license.name_obscured");
                } else {
                    // The seal on the name's end, the four characters that differ in sight.
                    s.sealAt = uniform(rng, 0.75, 0.95);
                    item.declaredName = fourCharactersOff(s.name, rng);
                    item.right = {"license.name_mismatch"};
                }
                break;
            case 6:
                item.declaredName = fourCharactersOff(s.name, rng);
                item.right = {"license.name_mismatch"};
                s.quarterTurns = static_cast<int>(rng() % 4);
                break;
            case 7: {
                std::string other;
                do {
                    other = codes[rng() % codes.size()];
                } while (other == s.code);
                item.declaredCode = other;
                item.right = {"license.code_mismatch"};
                s.quarterTurns = static_cast<int>(rng() % 4);
                break;
            }
            case 8:
                s.inverted = true;
                if (rng() % 2 == 0) s.quarterTurns = static_cast<int>(rng() % 4);
                break;
            case 9:
                s.skewDegrees = uniform(rng, 0.6, 2.5) * (rng() % 2 ? 1 : -1);
                if (dpi == 0) s.dpi = 150 + 10 * static_cast<int>(rng() % 6);
                s.noise = rng() % 2 == 0;
                break;
            case 11:
                photograph();
                s.quarterTurns = rng() % 2 == 0 ? 1 : 3;
                break;
        }
        item.fileName = "license_" + std::to_string(i) + "_" + item.kind + ".jpg";
        out.push_back(item);
    }
    return out;
}

}  // namespace dossier::test
