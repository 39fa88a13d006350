#include "dossier/sheets/XlsxReader.h"

#include <expat.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::sheets {
namespace {

constexpr char kNsSeparator = '|';

/// The local part of an expat namespace-qualified name ("uri|local" or "local").
std::string_view localName(const char* name) {
    std::string_view n(name);
    auto bar = n.rfind(kNsSeparator);
    return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

/// An attribute by local name; `nsSuffix` (if not empty) must end its namespace URI.
const char* attribute(const char** atts, std::string_view local, std::string_view nsSuffix = {}) {
    for (; atts && *atts; atts += 2) {
        std::string_view n(atts[0]);
        auto bar = n.rfind(kNsSeparator);
        std::string_view ns = bar == std::string_view::npos ? std::string_view() : n.substr(0, bar);
        std::string_view l = bar == std::string_view::npos ? n : n.substr(bar + 1);
        if (l != local) continue;
        if (nsSuffix.empty() ? ns.empty()
                             : (ns.size() >= nsSuffix.size() &&
                                ns.substr(ns.size() - nsSuffix.size()) == nsSuffix)) {
            return atts[1];
        }
    }
    return nullptr;
}

/// SAX events of one part; handlers may throw (the trampolines stop the parser and the
/// exception is rethrown once expat has returned: nothing is thrown through its frames).
class SaxHandler {
  public:
    virtual ~SaxHandler() = default;
    virtual void start(std::string_view name, const char** atts) = 0;
    virtual void end(std::string_view name) = 0;
    virtual void text(const char* s, int len) = 0;
};

class SaxParser {
  public:
    SaxParser(SaxHandler& handler, std::string part) : handler_(handler), part_(std::move(part)) {
        parser_ = XML_ParserCreateNS(nullptr, kNsSeparator);
        if (!parser_) throw std::bad_alloc();
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &SaxParser::onStart, &SaxParser::onEnd);
        XML_SetCharacterDataHandler(parser_, &SaxParser::onText);
        // OOXML parts never declare a DTD: refusing one rules out entity expansion (billion
        // laughs) and external entities (XXE) whatever expat's defaults.
        XML_SetStartDoctypeDeclHandler(parser_, &SaxParser::onDoctype);
        XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
    }
    ~SaxParser() { XML_ParserFree(parser_); }
    SaxParser(const SaxParser&) = delete;
    SaxParser& operator=(const SaxParser&) = delete;

    void feed(const char* data, std::size_t n, bool last) {
        if (stopped_) return;
        if (XML_Parse(parser_, data, static_cast<int>(n), last ? 1 : 0) == XML_STATUS_ERROR) {
            rethrow();
            if (stopped_) return;
            throw Error(codes::kImportMalformed,
                        "The workbook's part " + part_ + " is not well-formed XML (line " +
                            std::to_string(XML_GetCurrentLineNumber(parser_)) + ").",
                        XML_ErrorString(XML_GetErrorCode(parser_)));
        }
        rethrow();
    }
    /// Stopped on purpose by the handler (a caller that needs no more rows).
    void stop() {
        stopped_ = true;
        XML_StopParser(parser_, XML_FALSE);
    }
    bool stopped() const { return stopped_; }

  private:
    void rethrow() {
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
        if (doctype_) {
            throw Error(codes::kImportMalformed, "The workbook's part " + part_ +
                                                     " declares a DTD, which XLSX parts never do.");
        }
    }
    template <typename F>
    static void guarded(void* data, F&& f) {
        auto* self = static_cast<SaxParser*>(data);
        if (self->failure_ || self->stopped_) return;
        try {
            f(*self);
        } catch (...) {
            self->failure_ = std::current_exception();
            XML_StopParser(self->parser_, XML_FALSE);
        }
    }
    static void XMLCALL onStart(void* data, const XML_Char* name, const XML_Char** atts) {
        guarded(data, [&](SaxParser& p) { p.handler_.start(localName(name), atts); });
    }
    static void XMLCALL onEnd(void* data, const XML_Char* name) {
        guarded(data, [&](SaxParser& p) { p.handler_.end(localName(name)); });
    }
    static void XMLCALL onText(void* data, const XML_Char* s, int len) {
        guarded(data, [&](SaxParser& p) { p.handler_.text(s, len); });
    }
    static void XMLCALL onDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*,
                                  int) {
        auto* self = static_cast<SaxParser*>(data);
        self->doctype_ = true;
        XML_StopParser(self->parser_, XML_FALSE);
    }

    SaxHandler& handler_;
    std::string part_;
    XML_Parser parser_ = nullptr;
    std::exception_ptr failure_;
    bool doctype_ = false;
    bool stopped_ = false;
};

/// Parses one part of the package through `handler`; returns early once stopped.
void parsePart(ZipParts& zip, const std::string& name, SaxHandler& handler) {
    SaxParser parser(handler, name);
    struct Stop {};
    try {
        zip.read(name, [&parser](const char* p, std::size_t n) {
            parser.feed(p, n, false);
            if (parser.stopped()) throw Stop{};
        });
        parser.feed("", 0, true);
    } catch (const Stop&) {
    }
}

/// Relationships: Id → Target, and the target of the first relationship of a type.
class RelationshipsHandler : public SaxHandler {
  public:
    std::vector<std::pair<std::string, std::string>> byId;  // id, target
    std::string officeDocument;

    void start(std::string_view name, const char** atts) override {
        if (name != "Relationship") return;
        const char* id = attribute(atts, "Id");
        const char* target = attribute(atts, "Target");
        const char* type = attribute(atts, "Type");
        const char* mode = attribute(atts, "TargetMode");
        if (!target || (mode && std::string_view(mode) == "External")) return;
        if (id) byId.emplace_back(id, target);
        std::string_view t = type ? type : "";
        if (officeDocument.empty() && t.size() >= 15 &&
            t.substr(t.size() - 15) == "/officeDocument") {
            officeDocument = target;
        }
    }
    void end(std::string_view) override {}
    void text(const char*, int) override {}
};

class WorkbookHandler : public SaxHandler {
  public:
    bool date1904 = false;
    std::string firstName, firstRelId;
    bool haveFirst = false;

    void start(std::string_view name, const char** atts) override {
        if (name == "workbookPr") {
            const char* v = attribute(atts, "date1904");
            date1904 = v && (std::string_view(v) == "1" || std::string_view(v) == "true");
        } else if (name == "sheet" && !haveFirst) {
            const char* n = attribute(atts, "name");
            const char* id = attribute(atts, "id", "relationships");
            firstName = n ? n : "";
            firstRelId = id ? id : "";
            haveFirst = true;
        }
    }
    void end(std::string_view) override {}
    void text(const char*, int) override {}
};

/// The folder of a part ("xl/workbook.xml" → "xl/").
std::string folderOf(const std::string& part) {
    auto slash = part.rfind('/');
    return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

/// A relationship target resolved against the source part's folder ("worksheets/sheet1.xml",
/// "/xl/worksheets/sheet1.xml", "../xl/x.xml").
std::string resolve(const std::string& folder, const std::string& target) {
    std::string path =
        !target.empty() && target.front() == '/' ? target.substr(1) : folder + target;
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        std::string seg =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (seg == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!seg.empty() && seg != ".") {
            parts.push_back(seg);
        }
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

void appendCapped(std::string& out, const char* s, int len, std::size_t cap) {
    if (out.size() >= cap) return;
    out.append(s, std::min<std::size_t>(static_cast<std::size_t>(len), cap - out.size()));
}

class SharedStringsHandler : public SaxHandler {
  public:
    SharedStringsHandler(std::vector<std::string>& out, const XlsxLimits& limits)
        : out_(out), limits_(limits) {}

    void start(std::string_view name, const char**) override {
        if (name == "si") {
            current_.clear();
            inSi_ = true;
        } else if (name == "rPh") {
            ++phonetic_;
        } else if (name == "t" && inSi_ && phonetic_ == 0) {
            inT_ = true;
        }
    }
    void end(std::string_view name) override {
        if (name == "si") {
            if (out_.size() >= limits_.maxSharedStrings) {
                throw Error(codes::kImportTooLarge, "The workbook has more than " +
                                                        std::to_string(limits_.maxSharedStrings) +
                                                        " shared strings.");
            }
            out_.push_back(std::move(current_));
            current_.clear();
            inSi_ = false;
        } else if (name == "rPh") {
            if (phonetic_ > 0) --phonetic_;
        } else if (name == "t") {
            inT_ = false;
        }
    }
    void text(const char* s, int len) override {
        if (inT_) appendCapped(current_, s, len, limits_.maxCellBytes);
    }

  private:
    std::vector<std::string>& out_;
    const XlsxLimits& limits_;
    std::string current_;
    bool inSi_ = false, inT_ = false;
    int phonetic_ = 0;
};

/// "BC12" → column 54 (0-based) and row 12; false when it is not a reference.
bool parseReference(std::string_view ref, std::uint32_t& column, std::uint32_t& row) {
    std::size_t i = 0;
    std::uint64_t col = 0;
    while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 4) {
        col = col * 26 + static_cast<std::uint64_t>(ref[i] - 'A' + 1);
        ++i;
    }
    if (i == 0 || col > 16384) return false;
    std::uint64_t r = 0;
    std::size_t d = i;
    while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && i - d < 8) {
        r = r * 10 + static_cast<std::uint64_t>(ref[i] - '0');
        ++i;
    }
    if (i == d || i != ref.size() || r == 0 || r > 1'048'576) return false;
    column = static_cast<std::uint32_t>(col - 1);
    row = static_cast<std::uint32_t>(r);
    return true;
}

class SheetHandler : public SaxHandler {
  public:
    SheetHandler(const std::vector<std::string>& shared, const XlsxLimits& limits,
                 const std::function<bool(const SheetRow&)>& onRow, SaxParser*& parser)
        : shared_(shared), limits_(limits), onRow_(onRow), parser_(parser) {}

    void start(std::string_view name, const char** atts) override {
        if (name == "row") {
            row_.cells.clear();
            const char* r = attribute(atts, "r");
            std::uint32_t number = row_.number + 1;
            if (r) {
                auto [p, ec] = std::from_chars(r, r + std::strlen(r), number);
                if (ec != std::errc() || *p != '\0' || number == 0) malformed("a row number");
            }
            if (number <= row_.number) malformed("rows out of order");
            row_.number = number;
            nextColumn_ = 0;
            inRow_ = true;
        } else if (name == "c" && inRow_) {
            cell_ = Cell{};
            type_.clear();
            value_.clear();
            hasValue_ = hasFormula_ = hasInline_ = false;
            const char* r = attribute(atts, "r");
            std::uint32_t column = nextColumn_, rowNumber = 0;
            if (r) {
                if (!parseReference(r, column, rowNumber) || rowNumber != row_.number) {
                    malformed("a cell reference");
                }
            }
            if (!row_.cells.empty() && column <= row_.cells.back().column)
                malformed("cells out of order");
            cell_.column = column;
            nextColumn_ = column + 1;
            const char* t = attribute(atts, "t");
            type_ = t ? t : "n";
            inCell_ = true;
        } else if (!inCell_) {
            return;
        } else if (name == "v") {
            inV_ = true;
            hasValue_ = true;
        } else if (name == "f") {
            hasFormula_ = true;
        } else if (name == "is") {
            hasInline_ = true;
        } else if (name == "rPh") {
            ++phonetic_;
        } else if (name == "t" && hasInline_ && phonetic_ == 0) {
            inT_ = true;
        }
    }

    void end(std::string_view name) override {
        if (name == "v") {
            inV_ = false;
        } else if (name == "t") {
            inT_ = false;
        } else if (name == "rPh") {
            if (phonetic_ > 0) --phonetic_;
        } else if (name == "c" && inCell_) {
            inCell_ = false;
            finishCell();
        } else if (name == "row" && inRow_) {
            inRow_ = false;
            if (!onRow_(row_)) parser_->stop();
        }
    }

    void text(const char* s, int len) override {
        if (inV_) {
            appendCapped(value_, s, len, limits_.maxCellBytes);
        } else if (inT_) {
            appendCapped(cell_.text, s, len, limits_.maxCellBytes);
        }
    }

  private:
    [[noreturn]] void malformed(const std::string& what) {
        throw Error(codes::kImportMalformed, "The first sheet has an invalid " + what + " at row " +
                                                 std::to_string(row_.number) + ".");
    }

    void finishCell() {
        if (cell_.column >= limits_.maxColumns) return;
        if (type_ == "inlineStr") {
            cell_.kind = Cell::Kind::Text;
        } else if (!hasValue_) {
            if (!hasFormula_) return;  // an empty, merely formatted cell
            cell_.kind = Cell::Kind::Formula;
            cell_.text.clear();
        } else if (type_ == "s") {
            std::size_t index = 0;
            auto [p, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
            if (ec != std::errc() || p != value_.data() + value_.size() ||
                index >= shared_.size()) {
                malformed("shared-string index");
            }
            cell_.kind = Cell::Kind::Text;
            cell_.text = shared_[index];
        } else if (type_ == "str" || type_ == "d") {
            cell_.kind = Cell::Kind::Text;
            cell_.text = std::move(value_);
        } else if (type_ == "b") {
            cell_.kind = Cell::Kind::Boolean;
            cell_.number = value_ == "1" || value_ == "true" ? 1 : 0;
            cell_.text = cell_.number != 0 ? "TRUE" : "FALSE";
        } else if (type_ == "e") {
            cell_.kind = Cell::Kind::Error;
            cell_.text = std::move(value_);
        } else {
            char* end = nullptr;
            std::string literal = value_;
            double number = std::strtod(literal.c_str(), &end);
            if (literal.empty() || end != literal.c_str() + literal.size()) malformed("number");
            cell_.kind = Cell::Kind::Number;
            cell_.number = number;
            cell_.text = std::move(literal);
        }
        row_.cells.push_back(std::move(cell_));
    }

    const std::vector<std::string>& shared_;
    const XlsxLimits& limits_;
    const std::function<bool(const SheetRow&)>& onRow_;
    SaxParser*& parser_;
    SheetRow row_;
    Cell cell_;
    std::string type_, value_;
    std::uint32_t nextColumn_ = 0;
    bool inRow_ = false, inCell_ = false, inV_ = false, inT_ = false;
    bool hasValue_ = false, hasFormula_ = false, hasInline_ = false;
    int phonetic_ = 0;
};

}  // namespace

XlsxReader::XlsxReader(const ByteSource& source, XlsxLimits limits)
    : zip_(source, limits.zip), limits_(limits) {
    std::string workbook = "xl/workbook.xml";
    if (zip_.has("_rels/.rels")) {
        RelationshipsHandler rels;
        parsePart(zip_, "_rels/.rels", rels);
        if (!rels.officeDocument.empty()) workbook = resolve("", rels.officeDocument);
    }
    if (!zip_.has(workbook)) {
        throw Error(
            codes::kImportNotXlsx,
            "The file is a ZIP package but not an XLSX workbook (it has no workbook part).");
    }
    WorkbookHandler book;
    parsePart(zip_, workbook, book);
    if (!book.haveFirst) {
        throw Error(codes::kImportNotXlsx, "The workbook has no sheet.");
    }
    date1904_ = book.date1904;
    sheetName_ = book.firstName;
    std::string folder = folderOf(workbook);
    std::string relsPath = folder + "_rels/" + workbook.substr(folder.size()) + ".rels";
    if (!zip_.has(relsPath))
        throw Error(codes::kImportNotXlsx, "The workbook's relationships are missing.");
    RelationshipsHandler rels;
    parsePart(zip_, relsPath, rels);
    for (const auto& [id, target] : rels.byId) {
        if (id == book.firstRelId) sheetPath_ = resolve(folder, target);
    }
    // The shared-string table is found by its type; a workbook without strings has none.
    for (const auto& [id, target] : rels.byId) {
        std::string t = resolve(folder, target);
        auto slash = t.rfind('/');
        std::string file = slash == std::string::npos ? t : t.substr(slash + 1);
        for (char& c : file)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (file == "sharedstrings.xml") sharedStringsPath_ = t;
    }
    if (sheetPath_.empty() || !zip_.has(sheetPath_)) {
        throw Error(codes::kImportNotXlsx, "The workbook's first sheet part is missing.");
    }
}

void XlsxReader::loadSharedStrings() {
    if (sharedStringsPath_.empty() || !zip_.has(sharedStringsPath_)) return;
    SharedStringsHandler handler(shared_, limits_);
    parsePart(zip_, sharedStringsPath_, handler);
}

void XlsxReader::readFirstSheet(const std::function<bool(const SheetRow&)>& onRow) {
    loadSharedStrings();
    SaxParser* parser = nullptr;
    SheetHandler handler(shared_, limits_, onRow, parser);
    SaxParser sax(handler, sheetPath_);
    parser = &sax;
    struct Stop {};
    try {
        zip_.read(sheetPath_, [&sax](const char* p, std::size_t n) {
            sax.feed(p, n, false);
            if (sax.stopped()) throw Stop{};
        });
        sax.feed("", 0, true);
    } catch (const Stop&) {
    }
}

}  // namespace dossier::sheets
