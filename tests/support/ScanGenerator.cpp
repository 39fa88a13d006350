#include "ScanGenerator.h"

#include <Magick++.h>

#include <algorithm>
#include <cstdio>

#include "dossier/watermark/FontLocator.h"
#include "dossier/watermark/MagickRuntime.h"

namespace dossier::test {
namespace {

void text(Magick::Image& page, const std::string& font, double pt, const std::string& s, double x,
          double y, const std::string& colour = "#1a1a1a") {
    page.font(font);
    page.fontPointsize(pt);
    page.fillColor(Magick::Color(colour));
    page.strokeColor(Magick::Color("transparent"));
    page.annotate(
        s,
        Magick::Geometry(static_cast<std::size_t>(page.columns()), static_cast<std::size_t>(pt * 2),
                         static_cast<long>(x), static_cast<long>(y)),
        MagickCore::NorthWestGravity);
}

void roundSeal(Magick::Image& page, const std::string& font, double cx, double cy, double r,
               const std::string& colour, const std::string& name) {
    page.strokeColor(Magick::Color(colour));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(r * 0.06);
    page.draw(Magick::DrawableEllipse(cx, cy, r, r, 0, 360));
    page.strokeWidth(1);
    page.strokeColor(Magick::Color("transparent"));
    page.fillColor(Magick::Color(colour));
    Magick::CoordinateList star;
    for (int i = 0; i < 10; ++i) {
        double a = -3.14159265 / 2 + i * 3.14159265 / 5;
        double rr = (i % 2 ? 0.13 : 0.33) * r;
        star.push_back(Magick::Coordinate(cx + rr * std::cos(a), cy + rr * std::sin(a)));
    }
    page.draw(Magick::DrawablePolygon(star));
    // The name along the upper arc, one character at a time.
    auto chars = std::vector<std::string>();
    for (std::size_t i = 0; i < name.size();) {
        std::size_t len = (static_cast<unsigned char>(name[i]) >= 0xF0)   ? 4
                          : (static_cast<unsigned char>(name[i]) >= 0xE0) ? 3
                          : (static_cast<unsigned char>(name[i]) >= 0xC0) ? 2
                                                                          : 1;
        chars.push_back(name.substr(i, len));
        i += len;
    }
    double span = 3.14159265 * 1.25;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        double a = -3.14159265 / 2 - span / 2 + span * (i + 0.5) / chars.size();
        double tx = cx + 0.72 * r * std::cos(a), ty = cy + 0.72 * r * std::sin(a);
        page.font(font);
        page.fontPointsize(r * 0.22);
        page.annotate(
            chars[i],
            Magick::Geometry(static_cast<std::size_t>(r * 0.4), static_cast<std::size_t>(r * 0.4),
                             static_cast<long>(tx - r * 0.2), static_cast<long>(ty - r * 0.2)),
            MagickCore::CenterGravity, (a + 3.14159265 / 2) * 180 / 3.14159265);
    }
    page.annotate("专用章",
                  Magick::Geometry(static_cast<std::size_t>(r), static_cast<std::size_t>(r * 0.3),
                                   static_cast<long>(cx - r / 2), static_cast<long>(cy + r * 0.42)),
                  MagickCore::CenterGravity);
}

void squareSeal(Magick::Image& page, const std::string& font, double cx, double cy, double half,
                const std::string& colour) {
    page.strokeColor(Magick::Color(colour));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(half * 0.1);
    page.draw(Magick::DrawableRectangle(cx - half, cy - half, cx + half, cy + half));
    page.strokeWidth(1);
    page.strokeColor(Magick::Color("transparent"));
    page.fillColor(Magick::Color(colour));
    page.font(font);
    page.fontPointsize(half * 0.75);
    page.annotate(
        "李国\n庆印",
        Magick::Geometry(static_cast<std::size_t>(half * 2), static_cast<std::size_t>(half * 2),
                         static_cast<long>(cx - half), static_cast<long>(cy - half)),
        MagickCore::CenterGravity);
}

}  // namespace

std::string renderCommitmentScan(const CommitmentScanSpec& spec) {
    watermark::MagickRuntime::initialize();
    const double s = spec.dpi / 150.0;
    const auto w = static_cast<std::size_t>(1240 * s), h = static_cast<std::size_t>(1754 * s);
    const std::string hei = watermark::FontLocator::heiFont();
    const std::string song = watermark::FontLocator::songFont();
    Magick::Image page(Magick::Geometry(w, h), Magick::Color("#fdfcf8"));
    text(page, hei, 44 * s, "全国质量标杆申报承诺书", 330 * s, 130 * s,
         spec.redTitle ? "#c8161d" : "#111111");
    if (spec.redUnderline) {
        page.strokeColor(Magick::Color("#c8161d"));
        page.strokeWidth(4 * s);
        page.draw(Magick::DrawableLine(120 * s, 220 * s, w - 120 * s, 220 * s));
        page.strokeWidth(1);
    }
    static const char* kBody[] = {
        "本单位自愿申报全国质量标杆，现郑重承诺：",
        "一、所提交的申报材料真实、准确、完整，不存在虚假记载；",
        "二、近三年未发生重大质量、安全、环境事故；",
        "三、遵守活动的各项规定，接受社会监督。",
        "如有违反，愿承担相应责任。",
    };
    double y = 300 * s;
    for (const char* line : kBody) {
        text(page, song, 30 * s, line, 140 * s, y);
        y += 70 * s;
    }
    if (spec.redParagraph) {
        for (int i = 0; i < 4; ++i) {
            text(page, song, 30 * s, "特别提示：本页红色文字为填表说明，不是印章。", 140 * s,
                 y + 20 * s + i * 48 * s, "#c8161d");
        }
        y += 240 * s;
    }
    static const char* kUnits[] = {"北京中导开源科技有限公司", "浙江正泰电器股份有限公司",
                                   "中山市旭日商贸有限公司"};
    for (int i = 0; i < spec.seals; ++i) {
        double cx = (280 + 360 * i) * s, cy = 1380 * s;
        text(page, song, 26 * s, std::string("完成单位（盖章）") + std::to_string(i + 1),
             cx - 130 * s, cy - 230 * s);
        if (spec.squareSeal && i == spec.seals - 1) {
            squareSeal(page, hei, cx, cy, 60 * s, spec.sealColour);
        } else {
            roundSeal(page, hei, cx, cy, 130 * s, spec.sealColour, kUnits[i % 3]);
        }
    }
    text(page, song, 28 * s, "2025 年 4 月 10 日", 820 * s, 1620 * s);
    if (spec.noise) page.addNoise(MagickCore::GaussianNoise);
    if (spec.blurSigma > 0) page.blur(0, spec.blurSigma);
    if (spec.quarterTurns % 4 != 0) page.rotate(90.0 * (spec.quarterTurns % 4));
    page.quality(88);
    page.magick("JPEG");
    Magick::Blob blob;
    page.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
}

namespace {

std::size_t codePoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

const char* codeFace(int which) {
    switch (which) {
        case 1:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
        case 2:
            return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        default:
            return nullptr;
    }
}

/// Scanner grain that is the same on every run: ImageMagick seeds its generator from entropy
/// and splits rows among threads, unless given a key and one thread.
void deterministicNoise(Magick::Image& page, const std::string& seed) {
    unsigned long key = 5381;
    for (unsigned char c : seed) key = key * 33 + c;
    auto threads = Magick::ResourceLimits::thread();
    Magick::ResourceLimits::thread(1);
    MagickCore::SetRandomSecretKey(key);
    page.addNoise(MagickCore::GaussianNoise);
    Magick::ResourceLimits::thread(threads);
}

/// Where the name was set, for a seal stamped over it.
struct NameLine {
    double x = 0, y = 0, size = 0;
};

NameLine layoutClassic(Magick::Image& page, const LicenseScanSpec& spec, const std::string& hei,
                       const std::string& song, const std::string& codeFont) {
    const double s = spec.dpi / 150.0;
    const double w = static_cast<double>(page.columns()), h = static_cast<double>(page.rows());
    page.strokeColor(Magick::Color("#8a7a55"));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(6 * s);
    page.draw(Magick::DrawableRectangle(40 * s, 40 * s, w - 40 * s, h - 40 * s));
    page.strokeWidth(1);

    text(page, hei, 22 * s, "编号：S1212020016721G(1-1)", 110 * s, 100 * s);
    text(page, hei, 24 * s, "统一社会信用代码", 110 * s, 150 * s);
    text(page, codeFont, 26 * s, spec.code, 110 * s, 192 * s);
    text(page, song, 96 * s, "营 业 执 照", 620 * s, 120 * s);
    text(page, song, 34 * s, "（副  本）", 790 * s, 260 * s);
    const double col1 = 160 * s, col2 = 360 * s, col3 = 960 * s, col4 = 1140 * s;
    double y = 380 * s;
    const double step = 70 * s;
    NameLine name{col2, y, 30 * s};
    text(page, hei, 30 * s, "名      称", col1, y);
    text(page, song, 30 * s, spec.name, col2, y);
    text(page, hei, 30 * s, "注册资本", col3, y);
    text(page, song, 28 * s, "叁仟伍佰万元（人民币）", col4, y);
    y += step;
    text(page, hei, 30 * s, "类      型", col1, y);
    text(page, song, 28 * s, "有限责任公司（法人独资）", col2, y);
    text(page, hei, 30 * s, "成立日期", col3, y);
    text(page, song, 28 * s, "2015年12月10日", col4, y);
    y += step;
    text(page, hei, 30 * s, "法定代表人", col1, y);
    text(page, song, 28 * s, "李杰", col2, y);
    text(page, hei, 30 * s, "住      所", col3, y);
    text(page, song, 26 * s, "广州国际生物岛螺旋四路7号", col4, y);
    y += step;
    text(page, hei, 30 * s, "经营范围", col1, y);
    text(page, song, 26 * s, "医学检验科；临床体液、血液专业；临床微生物学专业。", col2, y);
    text(page, song, 26 * s, "（依法须经批准的项目，经相关部门批准后方可开展经营活动）", col2,
         y + 44 * s);
    text(page, hei, 30 * s, "登 记 机 关", 1150 * s, 960 * s);
    text(page, song, 28 * s, "2025 年 03 月 18 日", 1150 * s, 1060 * s);

    // Registration seal: red ring, star, a line of text.
    page.strokeColor(Magick::Color("#d0282e"));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(7 * s);
    const double cx = 1330 * s, cy = 980 * s, r = 120 * s;
    page.draw(Magick::DrawableEllipse(cx, cy, r, r, 0, 360));
    page.strokeWidth(1);
    page.fillColor(Magick::Color("#d0282e"));
    Magick::CoordinateList star;
    for (int i = 0; i < 10; ++i) {
        double a = -3.14159265 / 2 + i * 3.14159265 / 5;
        double rr = (i % 2 ? 16 : 40) * s;
        star.push_back(Magick::Coordinate(cx + rr * std::cos(a), cy + rr * std::sin(a)));
    }
    page.draw(Magick::DrawablePolygon(star));
    text(page, hei, 22 * s, "广州市市场监督管理局", cx - 110 * s, cy + 50 * s, "#d0282e");
    return name;
}

/// Label over a larger code, a 副本编号 line, fields in two columns with spaced labels, the
/// registration authority's block inside its seal at the bottom right.
NameLine layoutLater(Magick::Image& page, const LicenseScanSpec& spec, const std::string& hei,
                     const std::string& song, const std::string& codeFont) {
    const double s = spec.dpi / 150.0;
    const double w = static_cast<double>(page.columns()), h = static_cast<double>(page.rows());
    page.strokeColor(Magick::Color("#555555"));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(8 * s);
    page.draw(Magick::DrawableRectangle(30 * s, 30 * s, w - 30 * s, h - 30 * s));
    page.strokeWidth(2 * s);
    page.draw(Magick::DrawableRectangle(58 * s, 58 * s, w - 58 * s, h - 58 * s));
    page.strokeWidth(1);

    text(page, hei, 26 * s, "统一社会信用代码", 120 * s, 135 * s);
    text(page, codeFont, 40 * s, spec.code, 118 * s, 172 * s, "#111111");
    text(page, hei, 20 * s, "副本编号：320506000020260420001" + std::to_string(spec.dpi % 10),
         120 * s, 232 * s);
    text(page, song, 92 * s, "营业执照", 700 * s, 110 * s, "#111111");
    text(page, song, 30 * s, "（副    本）", 800 * s, 250 * s);
    const double col1 = 120 * s, col2 = 340 * s, col3 = 1060 * s, col4 = 1260 * s;
    double y = 385 * s;
    const double step = 77 * s;
    NameLine name{col2, y, 31 * s};
    text(page, song, 31 * s, "名        称", col1, y);
    text(page, song, 31 * s, spec.name, col2, y);
    text(page, song, 31 * s, "注册资本", col3, y);
    text(page, song, 31 * s, "伍佰万元整", col4, y);
    y += step;
    text(page, song, 31 * s, "类        型", col1, y);
    text(page, song, 31 * s, "有限责任公司（自然人投资或控股）", col2, y);
    text(page, song, 31 * s, "成立日期", col3, y);
    text(page, song, 29 * s, "2016年03月18日", col4, y);
    y += step;
    text(page, song, 31 * s, "法定代表人", col1, y);
    text(page, song, 31 * s, "周明远", col2, y);
    text(page, song, 31 * s, "住        所", col3, y);
    text(page, song, 29 * s, "苏州市吴中区澄湖路88号", col4, y);
    y += step;
    text(page, song, 31 * s, "经营范围", col1, y);
    text(page, song, 31 * s, "精密仪器仪表制造；电子测量仪器销售；技术服务。", col2, y);

    const double cx = 1280 * s, cy = 1020 * s, r = 115 * s;
    page.strokeColor(Magick::Color("#c0242a"));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(6 * s);
    page.draw(Magick::DrawableEllipse(cx, cy, r, r, 0, 360));
    page.strokeWidth(1);
    text(page, song, 30 * s, "登记机关", cx - 120 * s, cy - 60 * s);
    text(page, song, 30 * s, "市场监督管理局", cx - 95 * s, cy - 20 * s);
    text(page, song, 29 * s, "2026年04月20日", cx - 120 * s, cy + 20 * s);
    return name;
}

/// A company seal in translucent red ink: multiplied onto the page, so the text under it
/// stays dark and the paper around it turns red.
void stampCompanySeal(Magick::Image& page, const std::string& font, double cx, double cy, double r,
                      const std::string& owner) {
    const auto side = static_cast<std::size_t>(2 * r + 8);
    Magick::Image seal(Magick::Geometry(side, side), Magick::Color("white"));
    roundSeal(seal, font, side / 2.0, side / 2.0, r, "#d8333a", owner);
    page.composite(seal, static_cast<long>(cx - side / 2.0), static_cast<long>(cy - side / 2.0),
                   MagickCore::MultiplyCompositeOp);
}

}  // namespace

std::string renderLicenseScan(const LicenseScanSpec& spec) {
    watermark::MagickRuntime::initialize();
    const double s = spec.dpi / 150.0;  // layouts designed at 150 dpi
    const auto w = static_cast<std::size_t>(1754 * s), h = static_cast<std::size_t>(1240 * s);
    const std::string hei = watermark::FontLocator::heiFont();
    const std::string song = watermark::FontLocator::songFont();
    std::string codeFont = spec.codeFont == 3 ? song : hei;
    if (const char* face = codeFace(spec.codeFont)) codeFont = face;
    Magick::Image page(Magick::Geometry(w, h),
                       Magick::Color(spec.layout == 1 ? "white" : "#fbf8f1"));
    NameLine name = spec.layout == 1 ? layoutLater(page, spec, hei, song, codeFont)
                                     : layoutClassic(page, spec, hei, song, codeFont);
    if (spec.sealOverName > 0) {
        double r = spec.sealOverName * name.size;
        double nameWidth = name.size * static_cast<double>(codePoints(spec.name));
        stampCompanySeal(page, hei, name.x + spec.sealAt * nameWidth, name.y + name.size * 0.6, r,
                         spec.name);
    }

    if (spec.skewDegrees != 0) {
        page.backgroundColor(Magick::Color(spec.layout == 1 ? "white" : "#fbf8f1"));
        page.rotate(spec.skewDegrees);
    }
    if (spec.unevenLight > 0) {
        // A lamp by one corner: a fall-off built small and enlarged smoothly (the project's
        // ImageMagick policy denies the gradient: coder), multiplied in.
        constexpr int kSide = 32;
        Magick::Image light(Magick::Geometry(kSide, kSide), Magick::Color("white"));
        for (int y = 0; y < kSide; ++y) {
            for (int x = 0; x < kSide; ++x) {
                int dx = spec.lightFrom & 1 ? kSide - 1 - x : x;
                int dy = spec.lightFrom & 2 ? kSide - 1 - y : y;
                double v = 1 - spec.unevenLight * (dx + dy) / (2.0 * (kSide - 1));
                light.pixelColor(static_cast<std::size_t>(x), static_cast<std::size_t>(y),
                                 Magick::ColorRGB(v, v, v * v));
            }
        }
        Magick::Geometry size(page.columns(), page.rows());
        size.aspect(true);
        light.resize(size);
        page.composite(light, 0, 0, MagickCore::MultiplyCompositeOp);
    }
    if (spec.noise) deterministicNoise(page, spec.code);
    if (spec.blurSigma > 0) page.blur(0, spec.blurSigma);
    if (spec.grayscale || spec.inverted) page.type(MagickCore::GrayscaleType);
    if (spec.inverted) page.negate();
    if (spec.quarterTurns % 4 != 0) page.rotate(90.0 * (spec.quarterTurns % 4));
    page.quality(static_cast<std::size_t>(spec.jpegQuality));
    page.magick("JPEG");
    Magick::Blob blob;
    page.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
}

}  // namespace dossier::test
