#include "OoxmlPart.h"

#include <Poco/SAX/AttributesImpl.h>

#include "dossier/core/Utf8.h"

namespace dossier::renderers {

namespace {

constexpr const char* kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

}  // namespace

OoxmlPart::OoxmlPart(Namespaces namespaces)
    : writer_(out_, Poco::XML::XMLWriter::WRITE_XML_DECLARATION),
      namespaces_(namespaces.begin(), namespaces.end()) {
    writer_.setNewLine(Poco::XML::XMLWriter::NEWLINE_LF);
    writer_.startDocument();
    for (const auto& [prefix, uri] : namespaces_) writer_.startPrefixMapping(prefix, uri);
}

std::string OoxmlPart::uriOf(const std::string& qname) const {
    auto colon = qname.find(':');
    std::string prefix = colon == std::string::npos ? std::string() : qname.substr(0, colon);
    if (prefix == "xml") return kXmlNamespace;
    for (const auto& [p, uri] : namespaces_) {
        if (p == prefix) return uri;
    }
    return {};
}

std::string OoxmlPart::localOf(const std::string& qname) {
    auto colon = qname.find(':');
    return colon == std::string::npos ? qname : qname.substr(colon + 1);
}

Poco::XML::AttributesImpl OoxmlPart::attributesOf(Attributes attributes) const {
    Poco::XML::AttributesImpl a;
    for (const auto& [qname, value] : attributes) {
        std::string name = qname;
        auto colon = name.find(':');
        // Unprefixed attributes are in no namespace, whatever the default namespace is.
        std::string uri = colon == std::string::npos ? std::string() : uriOf(name);
        std::string local = colon == std::string::npos ? name : name.substr(colon + 1);
        a.addAttribute(uri, local, name, "CDATA", xmlSafe(value));
    }
    return a;
}

void OoxmlPart::open(const std::string& qname, Attributes attributes) {
    writer_.startElement(uriOf(qname), localOf(qname), qname, attributesOf(attributes));
    open_.push_back(qname);
}

void OoxmlPart::empty(const std::string& qname, Attributes attributes) {
    writer_.emptyElement(uriOf(qname), localOf(qname), qname, attributesOf(attributes));
}

void OoxmlPart::text(const std::string& utf8) { writer_.characters(xmlSafe(utf8)); }

bool OoxmlPart::isXmlChar(char32_t cp) {
    // XML 1.0 Char: tab, line feed, carriage return, then U+0020 up, less the surrogates
    // (utf8::decode never yields them) and U+FFFE/U+FFFF.
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
}

std::string OoxmlPart::xmlSafe(const std::string& utf8) {
    bool clean = utf8::isValid(utf8);
    for (std::size_t i = 0; clean && i < utf8.size(); ++i) {
        auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) clean = false;
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
        if (c == 0xEF && utf8.compare(i, 2, "\xEF\xBF") == 0 && i + 2 < utf8.size() &&
            static_cast<unsigned char>(utf8[i + 2]) >= 0xBE)
            clean = false;
    }
    if (clean) return utf8;
    std::string r;
    r.reserve(utf8.size());
    for (char32_t cp : utf8::decode(utf8)) {
        if (isXmlChar(cp)) utf8::append(r, cp);
    }
    return r;
}

void OoxmlPart::close() {
    const std::string qname = open_.back();
    open_.pop_back();
    writer_.endElement(uriOf(qname), localOf(qname), qname);
}

void OoxmlPart::element(const std::string& qname, const std::string& utf8, Attributes attributes) {
    open(qname, attributes);
    text(utf8);
    close();
}

std::string OoxmlPart::finish() {
    while (!open_.empty()) close();
    for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it)
        writer_.endPrefixMapping(it->first);
    writer_.endDocument();
    return out_.str();
}

}  // namespace dossier::renderers
