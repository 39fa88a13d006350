#include "dossier/app/ArgParser.h"

#include <charconv>

#include "dossier/core/Error.h"

namespace dossier::app {

ArgParser& ArgParser::option(std::string name, std::string* out, std::string alias) {
    return option(
        std::move(name), [out](const std::string& v) { *out = v; }, std::move(alias));
}

ArgParser& ArgParser::option(std::string name, std::function<void(const std::string&)> apply,
                             std::string alias) {
    options_.push_back({std::move(name), std::move(alias), true, std::move(apply)});
    return *this;
}

ArgParser& ArgParser::flag(std::string name, bool* out) {
    options_.push_back({std::move(name), {}, false, [out](const std::string&) { *out = true; }});
    return *this;
}

ArgParser& ArgParser::positional(std::string what, std::string* out) {
    positionals_.push_back({std::move(what), out});
    return *this;
}

const ArgParser::Option* ArgParser::find(const std::string& name) const {
    for (const auto& o : options_) {
        if (o.name == name || (!o.alias.empty() && o.alias == name)) return &o;
    }
    return nullptr;
}

bool ArgParser::parse(const std::vector<std::string>& args, std::size_t from,
                      const std::string& context) {
    std::size_t nextPositional = 0;
    for (std::size_t i = from; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") return false;
        if (a.size() > 1 && a[0] == '-') {
            std::string name = a;
            std::string value;
            bool inlineValue = false;
            if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
                name = a.substr(0, eq);
                value = a.substr(eq + 1);
                inlineValue = true;
            }
            const Option* o = find(name);
            if (!o) throw Error(codes::kCliUsage, "Unknown option '" + a + "'" + context + ".");
            if (!o->takesValue) {
                if (inlineValue) throw Error(codes::kCliUsage, name + " takes no value.");
                o->apply({});
                continue;
            }
            if (!inlineValue) {
                if (i + 1 >= args.size()) {
                    throw Error(codes::kCliUsage, "Option " + name + " needs a value.");
                }
                value = args[++i];
            }
            o->apply(value);
            continue;
        }
        if (nextPositional >= positionals_.size()) {
            throw Error(codes::kCliUsage, positionals_.empty()
                                              ? "Unexpected argument '" + a + "'."
                                              : "Only one " + positionals_.back().what + ".");
        }
        *positionals_[nextPositional++].out = a;
    }
    return true;
}

int parseNumber(const std::string& option, const std::string& text, int min, int max) {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
        throw Error(codes::kCliUsage, option + " takes a whole number from " + std::to_string(min) +
                                          " to " + std::to_string(max) + ".");
    }
    return v;
}

}  // namespace dossier::app
