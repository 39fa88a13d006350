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
}

std::vector<OcrLine> collectLines(tesseract::TessBaseAPI& api) {
    std::vector<OcrLine> lines;
    if (api.Recognize(nullptr) != 0) return lines;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return lines;
    do {
        std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_TEXTLINE));
        if (!text) continue;
        int l = 0, t = 0, r = 0, b = 0;
        it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b);
        OcrLine line;
        line.text = text.get();
        while (!line.text.empty() && (line.text.back() == '\n' || line.text.back() == ' ')) {
            line.text.pop_back();
        }
        line.box = {l, t, r - l, b - t};
        line.confidence = it->Confidence(tesseract::RIL_TEXTLINE);
        lines.push_back(std::move(line));
    } while (it->Next(tesseract::RIL_TEXTLINE));
    return lines;
}

}  // namespace

struct OcrEngine::Impl {
    tesseract::TessBaseAPI chinese;
    tesseract::TessBaseAPI code;
};

OcrEngine::OcrEngine() : impl_(std::make_unique<Impl>()) {
    init(impl_->chinese, "chi_sim");
    init(impl_->code, "eng");
    impl_->code.SetVariable("tessedit_char_whitelist", std::string(CreditCode::kAlphabet).c_str());
    impl_->code.SetVariable("load_system_dawg", "0");
    impl_->code.SetVariable("load_freq_dawg", "0");
}

OcrEngine::~OcrEngine() {
    impl_->chinese.End();
    impl_->code.End();
}

std::vector<OcrLine> OcrEngine::readLines(const PageImage& page) {
    auto& api = impl_->chinese;
    // Sparse text: a license is a form of short fields, which block-oriented layout analysis
    // (PSM_AUTO) merges or drops.
    api.SetPageSegMode(tesseract::PSM_SPARSE_TEXT);
    api.SetImage(page.impl().pix);
    api.SetSourceResolution(150);
    auto lines = collectLines(api);
    api.Clear();
    return lines;
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
