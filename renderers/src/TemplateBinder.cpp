#include "TemplateBinder.h"

#include <algorithm>
#include <sstream>

#include "TemplateJson.h"

namespace dossier::renderers {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

constexpr const char* kBlankDate = "        年      月      日";

}  // namespace

TemplateBinder::TemplateBinder(const TemplateSchema& schema, Array::Ptr body, Var data, bool strict)
    : schema_(schema), body_(std::move(body)), data_(std::move(data)), strict_(strict) {}

std::vector<TemplateBlock> TemplateBinder::run() {
    Context ctx;
    // {year1} … {yearN} and {last_year} for static text.
    const auto& years = schema_.years();
    for (std::size_t i = 0; i < years.size(); ++i)
        ctx.params["year" + std::to_string(i + 1)] = std::to_string(years[i]);
    if (!years.empty()) ctx.params["last_year"] = std::to_string(years.back());
    blocks(body_, ctx, "body");
    return std::move(out_);
}

std::string TemplateBinder::valueAt(const std::string& path) const {
    return value(path, Context{});
}

std::string TemplateBinder::subst(const std::string& s, const Context& ctx) const {
    std::string r;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') {
            std::size_t end = s.find("}}", i + 2);
            if (end == std::string::npos) templateError(s, "unclosed {{");
            std::string v = value(subst(s.substr(i + 2, end - i - 2), ctx), ctx);
            r += v.empty() ? "__________" : v;
            i = end + 2;
        } else if (s[i] == '{') {
            std::size_t end = s.find('}', i + 1);
            if (end == std::string::npos) templateError(s, "unclosed {");
            std::string name = s.substr(i + 1, end - i - 1);
            auto it = ctx.params.find(name);
            if (it == ctx.params.end()) templateError(s, "no parameter {" + name + "} here");
            r += it->second;
            i = end + 1;
        } else {
            r += s[i++];
        }
    }
    return r;
}

/// The data at `path` ("a.b.0", "@", "@.name") and its schema.
std::pair<Var, const TemplateField*> TemplateBinder::lookup(const std::string& path,
                                                            const Context& ctx) const {
    Var v;
    const TemplateField* f;
    std::vector<std::string> segs;
    if (path == "@" || path.rfind("@.", 0) == 0) {
        v = ctx.item;
        f = ctx.itemSchema;
        if (path.size() > 2) segs = split(path.substr(2), '.');
    } else {
        v = data_;
        f = &schema_.root();
        segs = split(path, '.');
    }
    f = schema_.fieldAt(f, segs);
    if (!f && strict_)
        templateError(path, "the field \"" + path + "\" is not declared in \"fields\"");
    for (const auto& s : segs) {
        if (auto o = asObject(v)) {
            v = o->has(s) ? o->get(s) : Var();
        } else if (auto a = asArray(v); a && allDigits(s) && std::stoul(s) < a->size()) {
            v = a->get(static_cast<unsigned>(std::stoul(s)));
        } else {
            v = Var();
        }
    }
    return {v, f};
}

/// A value as printed: choices by their label, dates the Chinese way, numbers shortest.
std::string TemplateBinder::value(const std::string& path, const Context& ctx) const {
    auto [v, f] = lookup(path, ctx);
    if (isBlank(v)) return {};
    if (auto a = asArray(v)) {
        std::string r;
        for (std::size_t i = 0; i < a->size(); ++i) {
            Var item = a->get(static_cast<unsigned>(i));
            if (!r.empty()) r += "、";
            std::string s = item.isString() ? item.convert<std::string>() : item.toString();
            const ReferenceList::Item* hit = f && f->list ? f->list->find(s) : nullptr;
            r += hit ? hit->label : s;
        }
        return r;
    }
    if (v.isBoolean()) return v.convert<bool>() ? "是" : "否";
    if (v.isNumeric() && !v.isString())
        return f && f->format == "bytes" ? formatBytes(v) : formatNumber(v);
    if (!v.isString()) return {};
    std::string s = trim(v.convert<std::string>());
    if (f && f->list) {
        if (const auto* hit = f->list->find(s)) return hit->label;
    }
    if (f && f->type == FieldType::Date) {
        if (auto d = chineseDate(s)) return *d;
    }
    return s;
}

std::string TemplateBinder::checkboxes(const Object::Ptr& spec, const Context& ctx) const {
    std::string path = subst(str(spec, "field"), ctx);
    auto [v, f] = lookup(path, ctx);
    const ReferenceList* list = f ? f->list : nullptr;
    if (spec->has("list")) list = schema_.list(str(spec, "list"));
    if (!list) templateError(path, "checkboxes need a list");
    std::vector<std::string> chosen;
    if (auto a = asArray(v)) {
        for (std::size_t i = 0; i < a->size(); ++i)
            chosen.push_back(a->get(static_cast<unsigned>(i)).toString());
    } else if (v.isString()) {
        chosen.push_back(trim(v.convert<std::string>()));
    }
    std::string r;
    for (const auto& item : list->items) {
        if (!r.empty()) r += "  ";
        bool on = std::find(chosen.begin(), chosen.end(), item.value) != chosen.end();
        r += (on ? "☑" : "☐") + item.label;
    }
    return r;
}

std::string TemplateBinder::content(const Object::Ptr& o, const Context& ctx) const {
    std::string r;
    if (auto parts = o->getArray("parts")) {
        for (std::size_t i = 0; i < parts->size(); ++i)
            r += content(parts->getObject(static_cast<unsigned>(i)), ctx);
        return r;
    }
    if (o->has("text")) r += subst(str(o, "text"), ctx);
    if (o->has("checkboxes")) r += checkboxes(o->getObject("checkboxes"), ctx);
    if (o->has("field")) {
        std::string path = subst(str(o, "field"), ctx);
        std::string v = value(path, ctx);
        if (v.empty()) {
            auto [data, f] = lookup(path, ctx);
            if (f && f->type == FieldType::Date) v = kBlankDate;  // to fill in by hand
        }
        r += v;
    }
    return r;
}

TextStyle TemplateBinder::style(const Object::Ptr& o, TextStyle s) const {
    std::string face = str(o, "face");
    if (face == "hei") s.face = Face::Hei;
    if (face == "song") s.face = Face::Song;
    s.size = num(o, "size", s.size);
    s.lineHeight = num(o, "line_height", s.lineHeight);
    s.firstLineIndentEm = num(o, "indent", s.firstLineIndentEm);
    std::string align = str(o, "align");
    if (align == "center") s.align = TextStyle::Align::Center;
    if (align == "left") s.align = TextStyle::Align::Left;
    return s;
}

FillInLine TemplateBinder::line(const Object::Ptr& o, const Context& ctx, double size) const {
    FillInLine l;
    l.label = subst(str(o, "label"), ctx);
    l.suffix = subst(str(o, "suffix"), ctx);
    l.size = num(o, "size", size);
    l.indent = num(o, "indent", 0);
    l.width = num(o, "width", 0);
    l.center = str(o, "align") == "center";
    l.underline = !o->has("underline") || flag(o, "underline");
    if (o->has("field")) {
        std::string path = subst(str(o, "field"), ctx);
        l.value = value(path, ctx);
        auto [v, f] = lookup(path, ctx);
        if (f && f->type == FieldType::Date && l.value.empty()) {
            l.value = kBlankDate;
            l.underline = false;
        } else if (f && f->type == FieldType::Date) {
            l.underline = false;
        }
    } else if (o->has("text")) {
        l.value = subst(str(o, "text"), ctx);
    }
    return l;
}

void TemplateBinder::rows(const Object::Ptr& row, const Context& ctx, Table& table,
                          const std::string& where) {
    // A row, or with "each_item" a group of rows per item ("rows": [[cells], …]), e.g. a
    // file's facts and, beneath them, its digest across the row.
    auto emitRow = [&](const Context& c, bool first, const Array::Ptr& cells) {
        if (!cells) templateError(where, "a row needs \"cells\"");
        std::vector<TableCell> out;
        for (std::size_t i = 0; i < cells->size(); ++i) {
            auto cell = cells->getObject(static_cast<unsigned>(i));
            if (!cell) templateError(where, "a cell is an object");
            if (flag(cell, "first_only") && !first) continue;
            TableCell tc;
            tc.text = content(cell, c);
            tc.colspan = static_cast<int>(num(cell, "colspan", 1));
            tc.rowspan = static_cast<int>(num(cell, "rowspan", 1));
            tc.header = flag(cell, "header");
            tc.minHeight = num(cell, "min_height", 0);
            tc.top = str(cell, "valign") == "top";
            std::string align = str(cell, "align");
            if (align == "left") tc.align = TableCell::Align::Left;
            if (align == "center") tc.align = TableCell::Align::Center;
            if (align == "right") tc.align = TableCell::Align::Right;
            out.push_back(std::move(tc));
        }
        table.rows.push_back(std::move(out));
    };
    auto emitCells = [&](const Context& c, bool first) {
        auto group = row->getArray("rows");
        if (!group || !row->has("each_item")) return emitRow(c, first, row->getArray("cells"));
        if (row->has("cells")) templateError(where, "a row has \"cells\" or \"rows\", not both");
        for (std::size_t i = 0; i < group->size(); ++i) {
            auto cells = group->getArray(static_cast<unsigned>(i));
            if (!cells) templateError(where, "\"rows\" is a list of rows, each a list of cells");
            emitRow(c, first, cells);
        }
    };
    if (row->has("each")) {
        Var each = row->get("each");
        Array::Ptr params;
        if (each.isString()) {
            std::string name = each.convert<std::string>();
            if (name == "years") {
                params = new Array;
                for (int y : schema_.years()) {
                    Object::Ptr p = new Object;
                    p->set("year", std::to_string(y));
                    params->add(p);
                }
            } else if (auto constant = schema_.constant(name)) {
                params = constant;
            } else {
                templateError(where, "\"each\": no constant \"" + name + "\"");
            }
        } else {
            params = asArray(each);
        }
        if (!params) templateError(where, "\"each\" is \"years\", a constant or a list of objects");
        for (std::size_t i = 0; i < params->size(); ++i) {
            Context c = ctx;
            auto p = params->getObject(static_cast<unsigned>(i));
            std::vector<std::string> names;
            if (p) p->getNames(names);
            for (const auto& n : names) c.params[n] = p->get(n).toString();
            c.params["#"] = std::to_string(i + 1);
            emitCells(c, i == 0);
        }
    } else if (row->has("each_item")) {
        std::string path = subst(str(row, "each_item"), ctx);
        auto [v, f] = lookup(path, ctx);
        if (f && f->type != FieldType::Array)
            templateError(where, "\"each_item\" needs a list field");
        auto a = asArray(v);
        std::size_t n = a ? a->size() : 0;
        std::size_t minRows = static_cast<std::size_t>(num(row, "min_rows", 0));
        if (strict_) minRows = std::max<std::size_t>(minRows, 1);  // check the cells' fields too
        for (std::size_t i = 0; i < std::max(n, minRows); ++i) {
            Context c = ctx;
            c.item = i < n ? a->get(static_cast<unsigned>(i)) : Var();
            c.itemSchema = f ? f->items.get() : nullptr;
            c.params["#"] =
                std::to_string(i + static_cast<std::size_t>(num(row, "number_from", 1)));
            emitCells(c, i == 0);
        }
    } else {
        emitCells(ctx, true);
    }
}

void TemplateBinder::blocks(const Array::Ptr& body, const Context& ctx, const std::string& where) {
    if (!body) templateError(where, "a body is a list of blocks");
    for (std::size_t i = 0; i < body->size(); ++i) {
        auto o = body->getObject(static_cast<unsigned>(i));
        std::string at = where + "[" + std::to_string(i) + "]";
        if (!o) templateError(at, "a block is an object");
        block(o, ctx, at);
    }
}

void TemplateBinder::block(const Object::Ptr& o, const Context& ctx, const std::string& at) {
    std::string type = str(o, "type");
    TemplateBlock b{};
    if (type == "title") {
        b.kind = TemplateBlock::Kind::Title;
        b.text = content(o, ctx);
        b.style = style(o, {Face::Hei, 18, 1.6, TextStyle::Align::Center, 0});  // 小二号
        b.spaceAfter = num(o, "space_after", 12);
    } else if (type == "heading") {
        b.kind = TemplateBlock::Kind::Heading;
        b.text = content(o, ctx);
        b.style = style(o, {Face::Hei, 16, 1.6, TextStyle::Align::Center, 0});  // 三号
        b.spaceAfter = num(o, "space_after", 6);
    } else if (type == "paragraph") {
        b.kind = TemplateBlock::Kind::Paragraph;
        b.text = content(o, ctx);
        b.style = style(o, {Face::Song, 14, 1.6, TextStyle::Align::Left, 0});  // 四号
        b.spaceAfter = num(o, "space_after", 0);
        if (flag(o, "split_lines")) {  // each line of the text its own paragraph (indented)
            std::istringstream lines(b.text);
            std::string line;
            bool any = false;
            while (std::getline(lines, line)) {
                if (trim(line).empty()) continue;
                TemplateBlock p = b;
                p.text = trim(line);
                out_.push_back(std::move(p));
                any = true;
            }
            if (!any) out_.push_back(b);
            return;
        }
    } else if (type == "note") {
        b.kind = TemplateBlock::Kind::Note;
        b.text = content(o, ctx);
        b.style = style(o, {Face::Song, 10.5, 1.5, TextStyle::Align::Left, 0});  // 五号
        b.spaceAfter = num(o, "space_after", 8);
    } else if (type == "line") {
        b.kind = TemplateBlock::Kind::Line;
        b.lines.push_back(line(o, ctx, 14));
    } else if (type == "signature") {
        b.kind = TemplateBlock::Kind::Signature;
        auto lines = o->getArray("lines");
        if (!lines) templateError(at, "a signature needs \"lines\"");
        for (std::size_t i = 0; i < lines->size(); ++i) {
            auto l = line(lines->getObject(static_cast<unsigned>(i)), ctx, 14);
            if (!lines->getObject(static_cast<unsigned>(i))->has("indent"))
                l.indent = -1;  // laid out by the block
            b.lines.push_back(l);
        }
        b.indent = num(o, "indent", -1);
        b.sealBox = o->has("seal_box");
        b.sealLabel = b.sealBox ? subst(str(o->getObject("seal_box"), "label", "盖章处"), ctx) : "";
    } else if (type == "spacer") {
        b.kind = TemplateBlock::Kind::Spacer;
        b.height = num(o, "height", 12);
    } else if (type == "page_break") {
        b.kind = TemplateBlock::Kind::PageBreak;
    } else if (type == "table") {
        if (o->has("title")) {
            TemplateBlock title{};
            title.kind = TemplateBlock::Kind::Heading;
            title.text = subst(str(o, "title"), ctx);
            title.style = {Face::Hei, 16, 1.6, TextStyle::Align::Center, 0};
            title.spaceAfter = 6;
            out_.push_back(title);
        }
        b.kind = TemplateBlock::Kind::Table;
        auto cols = o->getArray("columns");
        if (!cols || cols->size() == 0) templateError(at, "a table needs \"columns\"");
        for (std::size_t i = 0; i < cols->size(); ++i)
            b.table.columns.push_back(cols->getElement<double>(static_cast<unsigned>(i)));
        b.table.headerRows = static_cast<int>(num(o, "header_rows", 0));
        b.table.fontSize = num(o, "font_size", 12);
        auto rowsSpec = o->getArray("rows");
        if (!rowsSpec) templateError(at, "a table needs \"rows\"");
        for (std::size_t i = 0; i < rowsSpec->size(); ++i) {
            Var r = rowsSpec->get(static_cast<unsigned>(i));
            std::string rat = at + ".rows[" + std::to_string(i) + "]";
            if (auto cells = asArray(r)) {
                Object::Ptr wrapped = new Object;
                wrapped->set("cells", cells);
                rows(wrapped, ctx, b.table, rat);
            } else if (auto row = asObject(r)) {
                rows(row, ctx, b.table, rat);
            } else {
                templateError(rat, "a row is a list of cells or an object");
            }
        }
        out_.push_back(std::move(b));
        if (o->has("note")) {
            TemplateBlock note{};
            note.kind = TemplateBlock::Kind::Note;
            note.text = subst(str(o, "note"), ctx);
            note.style = {Face::Song, 10.5, 1.5, TextStyle::Align::Left, 0};
            note.spaceAfter = 8;
            out_.push_back(note);
        }
        return;
    } else if (type == "repeat") {
        std::string path = subst(str(o, "over"), ctx);
        auto [v, f] = lookup(path, ctx);
        if (f && f->type != FieldType::Array) templateError(at, "\"over\" needs a list field");
        auto a = asArray(v);
        std::size_t n = a ? a->size() : 0;
        std::size_t minimum = static_cast<std::size_t>(num(o, "min", strict_ ? 1 : 0));
        if (strict_) minimum = std::max<std::size_t>(minimum, 1);
        std::size_t count = std::max(n, minimum);
        for (std::size_t i = 0; i < count; ++i) {
            if (i > 0 && flag(o, "page_break_between")) {
                TemplateBlock pageBreak{};
                pageBreak.kind = TemplateBlock::Kind::PageBreak;
                out_.push_back(pageBreak);
            }
            Context c = ctx;
            c.item = i < n ? a->get(static_cast<unsigned>(i)) : Var();
            c.itemSchema = f ? f->items.get() : nullptr;
            c.params["#"] = std::to_string(i + 1);
            blocks(o->getArray("body"), c, at + ".body");
        }
        return;
    } else {
        templateError(at, "unknown block type \"" + type + "\"");
    }
    out_.push_back(std::move(b));
}

}  // namespace dossier::renderers
