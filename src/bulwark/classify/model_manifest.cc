// ParseModelManifest: strict on purpose. A typo in a manifest (an unknown
// key, a misspelt colour order) would otherwise feed a model images it was
// not trained on and produce plausible but wrong scores.
#include "bulwark/classify/model_manifest.h"

#include <toml++/toml.h>

#include <cmath>
#include <optional>
#include <set>
#include <utility>

#include "bulwark/core/file.h"
#include "bulwark/core/hex.h"

namespace bulwark::classify {
namespace {

// Errors read "models/x.toml:12: input.layout: must be ...".
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path) : path_(path.string()) {}

  Error Fail(const toml::source_region& where, const std::string& key,
             const std::string& problem) const {
    std::string message = path_;
    if (where.begin.line > 0) {
      message.append(":").append(std::to_string(where.begin.line));
    }
    message.append(": ").append(key).append(": ").append(problem);
    return MakeError(ErrorCode::kInvalidArgument, std::move(message));
  }

  Result<std::string> String(const toml::node& node,
                             const std::string& key) const {
    std::optional<std::string> s = node.value<std::string>();
    if (!s || s->empty()) {
      return Fail(node.source(), key, "must be a non-empty string");
    }
    return *s;
  }

  Result<int> Side(const toml::node& node, const std::string& key) const {
    std::optional<int64_t> v = node.value<int64_t>();
    if (!node.is_integer() || !v || *v < 1 || *v > kMaxInputSide) {
      return Fail(
          node.source(), key,
          "must be a whole number from 1 to " + std::to_string(kMaxInputSide));
    }
    return static_cast<int>(*v);
  }

  // Three finite numbers, one per model channel.
  Result<std::array<double, 3>> Triple(const toml::node& node,
                                       const std::string& key) const {
    const toml::array* array = node.as_array();
    std::array<double, 3> out{};
    if (!array || array->size() != 3) {
      return Fail(node.source(), key, "must be an array of three numbers");
    }
    for (size_t i = 0; i < 3; ++i) {
      std::optional<double> d = (*array)[i].value<double>();
      if (!d || !std::isfinite(*d)) {
        return Fail(node.source(), key, "must be an array of three numbers");
      }
      out[i] = *d;
    }
    return out;
  }

  template <typename Enum>
  Result<Enum> Choice(
      const toml::node& node, const std::string& key,
      std::initializer_list<std::pair<const char*, Enum>> choices) const {
    std::optional<std::string> s = node.value<std::string>();
    std::string names;
    for (const auto& [name, value] : choices) {
      if (s && *s == name) return value;
      names += names.empty() ? "" : ", ";
      names += std::string("\"") + name + "\"";
    }
    return Fail(node.source(), key, "must be one of " + names);
  }

  Error Missing(const std::string& key) const {
    return MakeError(ErrorCode::kInvalidArgument,
                     path_ + ": " + key + ": missing");
  }

  Error Unknown(const toml::key& k, const std::string& key,
                const char* expected) const {
    return Fail(k.source(), key,
                std::string("unknown key (expected ") + expected + ")");
  }

 private:
  std::string path_;
};

Status ParseModelTable(const Reader& r, const toml::table& table,
                       const std::filesystem::path& path, ModelManifest& m) {
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string key = "model." + name;
    if (name == "name" || name == "licence" || name == "origin") {
      auto s = r.String(v, key);
      if (!s.ok()) return s.error();
      (name == "name"      ? m.name
       : name == "licence" ? m.licence
                           : m.origin) = std::move(*s);
    } else if (name == "file") {
      auto s = r.String(v, key);
      if (!s.ok()) return s.error();
      m.file = path.parent_path() / *s;
    } else if (name == "sha256") {
      auto s = r.String(v, key);
      if (!s.ok()) return s.error();
      auto bytes = HexDecode(*s);
      if (!bytes.ok() || bytes->size() != 32) {
        return r.Fail(v.source(), key, "must be 64 hexadecimal digits");
      }
      m.sha256 = HexEncode(*bytes);
    } else {
      return r.Unknown(k, key, "name, file, sha256, licence or origin");
    }
  }
  if (m.name.empty()) return r.Missing("model.name");
  if (m.file.empty()) return r.Missing("model.file");
  if (m.sha256.empty()) return r.Missing("model.sha256");
  if (m.licence.empty()) return r.Missing("model.licence");
  if (m.origin.empty()) return r.Missing("model.origin");
  return Ok{};
}

Status ParseInputTable(const Reader& r, const toml::table& table,
                       InputSpec& in) {
  std::set<std::string> seen;
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string key = "input." + name;
    seen.insert(name);
    if (name == "width" || name == "height") {
      auto side = r.Side(v, key);
      if (!side.ok()) return side.error();
      (name == "width" ? in.width : in.height) = *side;
    } else if (name == "layout") {
      auto c = r.Choice<TensorLayout>(
          v, key,
          {{"nchw", TensorLayout::kNchw}, {"nhwc", TensorLayout::kNhwc}});
      if (!c.ok()) return c.error();
      in.layout = *c;
    } else if (name == "colour_order") {
      auto c = r.Choice<ColourOrder>(
          v, key, {{"rgb", ColourOrder::kRgb}, {"bgr", ColourOrder::kBgr}});
      if (!c.ok()) return c.error();
      in.colour_order = *c;
    } else if (name == "resize") {
      auto c = r.Choice<ResizeMethod>(
          v, key,
          {{"bilinear_align_corners", ResizeMethod::kBilinearAlignCorners},
           {"bilinear_half_pixel", ResizeMethod::kBilinearHalfPixel}});
      if (!c.ok()) return c.error();
      in.resize = *c;
    } else if (name == "mean") {
      auto t = r.Triple(v, key);
      if (!t.ok()) return t.error();
      in.mean = *t;
    } else if (name == "std") {
      auto t = r.Triple(v, key);
      if (!t.ok()) return t.error();
      for (double d : *t) {
        if (d == 0.0) return r.Fail(v.source(), key, "must not contain 0");
      }
      in.std = *t;
    } else {
      return r.Unknown(
          k, key, "width, height, layout, colour_order, resize, mean or std");
    }
  }
  // Every key is required: a default here would be a silent guess about how
  // the model was trained.
  for (const char* required :
       {"width", "height", "layout", "colour_order", "resize", "mean", "std"}) {
    if (!seen.count(required))
      return r.Missing(std::string("input.") + required);
  }
  return Ok{};
}

Status ParseOutputTable(const Reader& r, const toml::table& table,
                        std::vector<OutputLabel>& outputs) {
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    if (name != "labels") return r.Unknown(k, "output." + name, "labels");
    const toml::array* array = v.as_array();
    if (!array || array->empty() || array->size() > kMaxOutputLabels) {
      return r.Fail(v.source(), "output.labels",
                    "must be an array of 1 to " +
                        std::to_string(kMaxOutputLabels) + " strings");
    }
    std::set<std::string> unique;
    for (const toml::node& item : *array) {
      auto label = r.String(item, "output.labels");
      if (!label.ok()) return label.error();
      if (!unique.insert(*label).second) {
        return r.Fail(item.source(), "output.labels",
                      "label \"" + *label + "\" appears twice");
      }
      outputs.push_back(OutputLabel{std::move(*label), ""});
    }
  }
  if (outputs.empty()) return r.Missing("output.labels");
  return Ok{};
}

// [signals]: label = "signal"; labels without an entry feed no signal.
Status ParseSignalsTable(const Reader& r, const toml::table& table,
                         std::vector<OutputLabel>& outputs) {
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    const std::string key = "signals." + name;
    auto signal = r.String(v, key);
    if (!signal.ok()) return signal.error();
    bool found = false;
    for (OutputLabel& out : outputs) {
      if (out.label == name) {
        out.signal = *signal;
        found = true;
      }
    }
    if (!found) return r.Fail(k.source(), key, "not a label in output.labels");
  }
  return Ok{};
}

}  // namespace

Result<ModelManifest> ParseModelManifest(std::string_view text,
                                         const std::filesystem::path& path) {
  const Reader r(path);
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return r.Fail(e.source(), "syntax", std::string(e.description()));
  }
  ModelManifest m;
  m.path = path;
  // [signals] refers to the labels, so tables are read in a fixed order.
  for (const auto& [k, v] : root) {
    const std::string name(k.str());
    if (name != "model" && name != "input" && name != "output" &&
        name != "signals") {
      return r.Unknown(k, name, "[model], [input], [output] or [signals]");
    }
    if (!v.is_table()) return r.Fail(v.source(), name, "must be a table");
  }
  for (const char* required : {"model", "input", "output"}) {
    if (!root.contains(required))
      return r.Missing(std::string("[") + required + "]");
  }
  Status s = ParseModelTable(r, *root["model"].as_table(), path, m);
  if (s.ok()) s = ParseInputTable(r, *root["input"].as_table(), m.input);
  if (s.ok()) s = ParseOutputTable(r, *root["output"].as_table(), m.outputs);
  if (s.ok() && root.contains("signals")) {
    s = ParseSignalsTable(r, *root["signals"].as_table(), m.outputs);
  }
  if (!s.ok()) return s.error();
  return m;
}

Result<ModelManifest> LoadModelManifest(const std::filesystem::path& path) {
  auto text = ReadFile(path.string(), kMaxManifestBytes);
  if (!text.ok()) {
    return MakeError(text.error().code, "model manifest " + path.string() +
                                            ": " + text.error().message);
  }
  return ParseModelManifest(
      std::string_view(reinterpret_cast<const char*>(text->data()),
                       text->size()),
      path);
}

}  // namespace bulwark::classify
