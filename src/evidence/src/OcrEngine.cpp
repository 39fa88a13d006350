#include "dossier/evidence/OcrEngine.h"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "PageImageImpl.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::evidence {
namespace {

void init(tesseract::TessBaseAPI& api, const char* language) {
    if (api.Init(nullptr, language, tesseract::OEM_LSTM_ONLY) != 0) {
        throw Error(codes::kConfigInvalid,
                    std::string("Tesseract cannot load the '") + language +
                        "' model; install tesseract-ocr-chi-sim and tesseract-ocr-eng.");
    }
    api.SetVariable("debug_file", "/dev/null");
    // Scans are dark on light: skip Tesseract 5's second, inverted recognition of every
    // low-confidence line, which nearly doubles the time on noisy pages.
    api.SetVariable("tessedit_do_invert", "0");
}

std::vector<OcrLine> collectLines(tesseract::TessBaseAPI& api) {
    std::vector<OcrLine> lines;
    if (api.Recognize(nullptr) != 0) return lines;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return lines;
    // Symbol by symbol; a new line starts where the iterator says one begins.
    do {
        if (it->Empty(tesseract::RIL_SYMBOL)) continue;
        int l = 0, t = 0, r = 0, b = 0;
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || lines.empty()) {
            std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_TEXTLINE));
            OcrLine line;
            if (text) line.text = text.get();
            while (!line.text.empty() && (line.text.back() == '\n' || line.text.back() == ' ')) {
                line.text.pop_back();
            }
            it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b);
            line.box = {l, t, r - l, b - t};
            line.confidence = it->Confidence(tesseract::RIL_TEXTLINE);
            lines.push_back(std::move(line));
        }
        std::unique_ptr<char[]> symbol(it->GetUTF8Text(tesseract::RIL_SYMBOL));
        if (!symbol) continue;
        it->BoundingBox(tesseract::RIL_SYMBOL, &l, &t, &r, &b);
        lines.back().symbols.push_back(
            {symbol.get(), {l, t, r - l, b - t}, it->Confidence(tesseract::RIL_SYMBOL)});
    } while (it->Next(tesseract::RIL_SYMBOL));
    return lines;
}

}  // namespace

struct OcrEngine::Impl {
    tesseract::TessBaseAPI chinese;
    tesseract::TessBaseAPI code;
    tesseract::TessBaseAPI osd;
    bool osdReady = false;
};

OcrEngine::OcrEngine() : impl_(std::make_unique<Impl>()) {
    init(impl_->chinese, "chi_sim");
    init(impl_->code, "eng");
    impl_->code.SetVariable("tessedit_char_whitelist", std::string(CreditCode::kAlphabet).c_str());
    impl_->code.SetVariable("load_system_dawg", "0");
    impl_->code.SetVariable("load_freq_dawg", "0");
    // Orientation detection is optional (tesseract-ocr-osd); without it pages are tried in
    // every orientation.
    impl_->osdReady = impl_->osd.Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) == 0;
}

OcrEngine::~OcrEngine() {
    impl_->chinese.End();
    impl_->code.End();
    impl_->osd.End();
}

std::vector<OcrLine> OcrEngine::readLines(const PageImage& page, bool sparse) {
    auto& api = impl_->chinese;
    // Sparse text: a license is a form of short fields, which block-oriented layout analysis
    // (PSM_AUTO) merges or drops.
    api.SetPageSegMode(sparse ? tesseract::PSM_SPARSE_TEXT : tesseract::PSM_AUTO);
    api.SetImage(page.impl().pix);
    api.SetSourceResolution(150);
    auto lines = collectLines(api);
    api.Clear();
    return lines;
}

std::vector<OcrLine> OcrEngine::readLine(const PageImage& line) {
    auto& api = impl_->chinese;
    api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api.SetImage(line.impl().pix);
    api.SetSourceResolution(300);
    auto lines = collectLines(api);
    api.Clear();
    return lines;
}

int OcrEngine::uprightQuarterTurns(const PageImage& page) {
    if (!impl_->osdReady) return -1;
    auto& api = impl_->osd;
    api.SetPageSegMode(tesseract::PSM_OSD_ONLY);
    api.SetImage(page.impl().pix);
    int degrees = 0;
    float confidence = 0, scriptConfidence = 0;
    const char* script = nullptr;
    bool ok = api.DetectOrientationScript(&degrees, &confidence, &script, &scriptConfidence);
    api.Clear();
    if (!ok || confidence < 1.0f) return -1;
    // Tesseract reports the page's orientation as clockwise degrees (the CLI's "Orientation
    // in degrees: 90 / Rotate: 270"); turning it by the complement makes it upright.
    return ((4 - degrees / 90) % 4 + 4) % 4;
}

std::vector<OcrLine> OcrEngine::readCodeRegion(const PageImage& region) {
    auto& api = impl_->code;
    api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    api.SetImage(region.impl().pix);
    api.SetSourceResolution(300);
    auto lines = collectLines(api);
    api.Clear();
    return lines;
}

}  // namespace dossier::evidence
