#include "dossier/renderers/DocumentTemplate.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "DocxWriter.h"
#include "TemplateBinder.h"
#include "TemplateCache.h"
#include "TemplateJson.h"
#include "TemplateLayout.h"
#include "TemplateSchema.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/renderers/PdfComposer.h"

// DocumentTemplate ties the parts together: TemplateSchema (what data is accepted),
// TemplateBinder (the body bound to data), TemplateLayout (blocks on paper) and TemplateCache
// (templates loaded once per process).
namespace dossier::renderers {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

namespace {

constexpr const char* kFormat = "dossier-template/1";

Var parseData(const std::string& json) { return parseRequestData(json, "data"); }

}  // namespace

struct DocumentTemplate::Impl {
    std::string id, title;
    Object::Ptr root;
    std::unique_ptr<TemplateSchema> schema;
    std::unique_ptr<TemplateLayout> layout;

    TemplateBinder bind(Var data, bool strict) const {
        return TemplateBinder(*schema, root->getArray("body"), std::move(data), strict);
    }
};

DocumentTemplate::DocumentTemplate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DocumentTemplate::~DocumentTemplate() = default;

const std::string& DocumentTemplate::id() const { return impl_->id; }
const std::string& DocumentTemplate::title() const { return impl_->title; }

std::shared_ptr<const DocumentTemplate> DocumentTemplate::load(const std::string& dir,
                                                               const std::string& id) {
    static const std::regex safe("^[a-z0-9][a-z0-9-]{0,63}$");
    if (!std::regex_match(id, safe)) {
        throw Error(codes::kRenderUnknownDocument, "There is no template with this name.", id);
    }
    static TemplateCache cache;
    std::string path = dir + "/" + id + ".json";
    return cache.get(path, [&] {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw Error(codes::kRenderUnknownDocument, "There is no template with this name.", id);
        std::stringstream buf;
        buf << in.rdbuf();
        return parse(buf.str(), dir + "/lists");
    });
}

std::shared_ptr<const DocumentTemplate> DocumentTemplate::parse(const std::string& json,
                                                                const std::string& listDir) {
    auto impl = std::make_unique<Impl>();
    try {
        impl->root = orderedParser().parse(json).extract<Object::Ptr>();
    } catch (const Poco::Exception& e) {
        templateError("", "not a JSON object: " + e.displayText());
    } catch (const std::exception& e) {
        templateError("", std::string("not a JSON object: ") + e.what());
    }
    auto& r = impl->root;
    if (str(r, "format") != kFormat)
        templateError("format", std::string("\"format\" must be \"") + kFormat + "\"");
    impl->id = str(r, "id");
    impl->title = str(r, "title");
    impl->schema = std::make_unique<TemplateSchema>(r, listDir);
    impl->layout = std::make_unique<TemplateLayout>(r);
    // Dry run on empty data: every block, list and field reference is checked now, not when
    // the first applicant renders.
    std::shared_ptr<const DocumentTemplate> t(new DocumentTemplate(std::move(impl)));
    const Impl& loaded = *t->impl_;
    auto blocks = loaded.bind(Var(Object::Ptr(new Object)), true).run();
    try {
        PdfComposer pdf(loaded.layout->page());
        loaded.layout->layOut(pdf, blocks);  // tables that do not fit their columns, and the like
    } catch (const Error& e) {
        if (e.code() == codes::kRenderGlyphMissing) throw;
        templateError(e.detail(), e.message());
    }
    return t;
}

namespace {

/// Removes the value at dotted `path` from `root`; false when there is nothing to remove.
bool removeAt(const Var& root, const std::string& path) {
    auto segs = split(path, '.');
    Var parent = root;
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
        if (auto o = asObject(parent)) {
            if (!o->has(segs[i])) return false;
            parent = o->get(segs[i]);
        } else if (auto a = asArray(parent);
                   a && allDigits(segs[i]) && std::stoul(segs[i]) < a->size()) {
            parent = a->get(static_cast<unsigned>(std::stoul(segs[i])));
        } else {
            return false;
        }
    }
    if (auto o = asObject(parent); o && o->has(segs.back())) {
        o->remove(segs.back());
        return true;
    }
    if (auto a = asArray(parent);
        a && allDigits(segs.back()) && std::stoul(segs.back()) < a->size()) {
        a->remove(static_cast<unsigned>(std::stoul(segs.back())));
        return true;
    }
    return false;
}

}  // namespace

std::string DocumentTemplate::fitting(const std::string& json,
                                      std::vector<std::string>* dropped) const {
    Var data;
    try {
        data = parseData(json);
    } catch (const Error&) {
        return "{}";
    }
    // One removal at a time, then validate again: removing a list entry renumbers the ones
    // after it, and a problem found afterwards names the new numbering.
    for (int pass = 0; pass < 10000; ++pass) {
        auto problems = impl_->schema->problems(data, true);
        if (problems.empty()) break;
        const std::string& path = problems.front().path;
        if (path.empty() || !removeAt(data, path)) return "{}";
        if (dropped) dropped->push_back(path);
    }
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(data, out);
    return out.str();
}

void DocumentTemplate::validate(const std::string& json, bool draft) const {
    impl_->schema->validate(parseData(json), draft);
}

std::string DocumentTemplate::render(const std::string& json, std::int64_t createdMicros,
                                     bool draft, const PageMarks& marks) const {
    Var data = parseData(json);
    impl_->schema->validate(data, draft);
    TemplateBinder binder = impl_->bind(data, false);
    auto blocks = binder.run();
    DocumentInfo info{impl_->title, {}, createdMicros};
    if (impl_->root->has("author_field"))
        info.author = binder.valueAt(str(impl_->root, "author_field"));
    PdfComposer pdf(impl_->layout->page(), info);
    pdf.setMarks(marks);
    impl_->layout->layOut(pdf, blocks);
    return pdf.finish();
}

std::string DocumentTemplate::renderDocx(const std::string& json, bool draft) const {
    Var data = parseData(json);
    impl_->schema->validate(data, draft);
    TemplateBinder binder = impl_->bind(data, false);
    auto blocks = binder.run();
    DocumentInfo info{impl_->title, {}, 0};
    if (impl_->root->has("author_field"))
        info.author = binder.valueAt(str(impl_->root, "author_field"));
    return writeDocx(blocks, impl_->layout->page(), info);
}

std::vector<DocumentTemplate::Item> DocumentTemplate::flatten(const std::string& json,
                                                              bool draft) const {
    Var data = parseData(json);
    impl_->schema->validate(data, draft);
    auto blocks = impl_->bind(data, false).run();
    std::vector<Item> items;
    auto add = [&items](Item::Kind kind, std::string text) {
        Item item{};
        item.kind = kind;
        item.text = std::move(text);
        items.push_back(std::move(item));
        return &items.back();
    };
    for (const auto& b : blocks) {
        switch (b.kind) {
            case TemplateBlock::Kind::Title:
                add(Item::Kind::Title, b.text);
                break;
            case TemplateBlock::Kind::Heading:
                add(Item::Kind::Heading, b.text);
                break;
            case TemplateBlock::Kind::Paragraph:
                add(Item::Kind::Paragraph, b.text);
                break;
            case TemplateBlock::Kind::Note:
                add(Item::Kind::Note, b.text);
                break;
            case TemplateBlock::Kind::Line:
            case TemplateBlock::Kind::Signature:
                for (const auto& l : b.lines) add(Item::Kind::Line, l.label + l.value + l.suffix);
                if (b.sealBox) add(Item::Kind::Line, b.sealLabel);
                break;
            case TemplateBlock::Kind::Spacer:
                break;
            case TemplateBlock::Kind::PageBreak:
                add(Item::Kind::PageBreak, {});
                break;
            case TemplateBlock::Kind::Table: {
                Item* start = add(Item::Kind::TableStart, {});
                start->columns = b.table.columns;
                start->fontSize = b.table.fontSize;
                start->headerRows = b.table.headerRows;
                for (const auto& row : b.table.rows) {
                    add(Item::Kind::Row, {});
                    for (const auto& c : row) {
                        Item* cell = add(Item::Kind::Cell, c.text);
                        cell->colspan = c.colspan;
                        cell->rowspan = c.rowspan;
                        cell->header = c.header;
                    }
                }
                add(Item::Kind::TableEnd, {});
                break;
            }
        }
    }
    return items;
}

}  // namespace dossier::renderers
