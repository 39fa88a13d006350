#include "LicenseCorpus.h"

#include <fstream>

#include "TestSupport.h"

namespace dossier::test {

std::vector<CorpusItem> licenseCorpus(int count, int dpi) {
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
    };
    std::vector<CorpusItem> out;
    for (int i = 0; i < count; ++i) {
        CorpusItem item;
        item.spec.dpi = dpi;
        item.spec.code = codes[static_cast<std::size_t>(i * 37) % codes.size()];
        item.spec.name = kNames[i % 8];
        switch (i % 7) {
            case 0:
                break;
            case 1:
                item.spec.quarterTurns = 1;
                break;
            case 2:
                item.spec.grayscale = true, item.spec.noise = true;
                break;
            case 3:
                item.spec.blurSigma = 0.8, item.spec.jpegQuality = 60;
                break;
            case 4:
                item.spec.quarterTurns = 3, item.spec.noise = true;
                break;
            case 5:
                item.spec.skewDegrees = 1.5;
                break;
            case 6:
                item.spec.quarterTurns = 2, item.spec.grayscale = true;
                break;
        }
        item.fileName = "license_" + std::to_string(i) + ".jpg";
        out.push_back(item);
    }
    return out;
}

}  // namespace dossier::test
