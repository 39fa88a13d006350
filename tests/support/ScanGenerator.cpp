#include "ScanGenerator.h"

#include <Magick++.h>

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
    page.annotate(s, Magick::Geometry(static_cast<std::size_t>(page.columns()),
                                      static_cast<std::size_t>(pt * 2), static_cast<long>(x),
                                      static_cast<long>(y)),
                  MagickCore::NorthWestGravity);
}

}  // namespace

std::string renderLicenseScan(const LicenseScanSpec& spec) {
    watermark::MagickRuntime::initialize();
    const double s = spec.dpi / 150.0;  // layout designed at 150 dpi
    const auto w = static_cast<std::size_t>(1754 * s), h = static_cast<std::size_t>(1240 * s);
    const std::string hei = watermark::FontLocator::heiFont();
    const std::string song = watermark::FontLocator::songFont();
    Magick::Image page(Magick::Geometry(w, h), Magick::Color("#fbf8f1"));
    page.strokeColor(Magick::Color("#8a7a55"));
    page.fillColor(Magick::Color("transparent"));
    page.strokeWidth(6 * s);
    page.draw(Magick::DrawableRectangle(40 * s, 40 * s, w - 40 * s, h - 40 * s));
    page.strokeWidth(1);

    text(page, hei, 22 * s, "编号：S1212020016721G(1-1)", 110 * s, 100 * s);
    text(page, hei, 24 * s, "统一社会信用代码", 110 * s, 150 * s);
    text(page, hei, 26 * s, spec.code, 110 * s, 192 * s);
    text(page, song, 96 * s, "营 业 执 照", 620 * s, 120 * s);
    text(page, song, 34 * s, "（副  本）", 790 * s, 260 * s);
    const double col1 = 160 * s, col2 = 360 * s, col3 = 960 * s, col4 = 1140 * s;
    double y = 380 * s;
    const double step = 70 * s;
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
    text(page, song, 26 * s, "（依法须经批准的项目，经相关部门批准后方可开展经营活动）", col2, y + 44 * s);
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

    if (spec.skewDegrees != 0) {
        page.backgroundColor(Magick::Color("#fbf8f1"));
        page.rotate(spec.skewDegrees);
    }
    if (spec.noise) page.addNoise(MagickCore::GaussianNoise);
    if (spec.blurSigma > 0) page.blur(0, spec.blurSigma);
    if (spec.grayscale) page.type(MagickCore::GrayscaleType);
    if (spec.quarterTurns % 4 != 0) page.rotate(90.0 * (spec.quarterTurns % 4));
    page.quality(static_cast<std::size_t>(spec.jpegQuality));
    page.magick("JPEG");
    Magick::Blob blob;
    page.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
}

}  // namespace dossier::test
