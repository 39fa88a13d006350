#pragma once

#include <functional>
#include <string>
#include <vector>

namespace dossier::app {

/// The one command-line parser every `dossier` command uses: `--name VALUE`, `--name=VALUE`,
/// flags, short aliases (`-o`), `--help`/`-h`, and up to a fixed number of positional
/// arguments. Anything else is refused with Error(codes::kCliUsage), which runCli turns into
/// a message on stderr and exit code 2. Not thread-safe; one per command invocation.
class ArgParser {
  public:
    /// An option that takes a value; `alias` is an optional short form such as "-o".
    ArgParser& option(std::string name, std::string* out, std::string alias = {});
    /// Same, with the value handed to `apply` (which may throw a cli.usage Error).
    ArgParser& option(std::string name, std::function<void(const std::string&)> apply,
                      std::string alias = {});
    /// An option without a value.
    ArgParser& flag(std::string name, bool* out);
    /// The next positional argument; `what` names it in messages ("FILE").
    ArgParser& positional(std::string what, std::string* out);

    /// Parses args[from..]. Returns false when --help or -h was given (the caller prints
    /// its usage and exits 0); throws Error(codes::kCliUsage) for an unknown option, an
    /// option without its value or a positional argument too many. `context` ends the
    /// unknown-option message (" for certificate").
    bool parse(const std::vector<std::string>& args, std::size_t from,
               const std::string& context = {});

  private:
    struct Option {
        std::string name;
        std::string alias;
        bool takesValue = true;
        std::function<void(const std::string&)> apply;
    };
    struct Positional {
        std::string what;
        std::string* out;
    };
    const Option* find(const std::string& name) const;

    std::vector<Option> options_;
    std::vector<Positional> positionals_;
};

/// A whole number in [min, max] for `option`, or Error(codes::kCliUsage).
int parseNumber(const std::string& option, const std::string& text, int min, int max);

}  // namespace dossier::app
