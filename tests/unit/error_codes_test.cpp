// The registry of codes (dossier/core/ErrorCodes.h): every row complete and sane, and the
// places that used to decide by a code's text prefix decide by its category.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ValidationError.h"

using namespace dossier;

TEST(ErrorCodes, EveryRowIsCompleteAndUnique) {
    auto all = ErrorCode::all();
    ASSERT_GT(all.size(), 50u);
    std::set<std::string_view> texts;
    const std::regex shape("[a-z]+(_[a-z]+)*(\\.[a-z]+(_[a-z]+)*)?");
    for (ErrorCode code : all) {
        std::string text(code.text());
        EXPECT_TRUE(texts.insert(code.text()).second) << "duplicate code " << text;
        EXPECT_TRUE(std::regex_match(text, shape)) << text;
        EXPECT_GE(code.meaning().size(), 10u) << text << " needs a one-line meaning";
        EXPECT_EQ(code.meaning().find('\n'), std::string_view::npos) << text;
        EXPECT_FALSE(nameOf(code.category()).empty()) << text;
        // The text names the code; parse() finds every row and nothing else.
        ASSERT_TRUE(ErrorCode::parse(text).has_value()) << text;
        EXPECT_EQ(*ErrorCode::parse(text), code);
    }
    EXPECT_FALSE(ErrorCode::parse("usage").has_value());
    EXPECT_FALSE(ErrorCode::parse("license.code_mismatchx").has_value());
    EXPECT_FALSE(ErrorCode::parse("").has_value());
}

TEST(ErrorCodes, StatusesAgreeWithCategories) {
    for (ErrorCode code : ErrorCode::all()) {
        int status = code.httpStatus();
        std::string text(code.text());
        switch (code.category()) {
            case ErrorCategory::Server:
                EXPECT_TRUE(status >= 500 && status <= 599) << text << " " << status;
                break;
            case ErrorCategory::Check:
                // Outcomes travel in a 200 body; they are not failures of the request.
                EXPECT_EQ(status, 200) << text;
                break;
            case ErrorCategory::Field:
            case ErrorCategory::Validation:
                EXPECT_EQ(status, 422) << text;
                break;
            case ErrorCategory::NotFound:
                EXPECT_EQ(status, 404) << text;
                break;
            case ErrorCategory::Conflict:
                EXPECT_EQ(status, 409) << text;
                break;
            case ErrorCategory::Auth:
                EXPECT_TRUE(status == 401 || status == 403 || status == 429) << text;
                break;
            case ErrorCategory::Cli:
                EXPECT_TRUE(status == 400 || status == 500) << text;
                break;
            case ErrorCategory::Request:
                // 505 is the one 5xx status that names the request's fault (its HTTP version).
                EXPECT_TRUE((status >= 400 && status <= 499) || status == 505)
                    << text << " " << status;
                break;
            case ErrorCategory::Content:
                // A client's mistake is never reported as the server's.
                EXPECT_TRUE(status >= 400 && status <= 499) << text << " " << status;
                break;
        }
    }
}

TEST(ErrorCodes, CheckOutcomesNameTheirStatus) {
    // One code, one outcome: a code never stands for both a pass and a warn.
    int checks = 0;
    for (ErrorCode code : ErrorCode::all()) {
        if (code.category() != ErrorCategory::Check) continue;
        ++checks;
        std::string_view m = code.meaning();
        EXPECT_TRUE(m.starts_with("pass: ") || m.starts_with("warn: ") || m.starts_with("fail: "))
            << code.text() << ": " << m;
    }
    EXPECT_GE(checks, 14);
    EXPECT_TRUE(codes::kLicenseMatch.meaning().starts_with("pass: "));
    EXPECT_TRUE(codes::kLicenseNameUncertain.meaning().starts_with("warn: "));
}

TEST(ErrorCodes, ErrorCarriesTheRegisteredCode) {
    Error e(codes::kUploadTooLarge, "Too big.", "size=9");
    EXPECT_EQ(e.code(), codes::kUploadTooLarge);
    EXPECT_EQ(e.code(), "upload.too_large");
    EXPECT_EQ(e.code().httpStatus(), 413);
    EXPECT_EQ(e.code().category(), ErrorCategory::Content);
    EXPECT_STREQ(e.what(), "upload.too_large: Too big.");
    EXPECT_EQ("code=" + e.code(), "code=upload.too_large");

    ValidationError v({{"name", codes::kFieldRequired, "A name is required."}});
    EXPECT_EQ(v.code(), codes::kValidationFailed);
    EXPECT_EQ(v.problems()[0].code.category(), ErrorCategory::Field);
}

TEST(ErrorCodes, CategoriesReplaceTextPrefixes) {
    // Codes whose text starts like a file problem but are not, and file problems whose text
    // does not: the category decides (a check stores Content codes as its outcome).
    EXPECT_EQ(codes::kImageTooLarge.text(), "upload.image_too_large");
    EXPECT_EQ(codes::kImageTooLarge.category(), ErrorCategory::Content);
    EXPECT_EQ(codes::kUploadFileMissing.category(), ErrorCategory::Request);
    EXPECT_EQ(codes::kUploadKindUnknown.category(), ErrorCategory::Request);
    EXPECT_EQ(codes::kPdfCorrupt.category(), ErrorCategory::Content);
    EXPECT_EQ(codes::kAccountPhoneTaken.category(), ErrorCategory::Conflict);
}
