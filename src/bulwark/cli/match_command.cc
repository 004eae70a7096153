// `bulwark match`: check files or hashes against the enabled banks.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "bulwark/cli/commands.h"
#include "bulwark/cli/data_dir.h"
#include "bulwark/cli/file_hashing.h"
#include "bulwark/cli/path_list.h"
#include "bulwark/core/text_escape.h"
#include "bulwark/hash/pdq_dct.h"
#include "bulwark/index/hash_query.h"
#include "bulwark/index/matcher.h"

namespace bulwark::cli {
namespace {

struct MatchArgs {
  DataDirArgs data;
  std::vector<std::string> banks;
  int threshold = -1;  // -1: each bank's own
  std::string format = "text";
  std::vector<std::string> paths;
  std::vector<std::string> hashes;
  std::string hashes_file;
  FileHashingArgs hashing;
};

// One thing to look up: a file's hashes, or given hashes.
struct Input {
  std::string name;  // path, or the typed hash
  index::HashQuery query;
  std::optional<int> pdq_quality;
  std::optional<Error> error;
};

class MatchWriter {
 public:
  MatchWriter(std::ostream& out, const std::string& format)
      : out_(out), format_(format) {
    if (format_ == "csv") {
      out_ << "input,bank,entry_id,type,value,distance,variant,label,"
              "source_id\n";
    }
  }

  void Write(const Input& in, const std::vector<index::Match>& matches) {
    if (format_ == "csv") {
      for (const index::Match& m : matches) {
        out_ << CsvField(in.name) << ',' << CsvField(m.bank_name) << ','
             << m.entry_id << ',' << hash::SignalTypeName(m.type) << ','
             << m.value << ',' << m.distance << ',' << VariantName(m) << ','
             << CsvField(m.label) << ',' << CsvField(m.source_id) << '\n';
      }
    } else if (format_ == "jsonl") {
      out_ << "{\"input\":" << JsonQuote(in.name)
           << ",\"matched\":" << (matches.empty() ? "false" : "true");
      if (in.pdq_quality) out_ << ",\"pdq_quality\":" << *in.pdq_quality;
      if (in.error) out_ << ",\"error\":" << JsonQuote(in.error->ToString());
      out_ << ",\"matches\":[";
      for (size_t i = 0; i < matches.size(); ++i) {
        const index::Match& m = matches[i];
        out_ << (i ? "," : "") << "{\"bank\":" << JsonQuote(m.bank_name)
             << ",\"entry_id\":" << m.entry_id << ",\"type\":\""
             << hash::SignalTypeName(m.type) << "\",\"value\":\"" << m.value
             << "\",\"distance\":" << m.distance << ",\"variant\":\""
             << VariantName(m) << "\",\"label\":" << JsonQuote(m.label)
             << ",\"source_id\":" << JsonQuote(m.source_id) << '}';
      }
      out_ << "]}\n";
    } else {
      if (in.error) {
        out_ << in.name << ": error: " << in.error->ToString() << '\n';
      } else if (matches.empty()) {
        out_ << in.name << ": no match\n";
      }
      for (const index::Match& m : matches) {
        out_ << in.name << ": MATCH bank " << m.bank_name << ", entry "
             << m.entry_id << ", " << hash::SignalTypeName(m.type);
        if (m.type == hash::SignalType::kPdq) {
          out_ << " distance " << m.distance;
          if (m.variant != 0) out_ << " (" << VariantName(m) << ")";
        }
        if (!m.label.empty()) out_ << ", label " << m.label;
        if (!m.source_id.empty()) out_ << ", source id " << m.source_id;
        out_ << '\n';
      }
      if (in.pdq_quality && *in.pdq_quality < hash::kPdqMinReliableQuality) {
        out_ << in.name << ": note: PDQ quality " << *in.pdq_quality
             << " is below 50; PDQ matches of this file are unreliable\n";
      }
    }
  }

 private:
  static const char* VariantName(const index::Match& m) {
    if (m.type != hash::SignalType::kPdq) return "";
    return hash::DihedralName(static_cast<hash::Dihedral>(m.variant));
  }

  std::ostream& out_;
  std::string format_;
};

Result<Input> InputFromTyped(const std::string& text) {
  auto signal = hash::Signal::ParseTyped(text);
  if (!signal.ok()) return signal.error();
  Input in;
  in.name = signal->ToTyped();
  if (signal->type() == hash::SignalType::kPdq) {
    in.query.pdq_variants.push_back(*hash::PdqHash::FromHex(signal->ToHex()));
  } else {
    in.query.digests.push_back(*signal);
  }
  return in;
}

Input InputFromFile(const std::string& path, const hash::FileHashes& h) {
  Input in;
  in.name = path;
  in.error = h.error;
  in.query = index::QueryFromHashes(h);
  if (h.pdq) in.pdq_quality = h.pdq->quality;
  return in;
}

int Run(const MatchArgs& args) {
  const int sources = (!args.paths.empty()) + (!args.hashes.empty()) +
                      (!args.hashes_file.empty());
  if (sources != 1) {
    std::cerr << "bulwark match: give exactly one of PATH..., --hash or "
                 "--hashes\n";
    return kExitUsage;
  }
  auto request = MakeHashRequest(args.hashing);
  if (!request.ok()) {
    std::cerr << "bulwark match: " << request.error().message << '\n';
    return kExitUsage;
  }
  auto store = OpenStore(args.data);
  if (!store.ok()) {
    std::cerr << "bulwark match: " << store.error().ToString() << '\n';
    return kExitSomeFailed;
  }
  std::set<std::string> only;
  if (!args.banks.empty()) {
    for (const std::string& name : args.banks) {
      auto b = (*store)->GetBank(name);
      if (!b.ok()) {
        std::cerr << "bulwark match: " << b.error().message << '\n';
        return kExitUsage;
      }
      only.insert(name);
    }
  }
  auto matcher = index::Matcher::Create(**store);
  if (!matcher.ok()) {
    std::cerr << "bulwark match: " << matcher.error().ToString() << '\n';
    return kExitSomeFailed;
  }
  const auto snapshot = (*matcher)->snapshot();
  const std::optional<int> threshold =
      args.threshold >= 0 ? std::optional<int>(args.threshold) : std::nullopt;

  MatchWriter writer(std::cout, args.format);
  bool any_match = false, any_failed = false;
  auto process = [&](const Input& in) {
    const std::vector<index::Match> matches =
        index::MatchQuery(*snapshot, in.query, threshold, only);
    writer.Write(in, matches);
    any_match |= !matches.empty();
    if (in.error) {
      any_failed = true;
      std::cerr << "bulwark match: " << in.name << ": " << in.error->ToString()
                << '\n';
    }
  };

  if (!args.paths.empty()) {
    HashFiles(ExpandPaths(args.paths, std::cin), *request, args.hashing.jobs,
              [&](const std::string& path, const hash::FileHashes& h) {
                process(InputFromFile(path, h));
              });
  } else {
    std::vector<std::string> typed = args.hashes;
    if (!args.hashes_file.empty()) {
      std::ifstream file(args.hashes_file);
      std::istream& in = args.hashes_file == "-" ? std::cin : file;
      if (args.hashes_file != "-" && !file) {
        std::cerr << "bulwark match: cannot open " << args.hashes_file << '\n';
        return kExitUsage;
      }
      for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] != '#') typed.push_back(line);
      }
    }
    for (const std::string& t : typed) {
      auto in = InputFromTyped(t);
      if (!in.ok()) {
        Input bad;
        bad.name = t;
        bad.error = in.error();
        process(bad);
      } else {
        process(*in);
      }
    }
  }
  std::cout.flush();
  if (any_match) return kExitFound;
  return any_failed ? kExitSomeFailed : kExitOk;
}

}  // namespace

Runner RegisterMatchCommand(CLI::App& app) {
  auto args = std::make_shared<MatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "match", "Check files or hashes against the enabled banks");
  cmd->footer(R"(
Give files (PATH..., directories searched recursively, '-' for a list on
stdin), or hashes with --hash TYPE:VALUE (repeatable), or --hashes FILE (one
TYPE:VALUE per line, '-' for stdin). Files are hashed as `bulwark hash` does
(same options). MD5, SHA-1 and SHA-256 match exactly; PDQ matches within each
bank's threshold (see `bulwark bank show`), or --threshold for all banks.
With --dihedral, a file's 8 rotated and mirrored PDQ hashes are looked up
too, and a match says which variant hit.

Formats: text (default; one line per match, or "no match"), csv (one row per
match: input,bank,entry_id,type,value,distance,variant,label,source_id),
jsonl (one object per input, with its matches).

Exit status: 0 nothing matched; 3 at least one input matched (even if others
failed); 1 no match but some input could not be hashed or read; 2 usage
error or unknown bank.)");
  AddDataDirOption(cmd, args->data);
  cmd->add_option("PATH", args->paths, "Files or directories to check");
  // One value per --hash and --bank, so they cannot swallow the PATHs.
  cmd->add_option("--hash", args->hashes, "A hash to check, as TYPE:VALUE")
      ->allow_extra_args(false);
  cmd->add_option("--hashes", args->hashes_file,
                  "File of TYPE:VALUE lines to check ('-' for stdin)");
  cmd->add_option("--bank", args->banks, "Only this bank (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--threshold", args->threshold,
                  "PDQ radius for every bank instead of each bank's own")
      ->check(CLI::Range(0, 256));
  cmd->add_option("-f,--format", args->format, "text, csv or jsonl")
      ->check(CLI::IsMember({"text", "csv", "jsonl"}))
      ->capture_default_str();
  AddFileHashingOptions(cmd, args->hashing,
                        "Also look up the PDQ hashes of the 8 rotations and "
                        "mirrors of each file");
  return [args] { return Run(*args); };
}

}  // namespace bulwark::cli
