#pragma once

#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>

#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace dossier::renderers {

/// One XML part of an Office Open XML package, written with Poco's XMLWriter: names are
/// qualified ("w:p"), their prefixes declared once on the root from `namespaces`
/// (prefix → URI; "" is the default namespace). Text and attribute values are escaped by the
/// writer; characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF) are left out, as the PDF leaves them undrawn, and
/// malformed UTF-8 becomes U+FFFD — a part is always well-formed.
/// Not thread-safe; one per part.
class OoxmlPart {
  public:
    using Attributes = std::initializer_list<std::pair<const char*, std::string>>;

    using Namespaces = std::initializer_list<std::pair<const char*, const char*>>;

    explicit OoxmlPart(Namespaces namespaces);
    OoxmlPart(const OoxmlPart&) = delete;
    OoxmlPart& operator=(const OoxmlPart&) = delete;

    void open(const std::string& qname, Attributes attributes = {});
    void empty(const std::string& qname, Attributes attributes = {});
    void text(const std::string& utf8);
    /// Closes the element opened last.
    void close();
    /// `<qname attributes>text</qname>`.
    void element(const std::string& qname, const std::string& utf8, Attributes attributes = {});
    /// Whether XML 1.0 can carry `cp` (its Char production).
    static bool isXmlChar(char32_t cp);
    /// `utf8` with what XML 1.0 cannot carry left out (see above).
    static std::string xmlSafe(const std::string& utf8);
    /// Closes what is still open and returns the part's bytes (UTF-8, with the XML declaration).
    std::string finish();

  private:
    std::string uriOf(const std::string& qname) const;
    static std::string localOf(const std::string& qname);
    Poco::XML::AttributesImpl attributesOf(Attributes attributes) const;

    std::ostringstream out_;
    Poco::XML::XMLWriter writer_;
    std::vector<std::pair<std::string, std::string>> namespaces_;
    std::vector<std::string> open_;
};

}  // namespace dossier::renderers
