// The one command-line parser of the `dossier` commands.
#include <gtest/gtest.h>

#include "dossier/app/ArgParser.h"
#include "dossier/core/Error.h"

using namespace dossier;
using namespace dossier::app;

namespace {

std::vector<std::string> argv(std::initializer_list<const char*> rest) {
    std::vector<std::string> out{"dossier", "cmd"};
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

/// The code and message a parse refuses with; "" when it is accepted.
std::string refusal(ArgParser& parser, const std::vector<std::string>& args) {
    try {
        parser.parse(args, 2);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kCliUsage);
        EXPECT_EQ(e.code().category(), ErrorCategory::Cli);
        return e.message();
    }
    return "";
}

}  // namespace

TEST(ArgParser, OptionsFlagsAndPositionals) {
    std::string file, out, text;
    bool json = false;
    ArgParser p;
    p.positional("FILE", &file)
        .option("--output", &out, "-o")
        .option("--text", &text)
        .flag("--json", &json);
    EXPECT_TRUE(p.parse(argv({"in.jpg", "-o", "out.jpg", "--text=仅用于 备案", "--json"}), 2));
    EXPECT_EQ(file, "in.jpg");
    EXPECT_EQ(out, "out.jpg");
    EXPECT_EQ(text, "仅用于 备案");  // --name=value for every option, not only --config
    EXPECT_TRUE(json);
    // A value may itself start with a dash or contain '='.
    EXPECT_TRUE(p.parse(argv({"--text", "-x=y", "--output=a=b.jpg"}), 2));
    EXPECT_EQ(text, "-x=y");
    EXPECT_EQ(out, "a=b.jpg");
}

TEST(ArgParser, HelpStopsParsing) {
    std::string out;
    ArgParser p;
    p.option("--output", &out);
    EXPECT_FALSE(p.parse(argv({"--help", "--bogus"}), 2));
    EXPECT_FALSE(p.parse(argv({"-h"}), 2));
}

TEST(ArgParser, UsageErrorsAreCliUsage) {
    std::string file, out;
    bool json = false;
    ArgParser p;
    p.positional("input file", &file).option("--output", &out, "-o").flag("--json", &json);
    EXPECT_EQ(refusal(p, argv({"--bogus"})), "Unknown option '--bogus'.");
    EXPECT_EQ(refusal(p, argv({"a.jpg", "-o"})), "Option -o needs a value.");
    EXPECT_EQ(refusal(p, argv({"a.jpg", "b.jpg"})), "Only one input file.");
    EXPECT_EQ(refusal(p, argv({"--json=yes"})), "--json takes no value.");
    EXPECT_EQ(refusal(p, argv({"a.jpg", "-o", "x.jpg"})), "");
    ArgParser none;
    EXPECT_EQ(refusal(none, argv({"extra"})), "Unexpected argument 'extra'.");
    // The context names what the option was refused for.
    try {
        none.parse(argv({"--seal", "x.png"}), 2, " for label");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.message(), "Unknown option '--seal' for label.");
    }
}

TEST(ArgParser, Numbers) {
    EXPECT_EQ(parseNumber("--dpi", "300", 72, 1200), 300);
    for (const char* bad : {"", "30x", "-1", "71", "1201", "99999999999999999999"}) {
        try {
            parseNumber("--dpi", bad, 72, 1200);
            FAIL() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), codes::kCliUsage);
            EXPECT_EQ(e.message(), "--dpi takes a whole number from 72 to 1200.");
        }
    }
}
